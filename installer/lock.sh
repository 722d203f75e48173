#!/usr/bin/env bash
# `make lock`: resolve pyproject.toml's ranges into installer/requirements/lock.txt, the exact
# versions and hashes that installer/setup.sh (and so `make demo`, `make test`, CI and the
# bundle) installs. One lock for Linux, Windows and macOS (markers), for Python 3.11 and 3.12.
# Run it after changing a dependency in pyproject.toml, or to take newer releases; then run
# `make test` and commit both files together. The resolver runs from a throwaway venv.
# A second lock, lock-glibc2.28.txt, is for Linux x86_64 PCs with glibc 2.28-2.33 (UOS 20,
# Kylin V10), where the main lock's PySide6 wheels (glibc 2.34+) do not run: the same ranges
# resolved for x86_64-manylinux_2_28 and Python 3.11, PySide6 held at 6.9 by
# requirements/constraints-glibc2.28.txt. installer/setup.sh picks one of the two by glibc.
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
# The glibc 2.28 lock. Its platforms file comes from a --universal resolution constrained to the
# lock's versions, so it lists every x86_64 wheel of each version and the check, not uv's wheel
# choice, decides whether each package has one for glibc 2.28.
"$tool/bin/uv" pip compile pyproject.toml --extra dev --extra postgres --extra bundle \
  --python-platform x86_64-manylinux_2_28 --python-version 3.11 --generate-hashes --quiet \
  -c installer/requirements/constraints-glibc2.28.txt \
  --custom-compile-command "make lock" -o installer/requirements/lock-glibc2.28.txt "$@"
mkdir -p "$tool/compat"
"$tool/bin/uv" pip compile pyproject.toml --extra dev --extra postgres --extra bundle \
  --universal --python-version 3.11 --quiet --format pylock.toml \
  -c installer/requirements/lock-glibc2.28.txt -o "$tool/compat/pylock.toml"
"$tool/bin/python" installer/lock_platforms.py write "$tool/compat/pylock.toml" --compat \
  > installer/requirements/platforms-glibc2.28.txt
"$tool/bin/python" installer/lock_platforms.py check
echo "lock: installer/requirements/lock.txt, lock-glibc2.28.txt and their platforms files updated;" \
  "run make test, then commit them with pyproject.toml"
