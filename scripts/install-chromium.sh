#!/usr/bin/env bash
# Installs Debian's Chromium, which the story and end-to-end tests drive, when it is missing.
set -euo pipefail
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$chromium" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null
else
  echo "The browser tests need Chromium at $chromium: run 'sudo apt-get install -y chromium' (Debian), or set CHROMIUM_PATH." >&2
  exit 1
fi
