// Replays a fuzz corpus without libFuzzer: every regular file of every folder (or file) named on
// the command line is fed to the harness's LLVMFuzzerTestOneInput, in name order. Linked with
// one harness into an ordinary executable, it makes each corpus a CTest test, so an input that
// once crashed a reader keeps failing the build until the reader is fixed.
//
// A crash or an escaping exception fails the process; the input's path is printed first.

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

// The input being replayed, for the signal handler (which may only call async-signal-safe
// functions, hence a fixed buffer and write()).
char g_current[4096] = "";

void reportCrash(int signal) {
    const char prefix[] = "fuzz replay: crashed on ";
    (void)!::write(STDERR_FILENO, prefix, sizeof prefix - 1);
    (void)!::write(STDERR_FILENO, g_current, std::strlen(g_current));
    (void)!::write(STDERR_FILENO, "\n", 1);
    std::signal(signal, SIG_DFL);
    std::raise(signal);
}

std::vector<fs::path> inputsOf(const fs::path& path) {
    std::vector<fs::path> inputs;
    if (fs::is_directory(path)) {
        for (const auto& entry : fs::directory_iterator(path))
            if (entry.is_regular_file())
                inputs.push_back(entry.path());
        std::sort(inputs.begin(), inputs.end());
    } else if (fs::is_regular_file(path)) {
        inputs.push_back(path);
    }
    return inputs;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s CORPUS_FOLDER_OR_FILE...\n", argv[0]);
        return 2;
    }
    for (int signal : {SIGSEGV, SIGABRT, SIGFPE, SIGBUS, SIGILL})
        std::signal(signal, reportCrash);

    std::size_t replayed = 0;
    for (int a = 1; a < argc; ++a) {
        const std::vector<fs::path> inputs = inputsOf(argv[a]);
        if (inputs.empty()) {
            std::fprintf(stderr, "fuzz replay: no inputs in %s\n", argv[a]);
            return 2;
        }
        for (const fs::path& input : inputs) {
            std::snprintf(g_current, sizeof g_current, "%s", input.c_str());
            std::ifstream in(input, std::ios::binary);
            const std::vector<char> bytes{std::istreambuf_iterator<char>(in), {}};
            try {
                LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                       bytes.size());
            } catch (const std::exception& e) {
                std::fprintf(stderr, "fuzz replay: %s: exception escaped: %s\n", input.c_str(),
                             e.what());
                return 1;
            }
            ++replayed;
        }
    }
    std::printf("fuzz replay: %zu inputs, no crash\n", replayed);
    return 0;
}
