#!/usr/bin/env bash
# One-step set-up on Debian/Ubuntu: system packages (apt-get when root), a virtual
# environment in .venv/ and the kitchenwatch package with its dev extra.
# Idempotent: `make` re-runs it only when pyproject.toml, the lock file or this file changes.
set -euo pipefail
cd "$(dirname "$0")/.."

# libVLC + plugins play the wall; ffmpeg makes and serves the demo streams; Xvfb, the xcb
# libraries and a CJK font are needed for real windows and readable Chinese labels.
SYSTEM_PACKAGES=(
  libvlc5 libvlc-bin vlc-plugin-base ffmpeg
  xvfb x11-utils imagemagick fonts-noto-cjk
  libgl1 libegl1 libglib2.0-0 libfontconfig1 libdbus-1-3 libxkbcommon0 libxkbcommon-x11-0
  libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
  libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-cursor0 libpulse0
  postgresql
)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "kitchenwatch setup: installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "kitchenwatch setup: these system packages are missing; install them and re-run:" >&2
    echo "  sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

PYTHON=${PYTHON:-}
if [[ -z $PYTHON ]]; then
  for candidate in python3.11 python3.12 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then PYTHON=$candidate; break; fi
  done
fi
[[ -n $PYTHON ]] || { echo "kitchenwatch setup: Python 3.11 is required" >&2; exit 1; }
# The lock is made for 3.11 and 3.12: an older python3 (UOS 20: 3.7, Kylin V10: 3.8) would fail
# deep inside pip. Say so at once and how to get a suitable interpreter.
if ! "$PYTHON" -c 'import sys; raise SystemExit(sys.version_info[:2] not in ((3, 11), (3, 12)))'; then
  echo "kitchenwatch setup: $PYTHON is Python $("$PYTHON" -c 'import platform; print(platform.python_version())' 2>/dev/null || echo '?');" \
    "Python 3.11 or 3.12 is required. Install one (Debian 12: apt-get install python3 python3-venv;" \
    "elsewhere e.g. 'uv python install 3.11') and re-run with PYTHON=/path/to/python3.11 make setup" >&2
  exit 1
fi
if [[ ! -x .venv/bin/python ]]; then
  "$PYTHON" -m venv .venv || {
    echo "kitchenwatch setup: '$PYTHON -m venv' failed; on Debian install python3-venv" >&2; exit 1; }
fi
.venv/bin/python -m pip install -q --upgrade "pip>=24"
# Exactly the versions of installer/requirements/lock.txt, each checked against its hash: the
# demo, CI and the bundle get the same packages on every machine (`make lock` updates it).
.venv/bin/python -m pip install -q --require-hashes -r installer/requirements/lock.txt
.venv/bin/python -m pip install -q --no-deps --no-build-isolation -e .
# Translations are compiled from their .ts sources here, never committed as binaries.
for ts in resources/i18n/*.ts; do
  if [[ -e $ts ]]; then .venv/bin/pyside6-lrelease -silent "$ts" -qm "${ts%.ts}.qm"; fi
done
touch .venv/.kitchenwatch-installed
echo "kitchenwatch setup: ready (.venv)"
