"""No import circles between the modules of one app (issue 11, must-show 8).

Reads every module under ``src/afterword`` with ``ast`` (nothing is imported)
and draws, per app, an arrow from a module to each module of the same app it
imports: at module level or inside a function, absolute or relative. A group
of modules that reach each other through those arrows (a strongly connected
component) is a circle, and the test names its members and one path round it.

Importing a submodule also runs its package's ``__init__``, but that arrow is
not drawn: a package that does not import its submodules back is no circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "afterword"

# Circles being removed in other branches of issue 11; each entry goes when
# its fix lands (the second test below fails as a reminder once it has).


def discover_modules() -> dict[str, tuple[Path, bool]]:
    """Dotted module name -> (file, is a package ``__init__``)."""
    modules = {}
    for path in (SOURCE / PACKAGE).rglob("*.py"):
        parts = list(path.relative_to(SOURCE).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        modules[".".join(parts)] = (path, is_package)
    return modules


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base.pop()
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imported_modules(module: str, path: Path, is_package: bool, known) -> set[str]:
    """Every module of the project that ``module`` imports, anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, module, is_package)
            for alias in node.names:
                # ``from package import name``: a submodule if there is one,
                # otherwise a name defined in the package itself.
                target = f"{base}.{alias.name}"
                if target in known:
                    found.add(target)
                elif base in known:
                    found.add(base)
    return found


def import_graph() -> dict[str, set[str]]:
    """Arrows between modules of the same app only."""
    modules = discover_modules()
    graph = {}
    for module, (path, is_package) in modules.items():
        app = app_of(module)
        graph[module] = {
            target
            for target in imported_modules(module, path, is_package, modules)
            if target != module and app is not None and app_of(target) == app
        }
    return graph


def circles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            advanced = False
            for target in targets:
                if target not in index:
                    index[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph.get(target, ())))))
                    advanced = True
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(frozenset(group))
    return found


def path_round(group: frozenset[str], graph: dict[str, set[str]]) -> str:
    """One circle inside ``group``, as ``a -> b -> a``, for the failure message."""
    start = min(group)
    previous = {start: None}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph[node] & group):
            if target == start:
                chain = [node]
                while previous[chain[-1]] is not None:
                    chain.append(previous[chain[-1]])
                return " -> ".join([*reversed(chain), start])
            if target not in previous:
                previous[target] = node
                queue.append(target)
    return ", ".join(sorted(group))


def test_the_checker_finds_a_circle_through_a_lazy_import(tmp_path):
    graph = {
        "afterword.demo.services": {"afterword.demo.tasks"},
        "afterword.demo.tasks": {"afterword.demo.services"},
        "afterword.demo.models": set(),
    }
    [group] = circles(graph)
    assert group == {"afterword.demo.services", "afterword.demo.tasks"}

    # And reads one from source: a function-level relative import counts.
    package = tmp_path / "afterword" / "demo"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "services.py").write_text("def go():\n    from .tasks import run\n")
    (package / "tasks.py").write_text("from afterword.demo import services\n")
    modules = {
        "afterword.demo": (package / "__init__.py", True),
        "afterword.demo.services": (package / "services.py", False),
        "afterword.demo.tasks": (package / "tasks.py", False),
    }
    assert imported_modules(
        "afterword.demo.services", package / "services.py", False, modules
    ) == {"afterword.demo.tasks"}
    assert imported_modules(
        "afterword.demo.tasks", package / "tasks.py", False, modules
    ) == {"afterword.demo.services"}


def test_no_app_has_an_import_circle():
    graph = import_graph()
    new = circles(graph)
    assert not new, "Import circles inside an app:\n" + "\n".join(
        f"  {path_round(group, graph)}" for group in new
    )
