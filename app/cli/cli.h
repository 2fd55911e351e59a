#pragma once
/// gps-studio-cli: parses the command line and runs one command. Results go to stdout (text or
/// --json), progress to stderr. Exit codes: 0 success, 2 bad input (one line on stderr), 1 other
/// failures.

namespace gps::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;

int run(int argc, char** argv);

} // namespace gps::cli
