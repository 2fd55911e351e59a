#include "cli/cli.h"

int main(int argc, char** argv) {
    return gps::cli::run(argc, argv);
}
