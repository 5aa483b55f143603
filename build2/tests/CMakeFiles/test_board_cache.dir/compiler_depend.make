# Empty compiler generated dependencies file for test_board_cache.
# This may be replaced when dependencies are built.
