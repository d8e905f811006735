"""The W3C Nu HTML checker and axe-core, for tests of what pages print.

Both come from npm (``tests/node``; ``make test`` installs them). Without them
the tests skip with the reason printed, or fail when the run requires every
tool (``AFTERWORD_REQUIRE_SERVICES=1``, as ``.ci/run`` sets).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

NODE_MODULES = Path(__file__).resolve().parents[1] / "node" / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"


def need_tool(ok: bool, reason: str) -> None:
    """Skip with ``reason``, or fail when the run says every tool is required."""
    if ok:
        return
    if os.environ.get("AFTERWORD_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason} (AFTERWORD_REQUIRE_SERVICES=1)")
    print(f"skipping: {reason}")
    pytest.skip(reason)


def require_vnu() -> Path:
    need_tool(bool(shutil.which("java")), "java is not installed")
    need_tool(
        VNU_JAR.exists(), "vnu-jar is missing: run `cd tests/node && npm install`"
    )
    return VNU_JAR


def require_axe() -> Path:
    need_tool(
        AXE_JS.exists(), "axe-core is missing: run `cd tests/node && npm install`"
    )
    return AXE_JS


def nu_errors(pages: dict[str, str | bytes], folder: Path) -> list[str]:
    """Check ``pages`` (label -> HTML) in ONE run of the checker.

    Starting Java once per page would take minutes. Returns one line per
    error, naming the page's label, the line and the offending markup.
    """
    jar = require_vnu()
    folder.mkdir(parents=True, exist_ok=True)
    labels: dict[str, str] = {}
    for n, (label, html) in enumerate(pages.items()):
        path = folder / f"page-{n:03d}.html"
        if isinstance(html, bytes):
            path.write_bytes(html)
        else:
            path.write_text(html)
        labels[path.name] = label
    result = subprocess.run(
        ["java", "-jar", str(jar), "--format", "json", "--errors-only"]
        + ["--exit-zero-always", *(str(folder / name) for name in labels)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [
        f"{labels.get(m.get('url', '').rsplit('/', 1)[-1], m.get('url'))}"
        f" line {m.get('lastLine')}: {m['message']} [{m.get('extract', '').strip()}]"
        for m in messages
    ]


BLOCKING_IMPACTS = ("serious", "critical")


def axe_violations(page) -> list[dict]:
    """Run axe-core on the Playwright ``page`` and return its violations.

    The page's context needs ``bypass_csp=True``: the site's policy rightly
    refuses the injected script.
    """
    page.add_script_tag(path=str(require_axe()))
    results = page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            return {
                passes: results.passes.length,
                violations: results.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
                })),
            };
        }"""
    )
    # A run that checked nothing would pass whatever the page; make sure it ran.
    assert results["passes"] > 10
    return results["violations"]
