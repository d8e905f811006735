"""A throwaway app with a ``demo`` module, to test how load_demo finds them."""
