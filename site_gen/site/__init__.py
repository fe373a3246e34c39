"""The site's structure: which pages there are, the URL of each, and what each is made of.

`urls` computes every URL; `pages` lists one `Page` per output file; `fingerprint`
says which inputs a page depends on; `feeds` and `opendata` choose what a feed and
the JSON export hold.
"""
