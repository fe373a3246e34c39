"""site-gen: compile Swedish meeting minutes (protokoll, kallelse) into a static site."""

__version__ = "0.1.0"
