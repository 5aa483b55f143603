file(REMOVE_RECURSE
  "CMakeFiles/io_bench.dir/bench/io_bench.c.o"
  "CMakeFiles/io_bench.dir/bench/io_bench.c.o.d"
  "io_bench"
  "io_bench.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/io_bench.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
