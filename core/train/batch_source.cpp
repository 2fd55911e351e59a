#include "train/batch_source.h"

#include "augment/pipeline.h"
#include "common/check.h"
#include "common/rng.h"
#include "priors/embedding.h"
#include "priors/vae.h"

#include <torch/torch.h>

#include <omp.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>

namespace gps::train {

namespace {

// Row and view indices of a step never reach this, so order seeds are apart from view seeds.
constexpr std::uint64_t kOrderStream = std::numeric_limits<std::uint64_t>::max();

/// Fills rows of `out` (B × viewFloats) with DA(image(b)), row b drawn from
/// Rng(deriveSeed(seed, step, b, 3)), on OpenMP threads.
template <class ImageOf>
void extraViews(const augment::AugmentPipeline& pipeline, std::size_t count, std::uint64_t seed,
                std::int64_t step, ImageOf imageOf, float* out) {
    const std::size_t viewFloats = pipeline.outputShape().pixels();
    std::exception_ptr failure;
    std::mutex failureMutex;
#pragma omp parallel for schedule(static) if (count > 1)
    for (std::ptrdiff_t i = 0; i < static_cast<std::ptrdiff_t>(count); ++i) {
        try {
            const auto b = static_cast<std::size_t>(i);
            Rng rng(deriveSeed(seed, static_cast<std::uint64_t>(step), b, seed_stream::kExtraView));
            pipeline.viewToFloat(imageOf(b), rng, out + b * viewFloats);
        } catch (...) {
            const std::lock_guard lock(failureMutex);
            if (!failure)
                failure = std::current_exception();
        }
    }
    if (failure)
        std::rethrow_exception(failure);
}

/// What the worker keeps between steps: the pipeline and the current epoch's order.
class BatchMaker {
public:
    explicit BatchMaker(const BatchSourceOptions& options)
        : m_options(options), m_pipeline(options.augment, options.dataset->shape()),
          m_stepsPerEpoch(static_cast<std::int64_t>(options.dataset->size()) / options.batchSize) {}

    Result<Batch> make(std::int64_t step) {
        const data::Dataset& dataset = *m_options.dataset;
        const auto batch = static_cast<std::size_t>(m_options.batchSize);
        Batch out;
        out.step = step;
        out.epoch = static_cast<int>(step / m_stepsPerEpoch);
        if (out.epoch != m_orderEpoch) {
            m_order = epochOrder(dataset.size(), m_options.seed, out.epoch);
            m_orderEpoch = out.epoch;
        }
        const auto offset = static_cast<std::size_t>(step % m_stepsPerEpoch) * batch;
        std::vector<std::size_t> anchors(m_order.begin() + offset,
                                         m_order.begin() + offset + batch);
        std::vector<std::size_t> positives = anchors;
        if (m_options.source != PositiveSource::Augment)
            for (std::size_t b = 0; b < batch; ++b) {
                Rng rng(deriveSeed(m_options.seed, static_cast<std::uint64_t>(step), b,
                                   seed_stream::kPositive));
                positives[b] = static_cast<std::size_t>(
                    m_options.sampler->sample(static_cast<std::int64_t>(anchors[b]), rng));
            }

        const auto shape = m_pipeline.outputShape();
        auto options =
            torch::TensorOptions().dtype(torch::kFloat32).pinned_memory(m_options.pinMemory);
        const std::vector<std::int64_t> sizes{static_cast<std::int64_t>(batch), shape.channels,
                                              shape.height, shape.width};
        out.first = torch::empty(sizes, options);
        out.second = torch::empty(sizes, options);
        const bool gps = m_options.source == PositiveSource::Gps;
        m_pipeline.pairBatch(dataset, anchors, gps ? positives : anchors, m_options.seed,
                             static_cast<std::uint64_t>(step), out.first.data_ptr<float>(),
                             out.second.data_ptr<float>());
        if (m_options.source == PositiveSource::Semantic) {
            out.extra = torch::empty(sizes, options);
            extraViews(
                m_pipeline, batch, m_options.seed, step,
                [&](std::size_t b) { return dataset.image(positives[b]); },
                out.extra.data_ptr<float>());
        } else if (m_options.source == PositiveSource::Synthetic) {
            auto decoded = decodeMixes(anchors, positives);
            if (!decoded)
                return decoded.error();
            out.extra = torch::empty(sizes, options);
            extraViews(
                m_pipeline, batch, m_options.seed, step,
                [&](std::size_t b) { return (*decoded)[b]; }, out.extra.data_ptr<float>());
        }

        out.labels = torch::empty({static_cast<std::int64_t>(batch)}, torch::kInt64);
        auto* labels = out.labels.data_ptr<std::int64_t>();
        for (std::size_t b = 0; b < batch; ++b) {
            labels[b] = dataset.label(anchors[b]);
            out.anchors.push_back(static_cast<std::int64_t>(anchors[b]));
            out.positives.push_back(static_cast<std::int64_t>(positives[b]));
        }
        return out;
    }

private:
    Result<std::vector<cv::Mat>> decodeMixes(const std::vector<std::size_t>& anchors,
                                             const std::vector<std::size_t>& positives) const {
        const priors::Embedding& latents = *m_options.latents;
        priors::Embedding from{static_cast<std::int64_t>(anchors.size()), latents.dim, {}};
        priors::Embedding to = from;
        for (std::size_t b = 0; b < anchors.size(); ++b) {
            const float* a = latents.row(static_cast<std::int64_t>(anchors[b]));
            const float* p = latents.row(static_cast<std::int64_t>(positives[b]));
            from.values.insert(from.values.end(), a, a + latents.dim);
            to.values.insert(to.values.end(), p, p + latents.dim);
        }
        return m_options.vae->decodeInterpolated(from, to,
                                                 {static_cast<float>(m_options.syntheticMix)});
    }

    const BatchSourceOptions& m_options;
    augment::AugmentPipeline m_pipeline;
    std::int64_t m_stepsPerEpoch;
    int m_orderEpoch = -1;
    std::vector<std::size_t> m_order;
};

Status checkOptions(const BatchSourceOptions& o) {
    auto invalid = [](std::string message) {
        return makeError(ErrorCode::InvalidInput, std::move(message));
    };
    if (!o.dataset)
        return invalid("no training split to make batches from");
    if (o.batchSize < 2)
        return invalid("train.batch_size: must be at least 2, got " + std::to_string(o.batchSize));
    if (auto steps = stepsPerEpoch(o.dataset->size(), o.batchSize); !steps)
        return steps.error();
    const int channels = o.dataset->shape().channels;
    if (channels != 1 && channels != 3)
        return invalid("training images must have 1 or 3 channels, got " +
                       std::to_string(channels));
    if (const Status spec = validateAugmentSpec(o.augment); !spec)
        return invalid("augment: " + spec.error().message);
    if (o.firstStep < 0 || o.endStep < o.firstStep)
        return invalid("batch steps [" + std::to_string(o.firstStep) + ", " +
                       std::to_string(o.endStep) + ") are not a range");
    if (o.source == PositiveSource::Augment)
        return Ok{};
    if (!o.sampler)
        return invalid("positives.source: this source needs a neighbour sampler, none was given");
    if (o.sampler->graph().rows != static_cast<std::int64_t>(o.dataset->size()))
        return invalid("the neighbour graph has " + std::to_string(o.sampler->graph().rows) +
                       " rows but the training split has " + std::to_string(o.dataset->size()) +
                       " images");
    if (o.source == PositiveSource::Synthetic) {
        if (!o.vae || !o.vae->fitted())
            return invalid("positives.source synthetic: needs a fitted vae prior");
        if (!o.latents || o.latents->rows != static_cast<std::int64_t>(o.dataset->size()))
            return invalid(
                "positives.source synthetic: needs the VAE latents of every training image");
    }
    return Ok{};
}

} // namespace

Result<std::int64_t> stepsPerEpoch(std::size_t datasetSize, int batchSize) {
    if (batchSize < 1 || datasetSize < static_cast<std::size_t>(batchSize))
        return makeError(ErrorCode::InvalidInput, "train.batch_size: " + std::to_string(batchSize) +
                                                      " is larger than the training split (" +
                                                      std::to_string(datasetSize) + " images)");
    return static_cast<std::int64_t>(datasetSize / static_cast<std::size_t>(batchSize));
}

std::uint64_t epochOrderSeed(std::uint64_t seed, std::int64_t epoch) {
    return deriveSeed(seed, static_cast<std::uint64_t>(epoch), kOrderStream, kOrderStream);
}

std::vector<std::size_t> epochOrder(std::size_t n, std::uint64_t seed, std::int64_t epoch) {
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i)
        order[i] = i;
    Rng rng(epochOrderSeed(seed, epoch));
    for (std::size_t i = n; i > 1; --i)
        std::swap(order[i - 1], order[static_cast<std::size_t>(rng.below(i))]);
    return order;
}

struct BatchSource::State {
    BatchSourceOptions options;
    std::int64_t stepsPerEpoch = 0;
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<Batch> ready;
    bool stopping = false;
    bool finished = false;
    std::optional<Error> error;
    std::exception_ptr failure;
    std::thread worker;

    void run() {
        try {
            omp_set_num_threads(
                options.threads > 0
                    ? options.threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
            BatchMaker maker(options);
            for (std::int64_t step = options.firstStep; step < options.endStep; ++step) {
                {
                    std::unique_lock lock(mutex);
                    changed.wait(lock, [&] {
                        return stopping ||
                               ready.size() < static_cast<std::size_t>(options.prefetch);
                    });
                    if (stopping)
                        break;
                }
                Result<Batch> batch = maker.make(step);
                const std::lock_guard lock(mutex);
                // stop() may have cleared the queue while this batch was made without the lock:
                // a batch finished after it must not reach next().
                if (stopping)
                    break;
                if (!batch) {
                    error = batch.error();
                    break;
                }
                ready.push_back(std::move(batch).value());
                changed.notify_all();
            }
        } catch (const data::UnreadableImageError& e) {
            // Bad data, not a bug: a value the consumer reports like any reader's error.
            const std::lock_guard lock(mutex);
            error = makeError(ErrorCode::Corrupt, e.what());
        } catch (...) {
            const std::lock_guard lock(mutex);
            failure = std::current_exception();
        }
        const std::lock_guard lock(mutex);
        finished = true;
        changed.notify_all();
    }
};

BatchSource::BatchSource(std::unique_ptr<State> state) : m_state(std::move(state)) {}

BatchSource::~BatchSource() {
    stop();
}

Result<std::unique_ptr<BatchSource>> BatchSource::start(BatchSourceOptions options) {
    if (const Status valid = checkOptions(options); !valid)
        return valid.error();
    auto state = std::make_unique<State>();
    options.prefetch = std::max(1, options.prefetch);
    state->stepsPerEpoch = static_cast<std::int64_t>(options.dataset->size()) / options.batchSize;
    state->options = std::move(options);
    State* raw = state.get();
    state->worker = std::thread([raw] { raw->run(); });
    return std::unique_ptr<BatchSource>(new BatchSource(std::move(state)));
}

Result<std::optional<Batch>> BatchSource::next() {
    std::unique_lock lock(m_state->mutex);
    m_state->changed.wait(
        lock, [&] { return !m_state->ready.empty() || m_state->finished || m_state->stopping; });
    if (m_state->stopping)
        return std::optional<Batch>();
    if (!m_state->ready.empty()) {
        std::optional<Batch> batch(std::move(m_state->ready.front()));
        m_state->ready.pop_front();
        m_state->changed.notify_all();
        return batch;
    }
    if (m_state->failure)
        std::rethrow_exception(m_state->failure);
    if (m_state->error)
        return *m_state->error;
    return std::optional<Batch>();
}

void BatchSource::stop() {
    {
        const std::lock_guard lock(m_state->mutex);
        m_state->stopping = true;
        m_state->ready.clear();
        m_state->changed.notify_all();
    }
    if (m_state->worker.joinable())
        m_state->worker.join();
}

std::int64_t BatchSource::stepsPerEpoch() const {
    return m_state->stepsPerEpoch;
}

Result<Batch> BatchSource::makeBatch(const BatchSourceOptions& options, std::int64_t step) {
    if (const Status valid = checkOptions(options); !valid)
        return valid.error();
    BatchMaker maker(options);
    return maker.make(step);
}

} // namespace gps::train
