# CMake generated Testfile for 
# Source directory: /work/wt/figs
# Build directory: /work/wt/figs/build2
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
subdirs("tests")
