// Text metrics and the ASCII fallback the writers share: Helvetica's widths measure every label
// (the PDF draws in Helvetica; the PNG scales its Hershey glyphs to the same widths).
#include "report/chart_scene.h"

#include <array>
#include <cstdio>

namespace gps::report {

namespace {

// Helvetica's advance widths (thousandths of an em) for ' ' … '~', from its AFM file.
constexpr std::array<short, 95> kHelveticaWidths = {
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333,  278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667,  611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278,  556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500,  500, 334, 260, 334, 584};

} // namespace

double textWidth(const std::string& text, double size) {
    double thousandths = 0;
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 32 && c < 127)
            thousandths += kHelveticaWidths[c - 32];
        else if ((c & 0xC0) != 0x80) // count a UTF-8 sequence once, by its first byte
            thousandths += 556;
    }
    return thousandths * size / 1000.0;
}

std::string asciiOnly(const std::string& text) {
    std::string out;
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 32 && c < 127)
            out += ch;
        else if ((c & 0xC0) != 0x80)
            out += '?';
    }
    return out;
}

std::string drawingNumber(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", value);
    std::string text = buffer;
    while (text.back() == '0')
        text.pop_back();
    if (text.back() == '.')
        text.pop_back();
    return text == "-0" ? "0" : text;
}

} // namespace gps::report
