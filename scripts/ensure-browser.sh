#!/usr/bin/env bash
# Make sure a Chromium that Playwright can drive is installed. Playwright cannot
# download its own browser here, so the tests launch Debian's chromium package.
set -euo pipefail
for candidate in "${AFTERWORD_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then
    exit 0
  fi
done
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "No Chromium found: install Debian's 'chromium' package (or set AFTERWORD_CHROMIUM)." >&2
  echo "Browser tests will be skipped." >&2
fi
