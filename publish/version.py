"""The version of publish (one place: the package, the editions' generator field and the
build cache's code digest read it)."""

__version__ = "0.1.0"
