/* huizhan: the command desk of an investment-attraction campaign, in one binary. */
#include "cli/cli.h"

int main(int argc, char **argv) { return cli_main(argc, argv); }
