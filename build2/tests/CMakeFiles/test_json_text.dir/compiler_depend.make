# Empty compiler generated dependencies file for test_json_text.
# This may be replaced when dependencies are built.
