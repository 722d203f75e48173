#!/usr/bin/env bash
# The Python that installer/setup.sh makes .venv with: prints its path on stdout, why on stderr.
#   find_python.sh 3.11 3.12   the versions the chosen lock is made for
# Order: $PYTHON; python3.11 / python3.12 / python3 from the PATH; else uv's managed CPython
# (python-build-standalone, needs glibc 2.17+ and no root), because UOS 20 ships Python 3.7 and
# Kylin V10 3.8, and Debian 10's apt has no 3.11. uv is taken from the PATH or ~/.local/bin, or
# fetched once as PyPI's hashed uv wheel with the system python3's pip (the binary inside the
# wheel runs on any Python, so a 3.7 pip may download it) into ~/.cache/kitchenwatch/.
set -euo pipefail
(($#)) || set -- 3.11 3.12
WANT=("$@")
UV_VERSION=0.13.10
declare -A UV_SHA256=(
  [x86_64]=7cc9c41b43d583e34c781fd3446405b06e9c5fa2db468ce2a534d353db6429e5
  [aarch64]=e89dd26ea831dde70639ba0a798fa04a4c7c0226fd2b241da86218bfa370e495
)
say() { echo "kitchenwatch setup: $*" >&2; }
version_of() { "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || echo "?"; }
fits() { local v; v=$(version_of "$1"); for w in "${WANT[@]}"; do [[ $v == "$w" ]] && return 0; done; return 1; }

if [[ -n ${PYTHON:-} ]]; then
  fits "$PYTHON" || { say "PYTHON=$PYTHON is Python $(version_of "$PYTHON"); this lock needs ${WANT[*]}"; exit 1; }
  command -v "$PYTHON"; exit 0
fi
seen=()
for candidate in "${WANT[@]/#/python}" python3; do
  if command -v "$candidate" >/dev/null 2>&1; then
    if fits "$candidate"; then command -v "$candidate"; exit 0; fi
    seen+=("$candidate is $(version_of "$candidate")")
  fi
done

uv=$(command -v uv 2>/dev/null || true)
for c in "$HOME/.local/bin/uv" "$HOME/.cargo/bin/uv"; do [[ -n $uv || ! -x $c ]] || uv=$c; done
cache=${XDG_CACHE_HOME:-$HOME/.cache}/kitchenwatch/uv-$UV_VERSION
[[ -n $uv || ! -x $cache/uv ]] || uv=$cache/uv
say "no Python ${WANT[0]} on this PC${seen:+ (${seen[*]})}; getting uv's managed CPython ${WANT[0]}" \
  "(no root, no compiling; ~/.local/share/uv/python)"
if [[ -z $uv ]]; then
  machine=$(uname -m)
  sha=${UV_SHA256[$machine]:-}
  [[ -n $sha ]] || { say "no uv wheel is pinned for $machine; install Python ${WANT[0]} and re-run with PYTHON=/path/to/python${WANT[0]}"; exit 1; }
  if ! command -v python3 >/dev/null 2>&1 || ! python3 -m pip --version >/dev/null 2>&1; then
    say "fetching uv needs python3's pip (Debian/UOS/Kylin: sudo apt-get install python3-pip)," \
      "or install uv yourself (https://docs.astral.sh/uv/getting-started/installation/) and re-run"
    exit 1
  fi
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  echo "uv==$UV_VERSION --hash=sha256:$sha" > "$tmp/uv.txt"
  say "fetching uv $UV_VERSION (PyPI wheel, sha256 checked) into $cache"
  python3 -m pip download -q --no-deps --only-binary=:all: --ignore-requires-python \
    --python-version 3.8 --platform "manylinux2014_$machine" --require-hashes \
    -r "$tmp/uv.txt" -d "$tmp" >&2
  python3 -m zipfile -e "$tmp"/uv-"$UV_VERSION"-*.whl "$tmp/wheel"
  mkdir -p "$cache"
  install -m 755 "$tmp/wheel/uv-$UV_VERSION.data/scripts/uv" "$cache/uv"
  uv=$cache/uv
fi
"$uv" python install "${WANT[0]}" >&2
found=$("$uv" python find "${WANT[0]}")
fits "$found" || { say "uv python find ${WANT[0]} gave $found, which is not Python ${WANT[0]}"; exit 1; }
say "using $found (uv's managed CPython $(version_of "$found"))"
echo "$found"
