"""The demo site: an original small review blog loaded by ``afterword load_demo``.

``posts/*.md`` hold the texts (a small front matter, then Markdown),
``images.py`` draws the figures, ``loader.py`` puts them into an empty site
through the same services the admin uses and then lets each app add its own
demo objects. This is the one corner of ``core`` that reaches up to the
domain apps; it does so lazily, and nothing else in ``core`` imports it.
"""
