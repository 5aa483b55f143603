# Empty dependencies file for io_bench.
# This may be replaced when dependencies are built.
