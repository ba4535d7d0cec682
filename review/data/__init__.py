"""Data shipped with the package: the scorer weights."""
