# Empty compiler generated dependencies file for test_record_write.
# This may be replaced when dependencies are built.
