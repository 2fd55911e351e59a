// The SVG writer: one element per scene item, in order, with coordinates rounded to 0.01 px.
#include "report/chart_scene.h"

#include <cstdio>
#include <sstream>

namespace gps::report {

namespace {

std::string number(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", v);
    std::string text = buffer;
    while (text.back() == '0')
        text.pop_back();
    if (text.back() == '.')
        text.pop_back();
    return text == "-0" ? "0" : text;
}

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
        out << "<rect x=\"" << number(r.x) << "\" y=\"" << number(r.y) << "\" width=\""
            << number(r.width) << "\" height=\"" << number(r.height) << "\" fill=\""
            << (r.fill ? colour(*r.fill) : "none") << '"';
        if (r.stroke)
            out << " stroke=\"" << colour(*r.stroke) << "\" stroke-width=\""
                << number(r.strokeWidth) << '"';
        out << "/>\n";
    }
    void operator()(const ScenePolyline& line) const {
        out << "<polyline fill=\"none\" stroke=\"" << colour(line.colour) << "\" stroke-width=\""
            << number(line.width) << "\" stroke-linejoin=\"round\"";
        if (line.dashed)
            out << " stroke-dasharray=\"" << number(line.width * 4) << ' ' << number(line.width * 3)
                << '"';
        out << " points=\"";
        for (std::size_t i = 0; i < line.points.size(); ++i)
            out << (i ? " " : "") << number(line.points[i].x) << ',' << number(line.points[i].y);
        out << "\"/>\n";
    }
    void operator()(const SceneMarker& m) const {
        if (m.shape == MarkerShape::Circle)
            out << "<circle cx=\"" << number(m.at.x) << "\" cy=\"" << number(m.at.y) << "\" r=\""
                << number(m.radius) << '"';
        else
            out << "<rect x=\"" << number(m.at.x - m.radius) << "\" y=\""
                << number(m.at.y - m.radius) << "\" width=\"" << number(2 * m.radius)
                << "\" height=\"" << number(2 * m.radius) << '"';
        out << " fill=\"" << colour(m.colour) << "\"/>\n";
    }
    void operator()(const SceneText& t) const {
        const char* anchor = t.anchor == TextAnchor::Start    ? "start"
                             : t.anchor == TextAnchor::Middle ? "middle"
                                                              : "end";
        out << "<text x=\"" << number(t.at.x) << "\" y=\"" << number(t.at.y) << "\" font-size=\""
            << number(t.size) << "\" fill=\"" << colour(t.colour) << "\" text-anchor=\"" << anchor
            << '"';
        if (t.vertical)
            out << " transform=\"rotate(-90 " << number(t.at.x) << ' ' << number(t.at.y) << ")\"";
        out << '>' << escaped(t.text) << "</text>\n";
    }
};

} // namespace

std::string sceneSvg(const Scene& scene) {
    std::ostringstream out;
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\""
        << number(scene.width) << "\" height=\"" << number(scene.height) << "\" viewBox=\"0 0 "
        << number(scene.width) << ' ' << number(scene.height) << "\""
        << " font-family=\"Helvetica, Arial, sans-serif\">\n";
    for (const SceneItem& item : scene.items)
        std::visit(SvgItem{out}, item);
    out << "</svg>\n";
    return out.str();
}

} // namespace gps::report
