// The PDF writer: a one-page PDF 1.4 written by hand. Five objects (catalog, page tree, page,
// content stream, the standard Helvetica font, which every reader has), an uncompressed content
// stream of path and text operators, and a cross-reference table whose offsets are counted
// while the file is assembled. PDF's y axis points up, so every y is flipped.
#include "report/chart_scene.h"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace gps::report {

namespace {

// Bézier handle length for a quarter circle.
constexpr double kCircleHandle = 0.5523;

std::string colour(Rgb c, const char* op) {
    return drawingNumber(c.r / 255.0) + ' ' + drawingNumber(c.g / 255.0) + ' ' +
           drawingNumber(c.b / 255.0) + ' ' + op + '\n';
}

// A PDF string literal: parentheses and backslashes escaped, ASCII only (WinAnsi would need
// a transcoding table for the rest).
std::string literal(const std::string& text) {
    std::string out = "(";
    for (const char c : asciiOnly(text)) {
        if (c == '(' || c == ')' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + ")";
}

struct PdfItem {
    std::ostringstream& out;
    double height;

    double y(double v) const { return height - v; }

    void operator()(const SceneRect& r) const {
        out << "q\n";
        if (r.fill)
            out << colour(*r.fill, "rg");
        if (r.stroke)
            out << colour(*r.stroke, "RG") << drawingNumber(r.strokeWidth) << " w\n";
        out << drawingNumber(r.x) << ' ' << drawingNumber(y(r.y + r.height)) << ' '
            << drawingNumber(r.width) << ' ' << drawingNumber(r.height) << " re "
            << (r.fill && r.stroke ? "B"
                : r.fill           ? "f"
                : r.stroke         ? "S"
                                   : "n")
            << "\nQ\n";
    }
    void operator()(const ScenePolyline& line) const {
        if (line.points.size() < 2)
            return;
        out << "q\n" << colour(line.colour, "RG") << drawingNumber(line.width) << " w 1 J 1 j\n";
        if (line.dashed)
            out << '[' << drawingNumber(line.width * 4) << ' ' << drawingNumber(line.width * 3)
                << "] 0 d\n";
        for (std::size_t i = 0; i < line.points.size(); ++i)
            out << drawingNumber(line.points[i].x) << ' ' << drawingNumber(y(line.points[i].y))
                << (i == 0 ? " m\n" : " l\n");
        out << "S\nQ\n";
    }
    void operator()(const SceneMarker& m) const {
        out << "q\n" << colour(m.colour, "rg");
        const double cx = m.at.x;
        const double cy = y(m.at.y);
        const double r = m.radius;
        if (m.shape == MarkerShape::Square) {
            out << drawingNumber(cx - r) << ' ' << drawingNumber(cy - r) << ' '
                << drawingNumber(2 * r) << ' ' << drawingNumber(2 * r) << " re f\nQ\n";
            return;
        }
        const double h = r * kCircleHandle;
        const auto point = [&](double x, double yy) {
            return drawingNumber(x) + ' ' + drawingNumber(yy) + ' ';
        };
        out << point(cx + r, cy) << "m\n"
            << point(cx + r, cy + h) << point(cx + h, cy + r) << point(cx, cy + r) << "c\n"
            << point(cx - h, cy + r) << point(cx - r, cy + h) << point(cx - r, cy) << "c\n"
            << point(cx - r, cy - h) << point(cx - h, cy - r) << point(cx, cy - r) << "c\n"
            << point(cx + h, cy - r) << point(cx + r, cy - h) << point(cx + r, cy) << "c\n"
            << "f\nQ\n";
    }
    void operator()(const SceneText& t) const {
        const double width = textWidth(asciiOnly(t.text), t.size);
        const double shift = t.anchor == TextAnchor::Start    ? 0
                             : t.anchor == TextAnchor::Middle ? width / 2
                                                              : width;
        const double x = t.at.x;
        const double yy = y(t.at.y);
        out << "BT\n" << colour(t.colour, "rg") << "/F1 " << drawingNumber(t.size) << " Tf\n";
        // The text matrix turns the baseline for vertical labels; the anchor shift runs along it.
        if (t.vertical)
            out << "0 1 -1 0 " << drawingNumber(x) << ' ' << drawingNumber(yy - shift) << " Tm\n";
        else
            out << "1 0 0 1 " << drawingNumber(x - shift) << ' ' << drawingNumber(yy) << " Tm\n";
        out << literal(t.text) << " Tj\nET\n";
    }
};

} // namespace

std::string scenePdf(const Scene& scene) {
    std::ostringstream content;
    for (const SceneItem& item : scene.items)
        std::visit(PdfItem{content, scene.height}, item);
    const std::string stream = content.str();

    const std::vector<std::string> objects = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + drawingNumber(scene.width) + ' ' +
            drawingNumber(scene.height) +
            "] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        "<< /Length " + std::to_string(stream.size()) + " >>\nstream\n" + stream + "endstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    };
    // The binary comment on line two tells transfer tools that the file is not plain text.
    std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        offsets.push_back(pdf.size());
        pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    const std::size_t xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    for (const std::size_t offset : offsets) {
        char entry[24];
        std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offset);
        pdf += entry;
    }
    pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
           " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return pdf;
}

} // namespace gps::report
