"""Validate: every problem in every source, each with its file, line and what to do.

`schema` and `formats` check each value of the front matter and site.yml while the
sources load; `checks` runs the rules that need the whole site, once it is assembled.
The Swedish rules both use are in `site_gen.domain`.
"""
