"""Ledger import at a city's scale: a dirty workbook of N businesses (about 2N cameras) is
checked (dry run) and imported into an empty registry, then imported again (not a test).

    python bench/import.py --businesses 10000 [--db URL] [--keep FILE.xlsx]

The workbook is what a bureau sends: a title row merged over the header, decorated headers
(``商户名称*``), blank rows, trailing spaces, full-width digits in some codes, expiry dates as
serial numbers, text in three spellings, phones stored as numbers, one sheet per kind. The
issue's budget: 10,000 businesses and 20,000 cameras in at most 60 s on a 2-core machine.

Prints human lines, then one JSON object as the last line: ``dry_run_s`` (read + check + a
rolled-back write), ``import_s`` (the same, committed), ``again_s`` (the same file once more:
everything unchanged), ``dry_run_cpu_s`` / ``import_cpu_s`` (this process's CPU time, which a
machine shared with other work does not inflate), the rows, the counts and the machine's load
(1-minute load average before and after, and the number of cores).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from central.database import Database
from central.demo_registry import build_city, city_ledger
from central.importer import ImportOptions, run_import
from ledger.template import COLUMNS, SHEET_TITLES, header_text

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
EXCEL_EPOCH_ORDINAL = 693594  # date(1899, 12, 30).toordinal()


def dirty(kind: str, name: str, value: Any, rng: random.Random) -> Any:
    """One cell as many hands type it."""
    if value is None or value == "":
        return None
    roll = rng.random()
    if name in ("credit_code", "licence_no", "business_credit_code") and roll < 0.05:
        return str(value).translate(FULL_WIDTH)
    if name == "licence_expiry":
        if roll < 0.4:
            return value.toordinal() - EXCEL_EPOCH_ORDINAL  # a serial number
        if roll < 0.6:
            return f"{value.year}/{value.month}/{value.day}"
        if roll < 0.8:
            return f"{value.year}年{value.month}月{value.day}日"
        return value.isoformat()
    if name.endswith("phone") and str(value).isdigit() and roll < 0.5:
        return int(value)  # a phone stored as a number
    if name in ("name", "address", "business_name") and roll < 0.1:
        return f"{value}  "  # trailing spaces
    if name in ("latitude", "longitude") and roll < 0.5:
        return str(value)
    return value


def write_dirty_workbook(path: Path, n_businesses: int, seed: int) -> dict[str, int]:
    from openpyxl import Workbook

    rng = random.Random(seed)
    rows = build_city(n_businesses, seed, "rtsp://admin:cam-pass@10.20.0.1:554")
    ledger = city_ledger(rows)
    workbook = Workbook(write_only=True)
    counts = {}
    for kind, items in ledger.items():
        sheet = workbook.create_sheet(SHEET_TITLES[kind])
        columns = COLUMNS[kind]
        sheet.append([f"鄂尔多斯市餐饮服务单位明厨亮灶{SHEET_TITLES[kind]}（{n_businesses}户）"])
        sheet.append(["填报单位：市场监督管理局", None, None, "填报日期：2026年12月"])
        sheet.append([header_text(kind, name) + ("*" if i < 2 else "")
                      for i, name in enumerate(columns)])
        for index, item in enumerate(items, 1):
            sheet.append([dirty(kind, name, item.get(name), rng) for name in columns])
            if index % 500 == 0:
                sheet.append([])  # blank rows between the offices' parts
        counts[kind] = len(items)
    workbook.save(path)
    return counts


def seed_districts(url: str) -> None:
    from central.demo_registry import DISTRICTS
    from db.models import District

    database = Database(url)
    try:
        database.write_sync(lambda s: s.add_all(
            [District(id=d.id, name=d.name, name_en=d.name_en) for d in DISTRICTS]))
    finally:
        database.close()


def timed_import(url: str, path: Path, dry_run: bool) -> tuple[float, float, dict[str, Any]]:
    """Wall time, CPU time of this process (the figure a loaded machine does not inflate)
    and the import's answer."""
    database = Database(url)
    try:
        started, cpu = time.perf_counter(), time.process_time()
        result = run_import(database, [(path.name, path.read_bytes())],
                            ImportOptions(actor="bench", dry_run=dry_run))
        return time.perf_counter() - started, time.process_time() - cpu, result
    finally:
        database.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--businesses", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--db", help="an empty database (default: a fresh SQLite file)")
    parser.add_argument("--keep", type=Path, help="keep the generated workbook here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kw-import-") as work:
        path = args.keep or Path(work) / "ledger.xlsx"
        started = time.perf_counter()
        rows = write_dirty_workbook(path, args.businesses, args.seed)
        print(f"workbook: {rows} rows, {path.stat().st_size / 1e6:.1f} MB, written in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
        url = args.db or f"sqlite:///{Path(work) / 'central.db'}"
        seed_districts(url)
        load_before = os.getloadavg()[0]
        dry_s, dry_cpu, dry = timed_import(url, path, dry_run=True)
        print(f"dry run: {dry_s:.1f} s ({dry_cpu:.1f} s CPU), {dry['error_count']} errors, "
              f"{dry['warning_count']} warnings", flush=True)
        import_s, import_cpu, done = timed_import(url, path, dry_run=False)
        print(f"import: {import_s:.1f} s ({import_cpu:.1f} s CPU), businesses "
              f"{done['businesses']}, cameras {done['cameras']}, sensors {done['sensors']}",
              flush=True)
        again_s, _, again = timed_import(url, path, dry_run=False)
        print(f"again: {again_s:.1f} s, businesses {again['businesses']}", flush=True)
        load_after = os.getloadavg()[0]
    summary = {"businesses": args.businesses, "rows": rows, "dry_run_s": round(dry_s, 2),
               "import_s": round(import_s, 2), "again_s": round(again_s, 2),
               "dry_run_cpu_s": round(dry_cpu, 2), "import_cpu_s": round(import_cpu, 2),
               "within_budget": dry_s <= 60 and import_s <= 60,
               "errors": done["error_count"], "warnings": done["warning_count"],
               "applied": done["applied"], "counts": {k: done[k] for k in
                                                      ("businesses", "cameras", "sensors")},
               "unchanged_again": again["businesses"]["unchanged"],
               "load_1min_before": round(load_before, 2), "load_1min_after": round(load_after, 2),
               "cores": os.cpu_count()}
    print(json.dumps(summary, ensure_ascii=False), flush=True)
    return 0 if done["applied"] and not done["error_count"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
