file(REMOVE_RECURSE
  "CMakeFiles/test_board_cache.dir/unit/test_board_cache.c.o"
  "CMakeFiles/test_board_cache.dir/unit/test_board_cache.c.o.d"
  "test_board_cache"
  "test_board_cache.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_board_cache.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
