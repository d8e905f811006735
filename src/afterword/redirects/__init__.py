"""Addresses that never break: old paths answering with a redirect.

See ``models.Redirect`` for what is stored, ``actions`` for the rules,
``moves`` for the redirects recorded when a post's or a term's address
changes, and ``middleware`` for how a 404 becomes a redirect.
"""
