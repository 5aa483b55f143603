# Empty dependencies file for io_tool.
# This may be replaced when dependencies are built.
