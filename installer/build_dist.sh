#!/usr/bin/env bash
# `make dist`: the console as a PyInstaller one-folder bundle in dist/kitchenwatch/.
#   1. PyInstaller into .venv (the `bundle` extra of pyproject.toml; not a runtime dependency)
#   2. translations compiled (.ts -> .qm) and the icon rendered (SVG -> PNG) into build/stage
#   3. pyinstaller installer/kitchenwatch.spec
#   4. desktop entry and icons beside the program; size and build time printed
# Then: installer/smoke.sh dist/kitchenwatch  (runs --version and --smoke on the result).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=.venv/bin/python
[[ -x $PY ]] || { echo "build_dist: run 'make setup' first (no .venv)" >&2; exit 1; }
started=$(date +%s)

requirement=$($PY - <<'PYEOF'
import tomllib
with open("pyproject.toml", "rb") as f:
    print(" ".join(tomllib.load(f)["project"]["optional-dependencies"]["bundle"]))
PYEOF
)
if ! $PY -c "import PyInstaller" 2>/dev/null; then
  echo "build_dist: installing $requirement into .venv"
  # shellcheck disable=SC2086
  $PY -m pip install -q $requirement
fi

STAGE=$ROOT/build/stage
rm -rf "$STAGE"
mkdir -p "$STAGE/i18n" "$STAGE/icon"
shopt -s nullglob
for ts in resources/i18n/*.ts; do
  name=$(basename "${ts%.ts}")
  .venv/bin/pyside6-lrelease -silent "$ts" -qm "$STAGE/i18n/$name.qm"
done
$PY installer/render_icon.py "$STAGE/icon" >/dev/null

export KW_STAGE=$STAGE
$PY -m PyInstaller --noconfirm --log-level WARN --workpath build/pyinstaller --distpath dist \
  installer/kitchenwatch.spec

OUT=dist/kitchenwatch
INTERNAL=$OUT/_internal
# resources.i18n uses a .qm only when it is at least as new as its .ts (else it recompiles,
# which a bundle cannot): give the compiled files the newer time stamps.
for qm in "$INTERNAL"/resources/i18n/*.qm; do touch "$qm"; done
mkdir -p "$OUT/share/icons"
cp installer/kitchenwatch.desktop "$OUT/share/kitchenwatch.desktop"
cp installer/kitchenwatch.svg "$OUT/share/icons/kitchenwatch.svg"
cp "$STAGE"/icon/kitchenwatch-*.png "$OUT/share/icons/"
cp installer/smoke.sh "$OUT/share/smoke.sh"
if command -v desktop-file-validate >/dev/null 2>&1; then
  desktop-file-validate "$OUT/share/kitchenwatch.desktop"
fi

size=$(du -sh "$OUT" | cut -f1)
files=$(find "$OUT" -type f | wc -l)
echo "build_dist: $OUT ready: $size in $files files, built in $(( $(date +%s) - started )) s"
echo "build_dist: check it with: installer/smoke.sh $OUT"
