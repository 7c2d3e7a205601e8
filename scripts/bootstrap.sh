#!/usr/bin/env bash
# Installs what a fresh machine with only Node 20 and npm needs: pnpm, then the locked dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(pnpm --version 2>/dev/null || true)" != "12.4.2" ]; then
  npm i -g --allow-scripts=pnpm pnpm@12.4.2 >/dev/null
fi
# better-sqlite3 compiles from source; node-gyp finds Node's headers under /usr.
export npm_config_nodedir="${npm_config_nodedir:-/usr}"
pnpm install --frozen-lockfile --reporter=append-only
