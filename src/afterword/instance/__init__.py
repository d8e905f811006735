"""An installation of Afterword: set-up, serving, and the demo site.

Holds the operator's commands (``setup_site``, ``serve``, ``load_demo``) and
the original demo content, so that ``core`` stays free of domain code.
"""
