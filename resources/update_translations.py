"""Refresh the `.ts` files from the code (run after adding user-visible strings) and list what
still lacks a translation: ``python resources/update_translations.py``."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("console", "videowall", "widgets")


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for pkg in PACKAGES
                  for p in (ROOT / pkg).rglob("*.py"))


def lupdate(ts: Path) -> None:
    tool = Path(sys.executable).with_name("pyside6-lupdate")
    subprocess.run([str(tool), *sources(), "-ts", str(ts)], cwd=ROOT, check=True,
                   capture_output=True)


def untranslated(ts: Path) -> list[tuple[str, str]]:
    """(context, source) of every current message without a finished translation."""
    missing = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            kind = translation.get("type", "") if translation is not None else "unfinished"
            if kind in ("vanished", "obsolete"):
                continue
            if kind == "unfinished" or translation is None or not (translation.text or "").strip():
                missing.append((name, message.findtext("source", "")))
    return missing


def main() -> int:
    ts = ROOT / "resources" / "i18n" / "kitchenwatch_zh_CN.ts"
    lupdate(ts)
    missing = untranslated(ts)
    for context, source in missing:
        print(f"{context}: {source!r}")
    print(f"{len(missing)} strings without a Chinese translation")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
