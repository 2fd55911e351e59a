#include "project/project.h"

#include "augment/presets.h"
#include "common/check.h"
#include "common/file_io.h"
#include "common/json_checks.h"
#include "project/project_sections.h"

#include <algorithm>

namespace gps::project {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace detail;

namespace {

// "line L, column C" of the character at byte `position` (1-based count of bytes read, as
// nlohmann's parse_error::byte reports it), counting lines and columns as an editor does.
std::string lineAndColumn(const std::string& text, std::size_t position) {
    const std::size_t index = std::min(position > 0 ? position - 1 : 0, text.size());
    std::size_t line = 1, lineStart = 0;
    for (std::size_t i = 0; i < index; ++i)
        if (text[i] == '\n')
            ++line, lineStart = i + 1;
    return "line " + std::to_string(line) + ", column " + std::to_string(index - lineStart + 1);
}

Error overrideError(const std::string& assignment, const std::string& text) {
    constexpr std::size_t kShown = 80; // a generated assignment can be megabytes long
    const std::string shown =
        assignment.size() <= kShown ? assignment : assignment.substr(0, kShown) + "…";
    return makeError(ErrorCode::InvalidInput, "--set '" + shown + "': " + text);
}

} // namespace

augment::AugmentSpec defaultAugmentSpec() {
    auto spec = augment::presetSpec(kDefaultAugmentPreset, kPresetShape);
    GPS_CHECK(spec.ok(), "the default augmentation preset must exist");
    return std::move(*spec);
}

Result<Project> parseProject(const json& document, const fs::path& file) {
    if (!document.is_object())
        return invalid("project", "must be a JSON object, got " + found(document));
    const Fields root(&document, "");
    if (Problem problem =
            root.checkKnown({"version", "name", "description", "dataset", "prior", "neighbors",
                             "positives", "augment", "backbone", "method", "train", "eval"}))
        return *problem;
    if (!root.has("version"))
        return invalid("version", "missing (write \"version\": 1 at the top of the file)");
    const json& version = root.at("version");
    if (!version.is_number_integer())
        return invalid("version", "must be the integer 1, got " + found(version));
    if (version.get<std::int64_t>() != kProjectVersion)
        return invalid("version", "unsupported " + found(version) + " (this studio reads " +
                                      std::to_string(kProjectVersion) + ")");

    Project project;
    project.file = file;
    project.name = file.stem().string();
    std::error_code ec;
    const fs::path folder =
        file.empty() ? fs::path() : fs::absolute(file, ec).lexically_normal().parent_path();
    const ssl::MethodInfo* method = nullptr;
    if (Problem problem = root.text("name", true, project.name))
        return *problem;
    if (Problem problem = root.text("description", true, project.description))
        return *problem;
    if (Problem problem = readDataset(document, folder, project.dataset))
        return *problem;
    if (Problem problem = readPrior(document, folder, project.prior))
        return *problem;
    if (Problem problem = readNeighbors(document, project.neighbors))
        return *problem;
    if (Problem problem = readMethod(document, project.method, method))
        return *problem;
    if (Problem problem = readPositives(document, *method, project.positives))
        return *problem;
    if (Problem problem = readAugment(document, project.augment, project.augmentPreset))
        return *problem;
    if (Problem problem = readBackbone(document, project.backbone))
        return *problem;
    if (Problem problem = readTrain(document, *method, project.train))
        return *problem;
    if (Problem problem = readEval(document, project.eval))
        return *problem;

    if (project.positives.source == train::PositiveSource::Synthetic &&
        project.prior.spec.rfind("vae:", 0) != 0)
        return invalid("positives.source",
                       "synthetic needs a vae:D prior, got " + project.prior.spec);
    return project;
}

Result<json> readProjectDocument(const fs::path& file) {
    auto bytes = readFileBytes(file);
    if (!bytes)
        return bytes.error();
    const std::string text(bytes->begin(), bytes->end());
    if (Status checked = checkJsonText(text); !checked)
        return makeError(ErrorCode::InvalidInput, file.string() + ": " + checked.error().message);
    try {
        return json::parse(text, nullptr, /*allow_exceptions=*/true, /*ignore_comments=*/true);
    } catch (const json::parse_error& e) {
        return makeError(ErrorCode::InvalidInput, file.string() + ": invalid JSON at " +
                                                      lineAndColumn(text, e.byte) + ": " +
                                                      jsonParseReason(e.what()));
    }
}

Result<Project> loadProject(const fs::path& file, const std::vector<std::string>& overrides) {
    auto document = readProjectDocument(file);
    if (!document)
        return document.error();
    for (const std::string& assignment : overrides)
        if (Status applied = applyOverride(*document, assignment); !applied)
            return applied.error();
    auto project = parseProject(*document, file);
    if (!project)
        return makeError(project.error().code, file.string() + ": " + project.error().message);
    return project;
}

Status applyOverride(json& document, const std::string& assignment) {
    const auto equals = assignment.find('=');
    if (equals == std::string::npos)
        return overrideError(assignment, "missing '=' (write KEY=VALUE, e.g. train.epochs=1)");
    const std::string key = assignment.substr(0, equals);
    const std::string text = assignment.substr(equals + 1);
    if (key.empty())
        return overrideError(assignment, "empty key (write KEY=VALUE, e.g. train.epochs=1)");
    std::vector<std::string> parts;
    for (std::size_t start = 0;;) {
        const auto dot = key.find('.', start);
        parts.push_back(key.substr(start, dot == std::string::npos ? dot : dot - start));
        if (parts.back().empty())
            return overrideError(assignment, "empty part in key '" + key + "'");
        if (dot == std::string::npos)
            break;
        start = dot + 1;
    }
    if (static_cast<int>(parts.size()) >= kMaxJsonDepth)
        return overrideError(assignment, "the key has more than " +
                                             std::to_string(kMaxJsonDepth - 1) + " parts");
    if (Status checked = checkJsonText(text, kMaxJsonDepth - static_cast<int>(parts.size()), key);
        !checked)
        return overrideError(assignment, checked.error().message);
    if (document.is_null())
        document = json::object();
    if (!document.is_object())
        return overrideError(assignment, "the project document is not an object");
    json* node = &document;
    std::string path;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        path += (path.empty() ? "" : ".") + parts[i];
        json& child = (*node)[parts[i]];
        if (child.is_null())
            child = json::object();
        if (!child.is_object())
            return overrideError(assignment,
                                 path + " is not an object (it holds " + found(child) + ")");
        node = &child;
    }
    json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
    (*node)[parts.back()] = value.is_discarded() ? json(text) : std::move(value);
    return Ok{};
}

} // namespace gps::project
