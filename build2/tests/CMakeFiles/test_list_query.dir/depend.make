# Empty dependencies file for test_list_query.
# This may be replaced when dependencies are built.
