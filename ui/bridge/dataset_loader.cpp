#include "bridge/dataset_loader.h"

#include "data/dataset_open.h"

#include <algorithm>

namespace gps::ui {

namespace {

std::string chooseSplit(const data::DatasetInfo& info, const QString& requested) {
    if (!requested.isEmpty())
        return requested.toStdString();
    const auto& splits = info.splits;
    const bool hasTrain = std::any_of(splits.begin(), splits.end(),
                                      [](const data::SplitInfo& s) { return s.name == "train"; });
    if (hasTrain || splits.empty())
        return "train";
    return splits.front().name;
}

} // namespace

Result<OpenedDataset> openForBrowsing(const QString& source, const QString& split) {
    const std::string nameOrPath = source.toStdString();
    auto info = data::describeDataset(nameOrPath);
    if (!info)
        return info.error();

    data::OpenOptions options;
    options.split = chooseSplit(*info, split);
    auto dataset = data::openDataset(nameOrPath, options);
    if (!dataset)
        return dataset.error();
    return OpenedDataset{source, std::move(info).value(), std::move(dataset).value()};
}

OpenedDataset describeInMemory(data::DatasetPtr dataset, const QString& source) {
    OpenedDataset opened;
    opened.source = source;
    if (!dataset)
        return opened;
    data::DatasetInfo& info = opened.info;
    info.format = dataset->format();
    info.path = source.toStdString();
    info.splits = {data::SplitInfo{dataset->split(), dataset->size()}};
    info.classNames = dataset->classNames();
    info.shape = dataset->shape();
    info.labelled = dataset->labelled();
    opened.dataset = std::move(dataset);
    return opened;
}

} // namespace gps::ui
