# Empty compiler generated dependencies file for test_bulletin_doc.
# This may be replaced when dependencies are built.
