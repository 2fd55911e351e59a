// gps-studio-cli bench knn: how close the exact kNN graph comes to its floor. Exact search of n
// rows against themselves is one n×d · d×n product plus selecting k per row, so the floor is
// that product (2·n²·d flops) through the same BLAS, timed in the same run; the ratio says how
// much the selection, the blocking and the thread hand-offs cost on top.
#include "cli/command.h"
#include "cli/dataset_options.h"
#include "data/dataset_open.h"
#include "neighbors/knn_graph.h"
#include "neighbors/positive_sampler.h"

#include <ATen/Parallel.h>
#include <ATen/core/Tensor.h>
#include <ATen/ops/from_blob.h>
#include <ATen/ops/mm.h>
#include <ATen/ops/zeros.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>
#include <iomanip>
#include <iostream>
#include <memory>

namespace gps::cli {

CommandResult benchKnnCommand(const Words& words);

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Process CPU seconds, all threads. On a shared machine wall time depends on the neighbours'
/// load; the CPU-time ratio is the steadier number to compare runs with.
double cpuSeconds() {
    return double(std::clock()) / CLOCKS_PER_SEC;
}

/// Raw pixels as floats in [0, 1], one row per image (the "pixels" prior, inline).
std::vector<float> pixelRows(const data::Dataset& dataset) {
    const std::size_t dim = dataset.shape().pixels();
    std::vector<float> rows(dataset.size() * dim);
    for (std::size_t i = 0; i < dataset.size(); ++i) {
        const cv::Mat image = dataset.image(i);
        const cv::Mat packed = image.isContinuous() ? image : image.clone();
        const auto* pixels = packed.ptr<std::uint8_t>();
        for (std::size_t j = 0; j < dim; ++j)
            rows[i * dim + j] = float(pixels[j]) / 255.0f;
    }
    return rows;
}

/// Seconds for X·Xᵀ (n×d times d×n, 2·n²·d flops) through at::mm, i.e. the same sgemm FAISS
/// calls. The n×n result of 60,000 rows would be 14 GB, so it is produced in row blocks into
/// one reused buffer of at most 1 GiB; each block is still one large sgemm.
double timeFloor(std::vector<float>& rows, std::int64_t n, std::int64_t dim) {
    const at::Tensor x = at::from_blob(rows.data(), {n, dim});
    const at::Tensor xt = x.t();
    const std::int64_t blockRows = std::clamp<std::int64_t>((std::int64_t{1} << 28) / n, 1, n);
    at::Tensor out = at::zeros({blockRows, n}); // zeros: page faults happen before the clock
    const std::int64_t warmRows = std::min<std::int64_t>(n, 256);
    at::mm(x.narrow(0, 0, warmRows), xt.narrow(1, 0, warmRows)); // warm-up: BLAS threads start
    const auto start = Clock::now();
    for (std::int64_t first = 0; first < n; first += blockRows) {
        const std::int64_t count = std::min(blockRows, n - first);
        at::Tensor block = out.narrow(0, 0, count);
        at::mm_out(block, x.narrow(0, first, count), xt);
    }
    return secondsSince(start);
}

/// Milliseconds for one τ change over all anchors (mean of several, after one warm-up).
double timeTauChange(const std::shared_ptr<const neighbors::KnnGraph>& graph) {
    const float tau = static_cast<float>(neighbors::suggestTau(*graph));
    neighbors::PositiveSampler sampler(graph, {tau, 1, neighbors::Rule::Uniform, false});
    constexpr int kChanges = 10;
    const auto start = Clock::now();
    for (int change = 0; change < kChanges; ++change)
        sampler.setOptions(
            {tau * (0.5f + 0.1f * float(change)), 1, neighbors::Rule::Uniform, false});
    return 1000.0 * secondsSince(start) / kChanges;
}

} // namespace

CommandResult benchKnnCommand(const Words& words) {
    auto optionNames = kDatasetOptions;
    optionNames.insert("--k-max");
    const auto args = Args::parse(words, {"bench knn", optionNames, {"--json"}, {}});
    if (!args)
        return args.error();
    if (args->positional().size() > 1)
        return makeError(ErrorCode::InvalidInput, "bench knn: at most one DATASET");
    const std::string datasetName =
        args->positional().empty() ? data::kDefaultDatasetName : args->positional().front();
    const auto options = datasetOptions(*args);
    if (!options)
        return options.error();
    const auto kMax = args->integer("--k-max", 64, 1, 4096);
    if (!kMax)
        return kMax.error();

    const auto dataset = data::openDataset(datasetName, *options);
    if (!dataset)
        return dataset.error();
    std::vector<float> rows = pixelRows(**dataset);
    const auto n = static_cast<std::int64_t>((*dataset)->size());
    const auto dim = static_cast<std::int64_t>((*dataset)->shape().pixels());

    std::cerr << "bench knn: floor, X·Xᵀ of " << n << " × " << dim << " through BLAS..."
              << std::endl;
    const double floorCpuStart = cpuSeconds();
    const double floorSeconds = timeFloor(rows, n, dim);
    const double floorCpu = cpuSeconds() - floorCpuStart;

    neighbors::KnnOptions knnOptions;
    knnOptions.kMax = static_cast<int>(*kMax);
    knnOptions.index = neighbors::IndexKind::Flat;
    const auto progress = [](double fraction, std::string_view) {
        printProgress("bench knn: exact graph", fraction);
        return true;
    };
    const double knnCpuStart = cpuSeconds();
    const auto start = Clock::now();
    auto graph = neighbors::buildKnnGraph(rows.data(), n, dim, knnOptions, progress);
    const double knnSeconds = secondsSince(start);
    const double knnCpu = cpuSeconds() - knnCpuStart;
    if (!graph)
        return graph.error();
    const auto shared = std::make_shared<const neighbors::KnnGraph>(std::move(*graph));
    const double tauMilliseconds = timeTauChange(shared);

    const double flops = 2.0 * double(n) * double(n) * double(dim);
    const nlohmann::json report = {{"dataset", datasetName},
                                   {"n", n},
                                   {"dim", dim},
                                   {"k_max", *kMax},
                                   {"threads", at::get_num_threads()},
                                   {"seconds_knn", knnSeconds},
                                   {"seconds_floor", floorSeconds},
                                   {"ratio", knnSeconds / floorSeconds},
                                   {"gflops_floor", flops / floorSeconds * 1e-9},
                                   {"milliseconds_tau_change", tauMilliseconds},
                                   {"cpu_seconds_knn", knnCpu},
                                   {"cpu_seconds_floor", floorCpu},
                                   {"cpu_ratio", knnCpu / floorCpu},
                                   {"index", shared->indexDescription}};
    if (args->flag("--json")) {
        printJson(report);
        return kExitOk;
    }
    std::cout << "kNN bench on " << datasetName << ": " << n << " rows × " << dim
              << " (raw pixels), k_max " << *kMax << ", " << report["threads"] << " threads\n"
              << std::fixed << std::setprecision(2) << "  exact graph      " << std::setw(9)
              << knnSeconds << " s   " << shared->indexDescription << '\n'
              << "  floor X·Xᵀ       " << std::setw(9) << floorSeconds << " s   "
              << std::setprecision(1) << flops / floorSeconds * 1e-9 << " GFLOP/s (2·n²·d flops)\n"
              << std::setprecision(3) << "  ratio knn/floor  " << std::setw(9)
              << knnSeconds / floorSeconds << "   (CPU time " << knnCpu / floorCpu << ")\n"
              << "  one τ change     " << std::setw(9) << tauMilliseconds << " ms over " << n
              << " anchors\n";
    return kExitOk;
}

} // namespace gps::cli
