# Empty compiler generated dependencies file for test_json_body.
# This may be replaced when dependencies are built.
