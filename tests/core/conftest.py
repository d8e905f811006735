from tests.support.nameserver import nameserver  # noqa: F401
from tests.support.peers import peers  # noqa: F401
