#!/usr/bin/env bash
# Builds the web consoles into web/dist/portal and web/dist/admin (served by the gateway).
# Idempotent: installs npm packages when web/package-lock.json changed since the last install,
# rebuilds only when a source is newer than the output. Exit status non-zero on any failure.
#   scripts/build-web.sh          build if needed
#   scripts/build-web.sh --force  build regardless
set -euo pipefail
cd "$(dirname "$0")/../web"

force=0
[ "${1:-}" = "--force" ] && force=1

stamp=node_modules/.cloudphone-install-stamp
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ] \
   || [ shared/package.json -nt "$stamp" ] || [ portal/package.json -nt "$stamp" ] || [ admin/package.json -nt "$stamp" ]; then
  echo "build-web: npm install"
  if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  else
    npm install --no-audit --no-fund --loglevel=error
  fi
  touch "$stamp"
fi

out_stamp=dist/.build-stamp
if [ "$force" -eq 0 ] && [ -f "$out_stamp" ] && [ -f dist/portal/index.html ] && [ -f dist/admin/index.html ]; then
  newer=$(find shared portal admin tsconfig.base.json package.json package-lock.json \
            -path '*/node_modules' -prune -o -type f -newer "$out_stamp" -print -quit)
  if [ -z "$newer" ]; then
    echo "build-web: web/dist is up to date"
    exit 0
  fi
fi

echo "build-web: npm run build"
rm -f "$out_stamp"
npm run build --silent
touch "$out_stamp"
echo "build-web: built web/dist/portal and web/dist/admin"
