"""The ledger import on PostgreSQL (once): the demo city imported through it (the template),
a dirty workbook imported, the same file again unchanged, a dry run and an error leaving
nothing behind."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from central.__main__ import main as central_main
from central.database import Database
from db.models import Business, Camera, ChangeLog, Street
from tests.central.pg_fixtures import postgres_fixtures
from tests.ledger.conftest import credit, write_xlsx
from tests.ledger.test_import_cli import BUSINESS_HEADER, dirty_workbook

cluster, template, db_url, config, api = postgres_fixtures("kw_ledger")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = central_main(["import", *args])
    return code, json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def _counts(url: str) -> tuple[int, ...]:
    database = Database(url, migrate=False)
    try:
        return database.read_sync(lambda s: tuple(
            s.scalar(select(func.count()).select_from(m))
            for m in (Business, Camera, Street, ChangeLog)))
    finally:
        database.close()


def test_import_on_postgresql(db_url: str, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    before = _counts(db_url)
    assert before[0] > 0 and before[2] > 0  # the demo city came in through the import
    path = dirty_workbook(tmp_path / "台账.xlsx")
    code, dry = _run(capsys, str(path), "--db", db_url, "--dry-run")
    assert code == 0 and dry["businesses"]["added"] == 2 and _counts(db_url) == before
    code, result = _run(capsys, str(path), "--db", db_url)
    assert code == 0 and result["applied"], result["errors"]
    assert result["cameras"] == {"added": 3, "updated": 0, "unchanged": 0}
    after = _counts(db_url)
    assert after[0] == before[0] + 2 and after[1] == before[1] + 3
    code, again = _run(capsys, str(path), "--db", db_url)
    assert code == 0 and again["businesses"] == {"added": 0, "updated": 0, "unchanged": 2}
    assert _counts(db_url) == after

    bad = write_xlsx(tmp_path / "bad.xlsx", {"商户": [
        BUSINESS_HEADER,
        ["好的", credit(90), "JY11506020000090", "2030-01-01", "康巴什区", "新街道", None, "小型"],
        ["坏的", credit(91), "JY11506020000091", "2030-01-01", "火星区", None, None, "小型"]]})
    code, result = _run(capsys, str(bad), "--db", db_url)
    assert code == 2 and not result["applied"] and _counts(db_url) == after
