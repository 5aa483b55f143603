# Empty dependencies file for test_figures.
# This may be replaced when dependencies are built.
