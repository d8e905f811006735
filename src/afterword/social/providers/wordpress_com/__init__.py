"""WordPress.com login for allauth (see afterword.social)."""
