"""Mastodon login for allauth, for any server a reader names (see afterword.social)."""
