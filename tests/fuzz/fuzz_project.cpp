// Fuzzes the project parser: the input is a project file. readProjectDocument then
// parseProject must return errors, never crash or throw; a project that parses must survive
// projectToJson -> parseProject, and saveProject -> loadProject (the studio's save and reopen),
// unchanged.

#include "fuzz_support.h"

#include "project/project.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace fs = std::filesystem;
    using namespace gps::project;
    const fs::path file = gps::fuzz::freshScratchDir() / "project.json";
    gps::fuzz::writeFile(file, {data, size});
    const auto document = readProjectDocument(file);
    if (!document)
        return 0;
    const auto project = parseProject(*document, file);
    if (!project)
        return 0;

    const auto again = parseProject(projectToJson(*project), file);
    if (!again)
        gps::fuzz::fail("projectToJson output does not parse: " + again.error().message);
    if (!(*again == *project))
        gps::fuzz::fail("projectToJson -> parseProject changed the project");

    if (const gps::Status saved = saveProject(*project, file); !saved)
        gps::fuzz::fail("saveProject failed: " + saved.error().message);
    const auto reopened = loadProject(file);
    if (!reopened)
        gps::fuzz::fail("a saved project does not load: " + reopened.error().message);
    if (!(*reopened == *project))
        gps::fuzz::fail("saveProject -> loadProject changed the project");
    return 0;
}
