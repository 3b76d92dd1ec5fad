#!/usr/bin/env bash
# Web console tests: Vitest unit tests, the i18n completeness check, then the browser e2e
# (playwright-core + Debian chromium against a `cloudphone up` it starts itself).
#   CP_CLOUDPHONE_BIN  the binary (default build/cloudphone, relative to the repo)
#   CP_ARTIFACTS_DIR   where screenshots go (default web/e2e/artifacts)
#   CP_CHROMIUM        the browser (default /usr/bin/chromium)
#   CP_WEB_SKIP_E2E=1  unit tests and i18n check only
# Exit status non-zero when any part fails; every part runs.
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/build-web.sh || { echo "test-web: build failed"; exit 1; }
cd web
failed=()

echo "== test-web: unit tests (vitest)"
npx vitest run || failed+=(unit)

echo "== test-web: i18n completeness"
node scripts/check-i18n.mjs || failed+=(i18n)

if [ "${CP_WEB_SKIP_E2E:-0}" != "1" ]; then
  echo "== test-web: browser e2e (node --test)"
  if [ ! -x "${CP_CHROMIUM:-/usr/bin/chromium}" ]; then
    echo "test-web: ${CP_CHROMIUM:-/usr/bin/chromium} missing (scripts/install-deps.sh installs Debian chromium)"
    failed+=(e2e)
  else
    node --test --test-concurrency=1 e2e/ || failed+=(e2e)
  fi
fi

if ((${#failed[@]})); then
  echo "test-web: FAILED: ${failed[*]}"
  exit 1
fi
echo "test-web: all passed"
