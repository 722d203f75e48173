#!/usr/bin/env bash
# Smoke test of a built bundle: `installer/smoke.sh [dist/kitchenwatch]`.
# Runs the bundled program with --version and with --smoke (offscreen main window on an empty
# database, a generated clip played on a wall tile through a decode worker, libVLC probed) and
# checks that the system libVLC was found. Exit 0 = the bundle works on this machine.
set -euo pipefail
BUNDLE=${1:-dist/kitchenwatch}
EXE=$BUNDLE/kitchenwatch
[[ -x $EXE ]] || { echo "smoke: no program at $EXE (run 'make dist' first)" >&2; exit 1; }
export QT_QPA_PLATFORM=offscreen
# A private home: the check must not read or write the user's settings.
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data XDG_CACHE_HOME=$home/cache

version=$("$EXE" --version)
echo "smoke: --version -> $version"
[[ $version == kitchenwatch\ * ]] || { echo "smoke: unexpected --version output" >&2; exit 1; }

started=$(date +%s%N)
report=$(timeout 120 "$EXE" --smoke)
elapsed_ms=$(( ($(date +%s%N) - started) / 1000000 ))
echo "$report"
python3 - "$report" <<'PYEOF'
import json, sys
r = json.loads(sys.argv[1])
problems = []
if not r.get("ok"):
    problems.append(f"--smoke failed: {r.get('error')}")
if not r.get("libvlc", {}).get("loaded"):
    problems.append(f"libVLC not found or not loadable: {r.get('libvlc', {}).get('error')}")
if r.get("common_passwords", 0) < 10000:
    problems.append("the password policy's word lists are missing from the bundle")
if r.get("ledger_template_bytes", 0) < 1000:
    problems.append("the ledger template could not be written (openpyxl missing?)")
if r.get("map_districts", 0) < 1:
    problems.append("the map's district boundaries are missing from the bundle")
if r.get("qpa") != "offscreen":
    problems.append(f"unexpected Qt platform {r.get('qpa')}")
if problems:
    print("smoke: FAILED\n  " + "\n  ".join(problems), file=sys.stderr)
    raise SystemExit(1)
print(f"smoke: OK (wall on {r['wall']['backend']}, libVLC {r['libvlc']['version']}, "
      f"Chinese translation {'loaded' if r.get('zh_CN_translation') else 'MISSING'})")
PYEOF
echo "smoke: --smoke took ${elapsed_ms} ms (including start-up)"
