#include "dataset_text.h"

#include <QLocale>

namespace gps::ui {

QString shapeText(const data::ImageShape& shape) {
    const QString kind = shape.channels == 1   ? QStringLiteral("grey")
                         : shape.channels == 3 ? QStringLiteral("RGB")
                                               : QStringLiteral("%1 channels").arg(shape.channels);
    return QStringLiteral("%1×%2 %3").arg(shape.width).arg(shape.height).arg(kind);
}

QString summaryText(const OpenedDataset& opened) {
    if (!opened.dataset)
        return QStringLiteral("No dataset open");
    const data::Dataset& dataset = *opened.dataset;
    const QLocale locale;
    QStringList parts;
    parts << QString::fromStdString(dataset.format()) << QString::fromStdString(dataset.split())
          << QStringLiteral("%1 images").arg(locale.toString(qulonglong(dataset.size())));
    if (dataset.labelled())
        parts << QStringLiteral("%1 classes").arg(dataset.classNames().size());
    else
        parts << QStringLiteral("unlabelled");
    parts << shapeText(dataset.shape());
    return parts.join(QStringLiteral(" · "));
}

QStringList collectWarnings(const OpenedDataset& opened) {
    QStringList warnings;
    for (const std::string& warning : opened.info.warnings)
        warnings << QString::fromStdString(warning);
    if (opened.dataset)
        for (const std::string& warning : opened.dataset->warnings())
            warnings << QString::fromStdString(warning);
    warnings.removeDuplicates();
    return warnings;
}

QString classNameOf(const data::Dataset& dataset, std::size_t index) {
    const int label = dataset.label(index);
    const auto& names = dataset.classNames();
    if (label >= 0 && std::size_t(label) < names.size())
        return QString::fromStdString(names[std::size_t(label)]);
    return label == data::kNoLabel ? QStringLiteral("unlabelled") : QString::number(label);
}

QString imageDetailsText(const data::Dataset& dataset, std::size_t index) {
    const int label = dataset.label(index);
    const QString className =
        label == data::kNoLabel
            ? QStringLiteral("unlabelled")
            : QStringLiteral("%1 (class %2)").arg(classNameOf(dataset, index)).arg(label);
    return QStringLiteral("Image %1 · %2 · %3 · split %4")
        .arg(index)
        .arg(className, shapeText(dataset.shape()), QString::fromStdString(dataset.split()));
}

} // namespace gps::ui
