"""``POST /api/registry/import``: the console's import, scoped like every other route."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from central.auth import hash_password
from central.demo_registry import DEMO_PASSWORD
from central.ledger_routes import XLSX_TYPE
from db.models import Business, User
from tests.central.conftest import Api
from tests.ledger.conftest import credit, write_xlsx

HEADER = ["商户名称", "统一社会信用代码", "许可证编号", "所属区县", "街道", "业态"]


def _ledger(tmp_path: Path) -> bytes:
    path = write_xlsx(tmp_path / "l.xlsx", {"商户": [
        HEADER,
        ["新开的面馆", credit(41), "JY11506020000041", "康巴什区", "青春山街道", "小型餐馆"],
        ["东胜的饭店", credit(42), "JY11506020000042", "东胜区", "交通街道", "中型餐馆"],
    ]})
    return path.read_bytes()


async def _district_admin(api: Api) -> None:
    def add(session):
        session.add(User(username="kbs_admin", role="admin", district_id="D01",
                         password_hash=hash_password(DEMO_PASSWORD)))
    await api.db.write(add)


async def test_admin_imports_city_wide_and_consoles_see_it_in_the_feed(
        api: Api, tmp_path: Path) -> None:
    data = _ledger(tmp_path)
    _, cursor = await api.feed("operator")
    dry = await api.post("/api/registry/import?dry_run=1&name=l.xlsx", as_user="admin",
                         data=data, headers={"Content-Type": XLSX_TYPE})
    assert dry.status == 200, dry.body
    assert dry.body["applied"] is False and dry.body["businesses"]["added"] == 2
    changes, _ = await api.feed("operator", cursor)
    assert not [c for c in changes if c["entity"] == "business"]  # a dry run writes nothing

    real = await api.post("/api/registry/import?name=l.xlsx", as_user="admin", data=data,
                          headers={"Content-Type": XLSX_TYPE})
    assert real.status == 200 and real.body["applied"] is True
    changes, _ = await api.feed("operator", cursor)
    names = {c["payload"]["name"] for c in changes if c["entity"] == "business"}
    assert names == {"新开的面馆", "东胜的饭店"}
    audit = [c for c in changes if c["entity"] == "audit"]
    assert audit and all(a["payload"]["user"] == "admin" for a in audit)


async def test_a_district_admin_imports_only_their_district(api: Api, tmp_path: Path) -> None:
    await _district_admin(api)
    reply = await api.post("/api/registry/import", as_user="kbs_admin", data=_ledger(tmp_path),
                           headers={"Content-Type": XLSX_TYPE})
    assert reply.status == 200 and reply.body["applied"] is False
    [error] = reply.body["errors"]
    assert error["code"] == "district_forbidden" and error["row"] == 3
    names = await api.db.read(lambda s: set(s.scalars(select(Business.name))))
    assert "新开的面馆" not in names  # one bad row: nothing written


async def test_other_roles_types_and_sizes_are_refused(api: Api, tmp_path: Path) -> None:
    data = _ledger(tmp_path)
    for user in ("operator", "kbs", "viewer"):
        reply = await api.post("/api/registry/import", as_user=user, data=data,
                               headers={"Content-Type": XLSX_TYPE})
        assert reply.status == 403, user
    reply = await api.post("/api/registry/import", as_user="admin", data=data,
                           headers={"Content-Type": "application/json"})
    assert reply.status == 415
    reply = await api.post("/api/registry/import", as_user="admin", data=b"",
                           headers={"Content-Type": "text/csv"})
    assert reply.status == 422


async def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path,
                                                                  config) -> None:
    from dataclasses import replace

    from tests.central.conftest import start_api

    small = replace(config, max_ledger_bytes=1000)
    api, server, session = await start_api(small)
    try:
        reply = await api.post("/api/registry/import", as_user="admin", data=_ledger(tmp_path),
                               headers={"Content-Type": XLSX_TYPE})
        assert reply.status == 413 and reply.body["limit"] == 1000
    finally:
        await session.close()
        await server.close()
