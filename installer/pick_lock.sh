#!/usr/bin/env bash
# Which lock this PC installs, from its glibc: prints the lock's path on stdout and why on stderr;
# exit 1 (and what to do) when no lock has wheels this PC can run. Used by installer/setup.sh.
#   lock.txt            PySide6 6.11: Linux x86_64 wheels need glibc 2.34+, aarch64 2.39+
#   lock-glibc2.28.txt  PySide6 6.9:  x86_64 wheels for glibc 2.28+ (UOS 20, Kylin V10)
# The numbers are what installer/lock_platforms.py check reports for each lock (a test keeps
# them equal). KW_LOCK=path forces a lock.
set -euo pipefail
cd "$(dirname "$0")/.."
MAIN=installer/requirements/lock.txt
COMPAT=installer/requirements/lock-glibc2.28.txt
MAIN_GLIBC_X86_64=2.34
MAIN_GLIBC_AARCH64=2.39
COMPAT_GLIBC_X86_64=2.28

say() { echo "kitchenwatch setup: $*" >&2; }
# "2.28" -> 2028, so that versions compare as integers.
num() { local major=${1%%.*} minor=${1#*.}; echo $((major * 1000 + 10#${minor%%.*})); }

if [[ -n ${KW_LOCK:-} ]]; then
  say "installing $KW_LOCK (KW_LOCK is set)"; echo "$KW_LOCK"; exit 0
fi
# glibc's own answer ("glibc 2.28"), else ldd's first line ("ldd (Debian GLIBC 2.28-10) 2.28").
glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '$1 == "glibc" {print $2}' || true)
if [[ ! $glibc =~ ^[0-9]+\.[0-9]+ ]]; then
  glibc=$(ldd --version 2>/dev/null | head -n 1 | grep -oE '[0-9]+\.[0-9]+$' || true)
fi
machine=$(uname -m)
if [[ ! $glibc =~ ^[0-9]+\.[0-9]+ ]]; then
  say "could not read the glibc version (getconf GNU_LIBC_VERSION, ldd --version); installing $MAIN"
  echo "$MAIN"; exit 0
fi
glibc=${BASH_REMATCH[0]}
case $machine in
  x86_64|amd64)
    if (( $(num "$glibc") >= $(num $MAIN_GLIBC_X86_64) )); then
      say "glibc $glibc on $machine: installing $MAIN (PySide6 6.11, needs glibc $MAIN_GLIBC_X86_64+)"
      echo "$MAIN"
    elif (( $(num "$glibc") >= $(num $COMPAT_GLIBC_X86_64) )); then
      say "glibc $glibc on $machine is older than the $MAIN_GLIBC_X86_64 that PySide6 6.11's wheels" \
        "need: installing $COMPAT (PySide6 6.9, glibc $COMPAT_GLIBC_X86_64+; as on UOS 20 / Kylin V10)"
      echo "$COMPAT"
    else
      say "glibc $glibc on $machine is older than $COMPAT_GLIBC_X86_64, the oldest any PySide6 6" \
        "wheel runs on; the console needs a newer system (Debian 10 / UOS 20 or later)"
      exit 1
    fi ;;
  aarch64|arm64)
    if (( $(num "$glibc") >= $(num $MAIN_GLIBC_AARCH64) )); then
      say "glibc $glibc on $machine: installing $MAIN (PySide6 6.11, needs glibc $MAIN_GLIBC_AARCH64+)"
      echo "$MAIN"
    else
      say "glibc $glibc on $machine: every PySide6 6 release on PyPI (6.9 to 6.11) needs glibc" \
        "$MAIN_GLIBC_AARCH64+ on ARM64, so this PC cannot install the console from PyPI's wheels" \
        "(see README.md, UOS / Kylin)"
      exit 1
    fi ;;
  *)
    say "glibc $glibc on $machine: no lock is checked for $machine; trying $MAIN"
    echo "$MAIN" ;;
esac
