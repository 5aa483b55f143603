# Empty dependencies file for huizhan.
# This may be replaced when dependencies are built.
