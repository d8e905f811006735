"""Settings modules: ``base`` for every site, ``test`` for the test suite."""
