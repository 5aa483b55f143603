# Empty dependencies file for test_validate.
# This may be replaced when dependencies are built.
