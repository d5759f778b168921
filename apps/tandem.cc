// The `tandem` binary: wiring only; everything lives in the libraries under src/.
#include "cli/cli.h"

int main(int argc, char** argv) { return tandem::cli::Main(argc, argv); }
