#!/usr/bin/env bash
# Install what the tests need and run them: the README's test command, and what CI runs.
#   - the package with its test extras (pytest, hypothesis, jsonschema, selenium)
#   - Debian's chromium and chromium-driver, for the browser tests, when missing
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet --disable-pip-version-check -e '.[test,dask]'

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  echo "installing Debian's chromium and chromium-driver for the browser tests" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi

python -m pytest "$@"
