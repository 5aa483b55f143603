# Empty compiler generated dependencies file for test_audit.
# This may be replaced when dependencies are built.
