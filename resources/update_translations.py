"""Refresh the `.ts` files from the code (run after adding user-visible strings) and list what
still lacks a translation: ``python resources/update_translations.py``.

Translators who do not use Qt Linguist can hand in a tab-separated file of
``context<TAB>source<TAB>translation`` lines: ``python resources/update_translations.py
--merge file.tsv`` fills the matching messages (lines starting with ``#`` are comments)."""

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


def merge(ts: Path, tsv: Path) -> int:
    """Write the translations of ``tsv`` into ``ts``; returns how many messages it filled.

    Only messages still unfinished are touched, so a reviewed translation in the ``.ts`` is
    never overwritten by an older list."""
    wanted: dict[tuple[str, str], str] = {}
    for number, line in enumerate(tsv.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or not parts[2].strip():
            raise ValueError(f"{tsv}:{number}: expected context, source and translation "
                             f"separated by tabs")
        wanted[(parts[0], parts[1])] = parts[2]
    tree = ET.parse(ts)
    filled = 0
    for context in tree.getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            text = wanted.get((name, message.findtext("source", "")))
            translation = message.find("translation")
            if text is None or translation is None or translation.get("type") != "unfinished":
                continue
            translation.text = text
            del translation.attrib["type"]
            filled += 1
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return filled


def main() -> int:
    ts = ROOT / "resources" / "i18n" / "kitchenwatch_zh_CN.ts"
    lupdate(ts)
    if len(sys.argv) == 3 and sys.argv[1] == "--merge":
        print(f"{merge(ts, Path(sys.argv[2]))} translations merged from {sys.argv[2]}")
        lupdate(ts)  # back to Linguist's own layout, so diffs stay small
    missing = untranslated(ts)
    for context, source in missing:
        print(f"{context}: {source!r}")
    print(f"{len(missing)} strings without a Chinese translation")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
