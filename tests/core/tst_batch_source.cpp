// BatchSource: deterministic batches whatever the prefetch depth and thread count, positives by
// source, labels, drop_last, and a worker that stops cleanly and reports its failures.

#include "augment/pipeline.h"
#include "augment/presets.h"
#include "common/rng.h"
#include "data/class_names.h"
#include "data/in_memory_dataset.h"
#include "priors/vae.h"
#include "train/batch_source.h"

#include "neighbor_fixtures.h"
#include "prior_fixtures.h"
#include "test_data.h"

#include <QtTest>

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

using namespace gps::train;

Q_DECLARE_METATYPE(gps::train::PositiveSource)

namespace {

std::shared_ptr<const gps::data::InMemoryDataset> tinyDataset(int count, bool labelled = true) {
    const auto tiny = gps::test::makeTinyImages(count, 8, 8, 1, 3);
    gps::data::InMemoryParts parts;
    parts.images = gps::data::ImageBlock(std::size_t(count), {8, 8, 1});
    std::copy(tiny.pixels.begin(), tiny.pixels.end(), parts.images.data());
    if (labelled) {
        parts.labels = tiny.labels;
        parts.classNames = gps::data::numberedClassNames(3);
    }
    parts.split = "train";
    parts.format = "test";
    return std::make_shared<const gps::data::InMemoryDataset>(std::move(parts));
}

/// Views that change with every draw: random crops and flips.
gps::augment::AugmentSpec cropFlip() {
    return *gps::augment::presetSpec("crop_flip", {8, 8, 1});
}

BatchSourceOptions options(PositiveSource source, int datasetSize = 5) {
    BatchSourceOptions o;
    o.dataset = tinyDataset(datasetSize);
    o.augment = cropFlip();
    o.source = source;
    o.sampler = std::make_shared<const gps::neighbors::PositiveSampler>(
        gps::test::handGraph(),
        gps::neighbors::SamplerOptions{1.0f, 1, gps::neighbors::Rule::Uniform, false});
    o.batchSize = 2;
    o.seed = 42;
    o.endStep = 6;
    return o;
}

std::vector<Batch> drain(BatchSource& source) {
    std::vector<Batch> out;
    while (true) {
        auto next = source.next();
        if (!next.ok())
            qFatal("next() failed: %s", next.error().message.c_str());
        if (!*next)
            return out;
        out.push_back(std::move(**next));
    }
}

bool sameTensor(const at::Tensor& a, const at::Tensor& b) {
    if (a.defined() != b.defined())
        return false;
    return !a.defined() || (a.sizes() == b.sizes() && a.dtype() == b.dtype() &&
                            std::memcmp(a.data_ptr(), b.data_ptr(), a.nbytes()) == 0);
}

/// Row b of `views` equals DA(image) drawn from Rng(deriveSeed(seed, step, b, view)).
bool rowIsView(const at::Tensor& views, std::int64_t b, const cv::Mat& image,
               const gps::augment::AugmentPipeline& pipeline, std::uint64_t seed, std::int64_t step,
               std::uint64_t view) {
    std::vector<float> expected(pipeline.outputShape().pixels());
    gps::Rng rng(gps::deriveSeed(seed, std::uint64_t(step), std::uint64_t(b), view));
    pipeline.viewToFloat(image, rng, expected.data());
    return std::memcmp(views[b].contiguous().data_ptr(), expected.data(),
                       expected.size() * sizeof(float)) == 0;
}

/// Another dataset's images and labels; subclasses change how image() reads them.
class WrappedDataset : public gps::data::Dataset {
public:
    explicit WrappedDataset(std::shared_ptr<const gps::data::Dataset> inner)
        : m_inner(std::move(inner)) {}
    std::size_t size() const override { return m_inner->size(); }
    cv::Mat image(std::size_t i) const override { return m_inner->image(i); }
    int label(std::size_t i) const override { return m_inner->label(i); }
    bool labelled() const override { return m_inner->labelled(); }
    const std::vector<std::string>& classNames() const override { return m_inner->classNames(); }
    gps::data::ImageShape shape() const override { return m_inner->shape(); }
    const std::string& split() const override { return m_inner->split(); }
    const std::string& format() const override { return m_inner->format(); }
    std::vector<std::string> warnings() const override { return {}; }

private:
    std::shared_ptr<const gps::data::Dataset> m_inner;
};

/// image(i) throws for one index: a worker failure to carry to the consumer.
class FailingDataset final : public WrappedDataset {
public:
    FailingDataset(std::shared_ptr<const gps::data::Dataset> inner, std::size_t bad)
        : WrappedDataset(std::move(inner)), m_bad(bad) {}
    cv::Mat image(std::size_t i) const override {
        if (i == m_bad)
            throw std::runtime_error("image " + std::to_string(i) + " is unreadable");
        return WrappedDataset::image(i);
    }

private:
    std::size_t m_bad;
};

/// Holds every image() call until open(): a batch can be caught half made.
class GatedDataset final : public WrappedDataset {
public:
    using WrappedDataset::WrappedDataset;
    cv::Mat image(std::size_t i) const override {
        std::unique_lock lock(m_mutex);
        m_entered = true;
        m_changed.notify_all();
        m_changed.wait(lock, [&] { return m_open; });
        lock.unlock();
        return WrappedDataset::image(i);
    }
    /// Waits until a batch is being made (some image() call is held).
    void waitEntered() const {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return m_entered; });
    }
    void open() const {
        const std::lock_guard lock(m_mutex);
        m_open = true;
        m_changed.notify_all();
    }

private:
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_changed;
    mutable bool m_entered = false;
    mutable bool m_open = false;
};

} // namespace

class TestBatchSource : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sameSeedSameBytes_data() {
        QTest::addColumn<PositiveSource>("source");
        QTest::newRow("augment") << PositiveSource::Augment;
        QTest::newRow("gps") << PositiveSource::Gps;
        QTest::newRow("semantic") << PositiveSource::Semantic;
    }
    void sameSeedSameBytes() {
        QFETCH(PositiveSource, source);
        BatchSourceOptions slow = options(source);
        slow.prefetch = 1;
        slow.threads = 1;
        BatchSourceOptions fast = options(source);
        fast.prefetch = 4;
        fast.threads = 2;
        const auto a = drain(**BatchSource::start(slow));
        const auto b = drain(**BatchSource::start(fast));
        QCOMPARE(a.size(), std::size_t(6));
        QCOMPARE(b.size(), a.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            QCOMPARE(a[i].step, std::int64_t(i));
            QCOMPARE(a[i].anchors, b[i].anchors);
            QCOMPARE(a[i].positives, b[i].positives);
            QVERIFY(sameTensor(a[i].first, b[i].first));
            QVERIFY(sameTensor(a[i].second, b[i].second));
            QVERIFY(sameTensor(a[i].extra, b[i].extra));
            QVERIFY(sameTensor(a[i].labels, b[i].labels));
        }
        // A resumed source starting mid-way makes the same batches as the full one.
        BatchSourceOptions late = options(source);
        late.firstStep = 3;
        const auto c = drain(**BatchSource::start(late));
        QCOMPARE(c.size(), std::size_t(3));
        QVERIFY(sameTensor(c[0].first, a[3].first));
        QCOMPARE(c[2].positives, a[5].positives);
        // Another seed changes the batches.
        BatchSourceOptions other = options(source);
        other.seed = 43;
        QVERIFY(!sameTensor(drain(**BatchSource::start(other))[0].first, a[0].first));
    }

    void positivesFollowTheSource_data() { sameSeedSameBytes_data(); }
    void positivesFollowTheSource() {
        QFETCH(PositiveSource, source);
        const BatchSourceOptions o = options(source);
        const gps::augment::AugmentPipeline pipeline(o.augment, o.dataset->shape());
        bool sawNeighbour = false;
        for (const Batch& batch : drain(**BatchSource::start(o))) {
            QCOMPARE(batch.first.sizes(), (at::IntArrayRef{2, 1, 8, 8}));
            QCOMPARE(batch.extra.defined(), source == PositiveSource::Semantic);
            for (std::int64_t b = 0; b < 2; ++b) {
                const auto anchor = batch.anchors[std::size_t(b)];
                const auto positive = batch.positives[std::size_t(b)];
                if (source == PositiveSource::Augment) {
                    QCOMPARE(positive, anchor);
                } else {
                    const auto candidates = o.sampler->candidates(anchor);
                    const bool listed = std::find(candidates.begin(), candidates.end(), positive) !=
                                        candidates.end();
                    QVERIFY(listed || (candidates.empty() && positive == anchor));
                    sawNeighbour = sawNeighbour || positive != anchor;
                }
                const cv::Mat anchorImage = o.dataset->image(std::size_t(anchor));
                const cv::Mat positiveImage = o.dataset->image(std::size_t(positive));
                QVERIFY(rowIsView(batch.first, b, anchorImage, pipeline, o.seed, batch.step, 0));
                QVERIFY(rowIsView(batch.second, b,
                                  source == PositiveSource::Gps ? positiveImage : anchorImage,
                                  pipeline, o.seed, batch.step, 1));
                if (source == PositiveSource::Semantic)
                    QVERIFY(
                        rowIsView(batch.extra, b, positiveImage, pipeline, o.seed, batch.step, 3));
            }
        }
        QCOMPARE(sawNeighbour, source != PositiveSource::Augment);
    }

    void syntheticViewsDecodeTheLatentMix() {
        BatchSourceOptions o = options(PositiveSource::Synthetic);
        auto vae = std::make_shared<gps::priors::VaePrior>(4, gps::test::options(1, 7, 4));
        const auto latents = std::make_shared<const gps::priors::Embedding>(
            gps::test::fitAndEmbed(*vae, *o.dataset));
        o.vae = vae;
        o.latents = latents;
        o.syntheticMix = 0.0; // t = 0: the decoded anchor itself
        o.endStep = 2;
        const gps::augment::AugmentPipeline pipeline(o.augment, o.dataset->shape());
        for (const Batch& batch : drain(**BatchSource::start(o))) {
            QVERIFY(batch.extra.defined());
            for (std::int64_t b = 0; b < 2; ++b) {
                const auto anchor = batch.anchors[std::size_t(b)];
                QVERIFY(rowIsView(batch.second, b, o.dataset->image(std::size_t(anchor)), pipeline,
                                  o.seed, batch.step, 1));
                gps::priors::Embedding row{
                    1, latents->dim, {latents->row(anchor), latents->row(anchor) + latents->dim}};
                const auto decoded = vae->decode(row);
                QVERIFY(decoded.ok());
                QVERIFY(
                    rowIsView(batch.extra, b, decoded->front(), pipeline, o.seed, batch.step, 3));
            }
        }
        BatchSourceOptions missing = options(PositiveSource::Synthetic);
        const auto refused = BatchSource::start(missing);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, gps::ErrorCode::InvalidInput);
    }

    void labelsFollowAnchors() {
        BatchSourceOptions o = options(PositiveSource::Gps, 7);
        o.sampler.reset();
        o.source = PositiveSource::Augment;
        o.batchSize = 3;
        for (const Batch& batch : drain(**BatchSource::start(o))) {
            QCOMPARE(batch.labels.scalar_type(), at::kLong);
            for (std::int64_t b = 0; b < 3; ++b)
                QCOMPARE(
                    batch.labels[b].item<std::int64_t>(),
                    std::int64_t(o.dataset->label(std::size_t(batch.anchors[std::size_t(b)]))));
        }
        o.dataset = tinyDataset(7, false);
        const auto unlabelled = drain(**BatchSource::start(o));
        QVERIFY(unlabelled.front().labels.eq(-1).all().item<bool>());
    }

    void dropLastAndEpochOrder() {
        BatchSourceOptions o = options(PositiveSource::Augment, 7);
        o.batchSize = 3;
        o.endStep = 4; // two epochs of 7 / 3 = 2 steps; image 7 % 3 of each epoch is dropped
        auto source = BatchSource::start(o);
        QCOMPARE((*source)->stepsPerEpoch(), std::int64_t(2));
        const auto batches = drain(**source);
        QCOMPARE(batches.size(), std::size_t(4));
        for (int epoch = 0; epoch < 2; ++epoch) {
            const auto order = epochOrder(7, o.seed, epoch);
            std::vector<std::int64_t> seen;
            for (int s = 0; s < 2; ++s) {
                const Batch& batch = batches[std::size_t(epoch * 2 + s)];
                QCOMPARE(batch.epoch, epoch);
                QCOMPARE(batch.anchors.size(), std::size_t(3));
                seen.insert(seen.end(), batch.anchors.begin(), batch.anchors.end());
            }
            for (std::size_t i = 0; i < 6; ++i)
                QCOMPARE(seen[i], std::int64_t(order[i]));
            QCOMPARE(std::set<std::int64_t>(seen.begin(), seen.end()).size(), std::size_t(6));
        }
        QVERIFY(epochOrder(7, o.seed, 0) != epochOrder(7, o.seed, 1));
        auto sorted = epochOrder(7, o.seed, 0);
        std::sort(sorted.begin(), sorted.end());
        QCOMPARE(sorted, (std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6}));
    }

    void datasetSmallerThanABatchIsAnError() {
        BatchSourceOptions o = options(PositiveSource::Augment, 5);
        o.batchSize = 6;
        const auto refused = BatchSource::start(o);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, gps::ErrorCode::InvalidInput);
        QVERIFY2(refused.error().message.find("larger than the training split (5 images)") !=
                     std::string::npos,
                 refused.error().message.c_str());
        o.batchSize = 2;
        o.source = PositiveSource::Gps;
        o.sampler.reset();
        QCOMPARE(BatchSource::start(o).error().code, gps::ErrorCode::InvalidInput);
    }

    void stopWithAFullQueueReturns() {
        BatchSourceOptions o = options(PositiveSource::Augment, 5);
        o.prefetch = 1;
        o.endStep = 1000000;
        auto source = std::move(BatchSource::start(o)).value();
        QVERIFY(source->next().ok()); // the worker has run; it now blocks on a full queue
        source->stop();
        auto after = source->next();
        QVERIFY(after.ok() && !*after);
        source->stop();                                          // idempotent
        auto dropped = std::move(BatchSource::start(o)).value(); // destroyed without stop()
    }

    void aBatchFinishedAfterStopIsDropped() {
        // The worker makes a batch without the lock; stop() lands while it does. The batch it
        // finishes afterwards must not come out of next().
        BatchSourceOptions o = options(PositiveSource::Augment, 5);
        auto gated = std::make_shared<GatedDataset>(tinyDataset(5));
        o.dataset = gated;
        o.endStep = 1000;
        auto source = std::move(BatchSource::start(o)).value();
        gated->waitEntered();
        std::thread opener([&] {
            // Long enough for stop() to set its flag first on a loaded machine; if it is late,
            // the test passes without proving anything, it cannot fail wrongly.
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            gated->open();
        });
        source->stop();
        opener.join();
        auto after = source->next();
        QVERIFY(after.ok());
        QVERIFY2(!*after, "a batch made before stop() was served after it");
    }

    void workerExceptionReachesTheConsumer() {
        BatchSourceOptions o = options(PositiveSource::Augment, 5);
        o.dataset = std::make_shared<FailingDataset>(tinyDataset(5), epochOrder(5, o.seed, 0)[2]);
        auto source = std::move(BatchSource::start(o)).value();
        QVERIFY(source->next().ok()); // step 0: rows 0 and 1 of the order
        bool thrown = false;
        try {
            (void)source->next();
        } catch (const std::runtime_error& e) {
            thrown = std::string(e.what()).find("unreadable") != std::string::npos;
        }
        QVERIFY(thrown);
    }
};

QTEST_APPLESS_MAIN(TestBatchSource)
#include "tst_batch_source.moc"
