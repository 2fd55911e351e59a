#include "train/checkpoint.h"

#include "common/file_io.h"
#include "eval/online_probe.h"
#include "ssl/method.h"

#include <torch/torch.h>

#include <bit>
#include <sstream>

namespace gps::train {

namespace {

constexpr const char* kFormat = "gps-studio-checkpoint";
constexpr std::int64_t kVersion = 1;
constexpr const char* kProbePrefix = "probe_";

using IntMap = c10::Dict<std::string, std::int64_t>;
using FloatMap = c10::Dict<std::string, double>;

std::uint64_t fnv1a(std::uint64_t hash, const void* data, std::size_t size) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i)
        hash = (hash ^ bytes[i]) * 0x100000001B3ULL;
    return hash;
}

/// Over names, shapes and bytes of both maps, in key order.
std::int64_t checksum(const TensorMap& model, const TensorMap& optimizer) {
    std::uint64_t hash = 0xCBF29CE484222325ULL;
    for (const TensorMap* map : {&model, &optimizer})
        for (const auto& [name, tensor] : *map) {
            hash = fnv1a(hash, name.data(), name.size());
            const at::Tensor bytes = tensor.contiguous();
            hash = fnv1a(hash, bytes.sizes().data(), bytes.sizes().size() * sizeof(std::int64_t));
            hash = fnv1a(hash, bytes.data_ptr(), bytes.nbytes());
        }
    return std::bit_cast<std::int64_t>(hash);
}

TensorMap methodTensors(const ssl::MethodImpl& method) {
    TensorMap out;
    for (const auto& item : method.named_parameters(true))
        out[item.key()] = item.value();
    for (const auto& item : method.named_buffers(true))
        if (item.value().defined())
            out[item.key()] = item.value();
    return out;
}

TensorMap onCpu(const TensorMap& map) {
    TensorMap out;
    for (const auto& [name, tensor] : map)
        out[name] = tensor.detach().to(torch::kCPU).contiguous();
    return out;
}

c10::Dict<std::string, at::Tensor> toDict(const TensorMap& map) {
    c10::Dict<std::string, at::Tensor> dict;
    for (const auto& [name, tensor] : map)
        dict.insert(name, tensor);
    return dict;
}

TensorMap fromDict(const c10::IValue& value) {
    TensorMap out;
    for (const auto& entry : c10::impl::toTypedDict<std::string, at::Tensor>(value.toGenericDict()))
        out[entry.key()] = entry.value();
    return out;
}

Error corrupt(const std::filesystem::path& file, const std::string& reason) {
    return makeError(ErrorCode::Corrupt, "checkpoint " + file.string() + ": " + reason);
}

struct Opened {
    torch::serialize::InputArchive archive;
    TensorMap model;
    TensorMap optimizer;
    std::string optimizerKind;
    CheckpointCounters counters;
    at::Tensor rng;
    bool hasProbe = false;
};

c10::IValue readValue(torch::serialize::InputArchive& archive, const char* key) {
    c10::IValue value;
    if (!archive.try_read(key, value))
        throw std::runtime_error(std::string("no '") + key + "' entry");
    return value;
}

Result<std::unique_ptr<Opened>> open(const std::filesystem::path& file, bool tensors) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec))
        return makeError(ErrorCode::NotFound, "checkpoint not found: " + file.string());
    auto bytes = readFileBytes(file);
    if (!bytes)
        return bytes.error();
    auto opened = std::make_unique<Opened>();
    try {
        opened->archive.load_from(reinterpret_cast<const char*>(bytes->data()), bytes->size());
        auto& archive = opened->archive;
        if (readValue(archive, "format").toStringRef() != kFormat)
            return corrupt(file, "not a GPS Studio checkpoint");
        if (const auto version = readValue(archive, "version").toInt(); version != kVersion)
            return corrupt(file, "version " + std::to_string(version) + ", expected " +
                                     std::to_string(kVersion));
        const auto ints = c10::impl::toTypedDict<std::string, std::int64_t>(
            readValue(archive, "counters_int").toGenericDict());
        const auto floats = c10::impl::toTypedDict<std::string, double>(
            readValue(archive, "counters_float").toGenericDict());
        CheckpointCounters& c = opened->counters;
        c.step = ints.at("step");
        c.epochSteps = ints.at("epoch_steps");
        c.images = ints.at("images");
        c.seed = std::bit_cast<std::uint64_t>(ints.at("seed"));
        c.batchSize = static_cast<int>(ints.at("batch_size"));
        c.stepsPerEpoch = ints.at("steps_per_epoch");
        c.epochLossSum = floats.at("epoch_loss_sum");
        c.lastEpochLoss = floats.at("last_epoch_loss");
        c.seconds = floats.at("seconds");
        c.waitSeconds = floats.at("wait_seconds");
        for (const auto& entry : c10::impl::toTypedDict<std::string, double>(
                 readValue(archive, "epoch_parts").toGenericDict()))
            c.epochParts[entry.key()] = entry.value();
        if (!tensors)
            return opened;
        opened->model = fromDict(readValue(archive, "model"));
        opened->optimizer = fromDict(readValue(archive, "optimizer"));
        opened->optimizerKind = readValue(archive, "optimizer_kind").toStringRef();
        opened->hasProbe = readValue(archive, "has_probe").toBool();
        opened->rng = readValue(archive, "torch_cpu_rng").toTensor();
        if (readValue(archive, "checksum").toInt() != checksum(opened->model, opened->optimizer))
            return corrupt(file, "the tensors do not match their checksum (the file is damaged)");
    } catch (const std::exception& e) {
        std::string what = e.what();
        what = what.substr(0, what.find('\n'));
        return corrupt(file, "not a readable checkpoint (" + what + ")");
    }
    return opened;
}

} // namespace

Status saveCheckpoint(const std::filesystem::path& file, const CheckpointParts& parts,
                      const CheckpointCounters& counters) {
    const TensorMap model = onCpu(methodTensors(parts.method));
    const TensorMap optimizer = parts.optimizer.state();
    std::string bytes;
    try {
        torch::serialize::OutputArchive archive;
        archive.write("format", c10::IValue(std::string(kFormat)));
        archive.write("version", c10::IValue(kVersion));
        IntMap ints;
        ints.insert("step", counters.step);
        ints.insert("epoch_steps", counters.epochSteps);
        ints.insert("images", counters.images);
        ints.insert("seed", std::bit_cast<std::int64_t>(counters.seed));
        ints.insert("batch_size", counters.batchSize);
        ints.insert("steps_per_epoch", counters.stepsPerEpoch);
        archive.write("counters_int", c10::IValue(ints));
        FloatMap floats;
        floats.insert("epoch_loss_sum", counters.epochLossSum);
        floats.insert("last_epoch_loss", counters.lastEpochLoss);
        floats.insert("seconds", counters.seconds);
        floats.insert("wait_seconds", counters.waitSeconds);
        archive.write("counters_float", c10::IValue(floats));
        FloatMap partSums;
        for (const auto& [name, value] : counters.epochParts)
            partSums.insert(name, value);
        archive.write("epoch_parts", c10::IValue(partSums));
        archive.write("model", c10::IValue(toDict(model)));
        archive.write("optimizer", c10::IValue(toDict(optimizer)));
        const std::string kind = optimizerName(parts.optimizer.config().kind);
        archive.write("optimizer_kind", c10::IValue(kind));
        archive.write("checksum", c10::IValue(checksum(model, optimizer)));
        archive.write("has_probe", c10::IValue(parts.probe != nullptr));
        if (parts.probe)
            parts.probe->save(kProbePrefix, archive);
        archive.write("torch_cpu_rng",
                      c10::IValue(at::detail::getDefaultCPUGenerator().get_state()));
        std::ostringstream stream;
        archive.save_to(stream);
        bytes = std::move(stream).str();
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Io, "checkpoint " + file.string() + ": cannot serialise (" +
                                            std::string(e.what()).substr(0, 200) + ")");
    }
    std::error_code ec;
    if (file.has_parent_path())
        std::filesystem::create_directories(file.parent_path(), ec);
    return writeFileAtomic(file, bytes);
}

Result<CheckpointCounters> readCheckpointCounters(const std::filesystem::path& file) {
    auto opened = open(file, false);
    if (!opened)
        return opened.error();
    return (*opened)->counters;
}

Result<CheckpointCounters> loadCheckpoint(const std::filesystem::path& file,
                                          const CheckpointParts& parts) {
    auto openedResult = open(file, true);
    if (!openedResult)
        return openedResult.error();
    Opened& opened = **openedResult;
    const TensorMap live = methodTensors(parts.method);
    for (const auto& [name, tensor] : live) {
        const auto it = opened.model.find(name);
        if (it == opened.model.end())
            return corrupt(file,
                           "no tensor '" + name + "' (written for another method or backbone?)");
        if (it->second.sizes() != tensor.sizes())
            return corrupt(file, "tensor '" + name + "' has another shape than the model's");
    }
    for (const auto& entry : opened.model)
        if (!live.count(entry.first))
            return corrupt(file, "tensor '" + entry.first + "' is not part of the model");
    const char* kind = optimizerName(parts.optimizer.config().kind);
    if (opened.optimizerKind != kind)
        return corrupt(file, "optimiser " + opened.optimizerKind + ", the run uses " + kind);
    if (opened.hasProbe != (parts.probe != nullptr))
        return corrupt(file, opened.hasProbe ? "has an online probe the run does not use"
                                             : "has no online probe state");
    if (const Status loaded = parts.optimizer.loadState(opened.optimizer); !loaded)
        return corrupt(file, loaded.error().message);
    try {
        if (parts.probe)
            parts.probe->load(kProbePrefix, opened.archive);
        auto generator = at::detail::getDefaultCPUGenerator();
        const std::lock_guard lock(generator.mutex());
        generator.set_state(opened.rng);
    } catch (const std::exception& e) {
        return corrupt(file,
                       "online probe or generator state: " + std::string(e.what()).substr(0, 200));
    }
    const torch::NoGradGuard noGrad;
    for (const auto& [name, tensor] : live)
        tensor.copy_(opened.model.at(name));
    return opened.counters;
}

} // namespace gps::train
