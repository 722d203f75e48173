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
# The same resolution in PEP 751 form names each file: platforms.txt keeps the wheels a Windows
# build PC and Linux x86_64 / aarch64 PCs install, and the check fails the lock when one of them
# would have to build a package from source (installer/lock_platforms.py).
"$tool/bin/uv" pip compile pyproject.toml --extra dev --extra postgres --extra bundle \
  --universal --python-version 3.11 --quiet --format pylock.toml \
  -c installer/requirements/lock.txt -o "$tool/pylock.toml"
"$tool/bin/python" -m pip install -q "packaging>=24"
"$tool/bin/python" installer/lock_platforms.py write "$tool/pylock.toml" \
  > installer/requirements/platforms.txt
"$tool/bin/python" installer/lock_platforms.py check
echo "lock: installer/requirements/lock.txt and platforms.txt updated; run make test, then commit them with pyproject.toml"
