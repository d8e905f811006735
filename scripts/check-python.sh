#!/usr/bin/env bash
# Check that the Python given as $1 (default python3) can build Afterword's
# virtualenv: version 3.11 or newer, with the venv module. Called by the
# Makefile before it creates .venv, so a wrong Python fails with a message
# instead of an obscure install error.
set -euo pipefail
python="${1:-python3}"
if ! command -v "$python" >/dev/null 2>&1; then
  echo "Afterword needs Python 3.11 or newer, but '$python' was not found." >&2
  echo "Install Python 3.11+ (Debian/Ubuntu: apt-get install python3 python3-venv)," >&2
  echo "or name another interpreter: make run PYTHON=/path/to/python3.12" >&2
  exit 1
fi
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  version="$("$python" -c 'import platform; print(platform.python_version())' 2>/dev/null || echo 'too old')"
  echo "Afterword needs Python 3.11 or newer; '$python' is Python $version." >&2
  echo "Install a newer Python and run, for example: make run PYTHON=python3.12" >&2
  exit 1
fi
if ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  echo "'$python' cannot create virtual environments (the venv/ensurepip module is missing)." >&2
  echo "Debian/Ubuntu: apt-get install python3-venv" >&2
  exit 1
fi
