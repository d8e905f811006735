from tests.support.fedify import fedify_peer  # noqa: F401
