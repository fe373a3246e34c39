"""site-gen: compile Swedish meeting minutes (protokoll, kallelse) into a static site.

A build runs load → validate → model → site → render → write; docs/architecture.md
names the modules of each stage and where a change usually goes.
"""

__version__ = "0.1.0"
