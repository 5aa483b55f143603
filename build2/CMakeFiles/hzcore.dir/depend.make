# Empty dependencies file for hzcore.
# This may be replaced when dependencies are built.
