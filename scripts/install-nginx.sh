#!/usr/bin/env bash
# Install nginx (and openssl) for the deployment test and `make bench`, as
# root with apt, without letting Debian start its default server: that one
# would listen on port 80 on every interface, and ours bind 127.0.0.1 only.
set -euo pipefail
if command -v nginx >/dev/null 2>&1 && command -v openssl >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "nginx is not installed (root and apt-get are needed to install it)."
  exit 0
fi
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  # invoke-rc.d asks this script before starting a service: 101 means no.
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod +x "$policy"
  trap 'rm -f "$policy"' EXIT
fi
echo "Installing nginx-light (apt-get) ..."
apt-get update -qq || true
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light openssl >/dev/null
