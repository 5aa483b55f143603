# Empty dependencies file for test_date.
# This may be replaced when dependencies are built.
