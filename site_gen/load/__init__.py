"""Load: the site's sources read into documents, each checked as it is read.

`documents` finds the source files and reads one; `sources` reads them all (from
memory, the disk cache or two helper processes); `frontmatter` parses YAML with line
numbers; `config` reads site.yml; `body` cuts the text into § sections, decisions and
agenda items; `markdown` makes safe HTML; `attachments` and `filetext` read the files
a document lists.
"""
