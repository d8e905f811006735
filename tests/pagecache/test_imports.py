"""The page cache's modules import one another one way only (issue 11).

``state`` clears the page files when it starts a version and ``files`` reads
the version after writing one; they used to import each other (one of them
inside a function). Every import counts here, at the top or in a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import afterword.pagecache

PACKAGE = "afterword.pagecache"


def imports_within(package_dir: Path, package: str) -> dict[str, set[str]]:
    """For each module of the package, the sibling modules it imports."""
    modules = {path.stem for path in package_dir.glob("*.py")}
    graph: dict[str, set[str]] = {}
    for path in sorted(package_dir.glob("*.py")):
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                if node.level == 1:
                    base = node.module
                elif node.module and node.module.startswith(package + "."):
                    base = node.module.removeprefix(package + ".")
                elif node.module == package:
                    base = None
                else:
                    continue
                if base:
                    found.add(base.split(".")[0])
                else:
                    found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith(package + "."):
                        found.add(alias.name.removeprefix(package + ".").split(".")[0])
        graph[path.stem] = (found & modules) - {path.stem}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import path that comes back to where it started."""
    found = []

    def walk(path: list[str]) -> None:
        for nxt in sorted(graph.get(path[-1], ())):
            if nxt == path[0]:
                found.append([*path, nxt])
            elif nxt not in path and nxt > path[0]:
                walk([*path, nxt])

    for start in sorted(graph):
        walk([start])
    return found


def test_no_import_circle_between_the_page_caches_modules():
    package_dir = Path(afterword.pagecache.__file__).parent
    graph = imports_within(package_dir, PACKAGE)
    assert "files" in graph["state"]  # state clears the files ...
    assert "state" not in graph["files"]  # ... and files no longer needs state
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
