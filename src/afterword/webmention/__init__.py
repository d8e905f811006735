"""Webmention (W3C Recommendation): sending, receiving and showing mentions.

See ``docs/fediverse.md`` for what a writer and a reader see.
"""
