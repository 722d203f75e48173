#!/usr/bin/env bash
# `make lock`: resolve pyproject.toml's ranges into installer/requirements/lock.txt, the exact
# versions and hashes that installer/setup.sh (and so `make demo`, `make test`, CI and the
# bundle) installs. One lock for Linux, Windows and macOS (markers), for Python 3.11 and 3.12.
# Run it after changing a dependency in pyproject.toml, or to take newer releases; then run
# `make test` and commit both files together. The resolver runs from a throwaway venv.
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION="0.13.10"
tool=$(mktemp -d)
trap 'rm -rf "$tool"' EXIT
python3 -m venv "$tool"
"$tool/bin/python" -m pip install -q "uv==$UV_VERSION"
"$tool/bin/uv" pip compile pyproject.toml --extra dev --extra postgres --extra bundle \
  --universal --python-version 3.11 --generate-hashes --quiet \
  --custom-compile-command "make lock" -o installer/requirements/lock.txt "$@"
echo "lock: installer/requirements/lock.txt updated; run make test, then commit it with pyproject.toml"
