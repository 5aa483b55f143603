CMakeFiles/hzcore.dir/src/demo/demo_data.c.o: \
 /work/wt/figs/src/demo/demo_data.c /usr/include/stdc-predef.h \
 /work/wt/figs/src/demo/demo_data.h \
 /usr/lib/gcc/x86_64-linux-gnu/12/include/stddef.h
