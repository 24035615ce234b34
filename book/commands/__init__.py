"""The commands of the command line: each runs the stages below it."""
