"""Afterword: a self-hosted publishing platform for critics and fan writers."""

__version__ = "0.1.0"
