"""``make run`` refuses a Python older than 3.11 with a message that says why."""

import subprocess
import sys
from pathlib import Path

CHECK = Path(__file__).resolve().parents[2] / "scripts" / "check-python.sh"


def check(python: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(CHECK), python], capture_output=True, text=True, timeout=30
    )


def test_the_running_python_is_accepted():
    result = check(sys.executable)

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_an_old_python_is_refused_with_its_version_and_a_way_out(tmp_path):
    old_python = tmp_path / "python3"
    # Answers like Python 3.9 would: the version test fails, the version prints.
    old_python.write_text(
        '#!/bin/sh\ncase "$2" in *platform*) echo 3.9.18 ;; *) exit 1 ;; esac\n'
    )
    old_python.chmod(0o755)

    result = check(str(old_python))

    assert result.returncode == 1
    assert "needs Python 3.11 or newer" in result.stderr
    assert "is Python 3.9.18" in result.stderr
    assert "make run PYTHON=" in result.stderr


def test_a_missing_python_is_named():
    result = check("python-that-does-not-exist")

    assert result.returncode == 1
    assert "'python-that-does-not-exist' was not found" in result.stderr
