"""The multi-node topology, started once for the module (see cluster.py)."""

from __future__ import annotations

import sys

import pytest

from .cluster import Cluster


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if not sys.platform.startswith("linux"):
        pytest.skip("finds processes through /proc")
    running = Cluster(tmp_path_factory.mktemp("multinode"))
    try:
        running.start()
        yield running
    finally:
        running.stop()
        print(
            "\ntests/multinode set-up and tear-down (s, since each began): "
            + ", ".join(
                f"{name} {value:.1f}" for name, value in running.timings.items()
            )
        )
