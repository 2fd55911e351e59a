// The SVG writer: one element per scene item, in order, with coordinates rounded to 0.01 px.
#include "report/chart_scene.h"

#include <cstdio>
#include <sstream>

namespace gps::report {

namespace {

std::string colour(Rgb c) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", c.r, c.g, c.b);
    return buffer;
}

std::string escaped(const std::string& text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            // XML 1.0 allows no control characters but tab, newline and carriage return.
            if (static_cast<unsigned char>(c) >= 32 || c == '\t')
                out += c;
        }
    }
    return out;
}

struct SvgItem {
    std::ostringstream& out;

    void operator()(const SceneRect& r) const {
        out << "<rect x=\"" << drawingNumber(r.x) << "\" y=\"" << drawingNumber(r.y)
            << "\" width=\"" << drawingNumber(r.width) << "\" height=\"" << drawingNumber(r.height)
            << "\" fill=\"" << (r.fill ? colour(*r.fill) : "none") << '"';
        if (r.stroke)
            out << " stroke=\"" << colour(*r.stroke) << "\" stroke-width=\""
                << drawingNumber(r.strokeWidth) << '"';
        out << "/>\n";
    }
    void operator()(const ScenePolyline& line) const {
        out << "<polyline fill=\"none\" stroke=\"" << colour(line.colour) << "\" stroke-width=\""
            << drawingNumber(line.width) << "\" stroke-linejoin=\"round\"";
        if (line.dashed)
            out << " stroke-dasharray=\"" << drawingNumber(line.width * 4) << ' '
                << drawingNumber(line.width * 3) << '"';
        out << " points=\"";
        for (std::size_t i = 0; i < line.points.size(); ++i)
            out << (i ? " " : "") << drawingNumber(line.points[i].x) << ','
                << drawingNumber(line.points[i].y);
        out << "\"/>\n";
    }
    void operator()(const SceneMarker& m) const {
        if (m.shape == MarkerShape::Circle)
            out << "<circle cx=\"" << drawingNumber(m.at.x) << "\" cy=\"" << drawingNumber(m.at.y)
                << "\" r=\"" << drawingNumber(m.radius) << '"';
        else
            out << "<rect x=\"" << drawingNumber(m.at.x - m.radius) << "\" y=\""
                << drawingNumber(m.at.y - m.radius) << "\" width=\"" << drawingNumber(2 * m.radius)
                << "\" height=\"" << drawingNumber(2 * m.radius) << '"';
        out << " fill=\"" << colour(m.colour) << "\"/>\n";
    }
    void operator()(const SceneText& t) const {
        const char* anchor = t.anchor == TextAnchor::Start    ? "start"
                             : t.anchor == TextAnchor::Middle ? "middle"
                                                              : "end";
        out << "<text x=\"" << drawingNumber(t.at.x) << "\" y=\"" << drawingNumber(t.at.y)
            << "\" font-size=\"" << drawingNumber(t.size) << "\" fill=\"" << colour(t.colour)
            << "\" text-anchor=\"" << anchor << '"';
        if (t.vertical)
            out << " transform=\"rotate(-90 " << drawingNumber(t.at.x) << ' '
                << drawingNumber(t.at.y) << ")\"";
        out << '>' << escaped(t.text) << "</text>\n";
    }
};

} // namespace

std::string sceneSvg(const Scene& scene) {
    std::ostringstream out;
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\""
        << drawingNumber(scene.width) << "\" height=\"" << drawingNumber(scene.height)
        << "\" viewBox=\"0 0 " << drawingNumber(scene.width) << ' ' << drawingNumber(scene.height)
        << "\""
        << " font-family=\"Helvetica, Arial, sans-serif\">\n";
    for (const SceneItem& item : scene.items)
        std::visit(SvgItem{out}, item);
    out << "</svg>\n";
    return out.str();
}

} // namespace gps::report
