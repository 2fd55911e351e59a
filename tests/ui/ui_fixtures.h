#pragma once
// Datasets for the UI tests, built in memory from gps::test::makeTinyImages.

#include "data/in_memory_dataset.h"
#include "test_data.h"

#include <QThread>

#include <atomic>
#include <cstring>
#include <memory>
#include <string>

namespace gps::test {

inline std::vector<std::string> classNamesFor(int classes) {
    std::vector<std::string> names;
    for (int c = 0; c < classes; ++c)
        names.push_back("class-" + std::string(1, char('A' + c)));
    return names;
}

/// An in-memory dataset (block() != nullptr) holding `tiny`, with classes named class-A, ...
inline std::shared_ptr<const data::InMemoryDataset> inMemory(const TinyImages& tiny) {
    data::InMemoryParts parts;
    parts.images =
        data::ImageBlock(std::size_t(tiny.count), {tiny.height, tiny.width, tiny.channels});
    std::memcpy(parts.images.data(), tiny.pixels.data(), tiny.pixels.size());
    parts.labels = tiny.labels;
    parts.classNames = classNamesFor(tiny.classes);
    parts.split = "train";
    parts.format = "memory";
    return std::make_shared<data::InMemoryDataset>(std::move(parts));
}

/// A dataset that reads like an image folder: block() is nullptr, and it records whether image()
/// was ever called on the thread that made it (the GUI thread must never decode).
class LazyDataset final : public data::Dataset {
public:
    explicit LazyDataset(const TinyImages& tiny)
        : m_inner(inMemory(tiny)), m_owner(QThread::currentThread()) {}

    std::size_t size() const override { return m_inner->size(); }
    cv::Mat image(std::size_t i) const override {
        if (QThread::currentThread() == m_owner)
            m_calledOnOwner = true;
        ++m_decoded;
        return m_inner->image(i).clone();
    }
    int label(std::size_t i) const override { return m_inner->label(i); }
    bool labelled() const override { return m_inner->labelled(); }
    const std::vector<std::string>& classNames() const override { return m_inner->classNames(); }
    data::ImageShape shape() const override { return m_inner->shape(); }
    const std::string& split() const override { return m_inner->split(); }
    const std::string& format() const override { return m_format; }
    std::vector<std::string> warnings() const override { return {}; }

    bool calledOnOwnerThread() const { return m_calledOnOwner; }
    int decodedCount() const { return m_decoded; }

private:
    std::shared_ptr<const data::InMemoryDataset> m_inner;
    QThread* m_owner;
    std::string m_format = "lazy";
    mutable std::atomic<bool> m_calledOnOwner{false};
    mutable std::atomic<int> m_decoded{0};
};

} // namespace gps::test
