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

# The lock follows the PC's glibc: lock.txt (PySide6 6.11, glibc 2.34+) or, on UOS 20 / Kylin V10
# x86_64 (glibc 2.28-2.33), lock-glibc2.28.txt (PySide6 6.9). pick_lock.sh says which and why.
LOCK=$(bash installer/pick_lock.sh)
# The main lock is made for Python 3.11 and 3.12, the glibc 2.28 lock for 3.11. Without one on
# the PATH (UOS 20 ships 3.7, Kylin V10 3.8), find_python.sh gets uv's managed CPython 3.11.
if [[ $LOCK == *lock-glibc2.28.txt ]]; then WANT=(3.11); else WANT=(3.11 3.12); fi
if [[ -x .venv/bin/python ]]; then
  if ! .venv/bin/python -c 'import sys; raise SystemExit(
      "%d.%d" % sys.version_info[:2] not in sys.argv[1:])' "${WANT[@]}"; then
    echo "kitchenwatch setup: .venv has $(.venv/bin/python -V 2>&1), $LOCK needs Python" \
      "${WANT[*]}; remove .venv and re-run" >&2
    exit 1
  fi
else
  PYTHON=$(bash installer/find_python.sh "${WANT[@]}")
  "$PYTHON" -m venv .venv || {
    echo "kitchenwatch setup: '$PYTHON -m venv' failed; on Debian install python3-venv" >&2; exit 1; }
fi
.venv/bin/python -m pip install -q --upgrade "pip>=24"
# Exactly the versions of the chosen lock, each checked against its hash: the demo, CI and the
# bundle get the same packages on every machine of a kind (`make lock` updates both locks).
.venv/bin/python -m pip install -q --require-hashes -r "$LOCK"
.venv/bin/python -m pip install -q --no-deps --no-build-isolation -e .
# Translations are compiled from their .ts sources here, never committed as binaries.
for ts in resources/i18n/*.ts; do
  if [[ -e $ts ]]; then .venv/bin/pyside6-lrelease -silent "$ts" -qm "${ts%.ts}.qm"; fi
done
touch .venv/.kitchenwatch-installed
echo "kitchenwatch setup: ready (.venv, $LOCK)"
