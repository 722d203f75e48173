"""``kitchenwatch-central init`` and ``users``: a bureau's first start and its accounts from a
shell, on real SQLite files and a throwaway PostgreSQL cluster, against a running central
where it matters (a disabled user's next request fails, their WebSocket closes)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import func, inspect, select

from bench import pg
from central import auth
from central.__main__ import main
from central.database import Database
from db.engine import make_engine
from db.models import AuditEntry, Business, District, User
from tests.central.conftest import Api

GOOD = "Kitchen-Watch-2026"


def _pw(tmp_path: Path, text: str, name: str = "pw") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _users(url: str) -> dict[str, User]:
    database = Database(url, migrate=False)
    try:
        return database.read_sync(lambda s: {u.username: u for u in s.scalars(select(User))})
    finally:
        database.close()


def _init_and_check(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", "--db", url, "--admin", "chief", "--password-file",
                 _pw(tmp_path, GOOD + "\n")]) == 0
    assert "city-wide administrator 'chief'" in capsys.readouterr().out
    engine = make_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"users", "businesses", "central_sessions", "central_login_throttle",
            "central_media", "alembic_version"} <= tables
    database = Database(url, migrate=False)
    try:
        counts = database.read_sync(lambda s: (
            s.scalar(select(func.count()).select_from(District)),
            s.scalar(select(func.count()).select_from(Business))))
    finally:
        database.close()
    assert counts == (0, 0)  # no demo rows
    chief = _users(url)["chief"]
    assert (chief.role, chief.district_id, chief.active, chief.must_change_password) == \
        ("admin", None, True, False)
    assert auth.verify_password(chief.password_hash, GOOD)  # the trailing newline stripped
    assert not auth.verify_password(chief.password_hash, GOOD + "\n")

    # A second init finds the administrator and changes nothing (exit 3).
    before = chief.password_hash
    assert main(["init", "--db", url, "--admin", "other", "--password-file",
                 _pw(tmp_path, "Another-pass-2026\n", "pw2")]) == 3
    assert "already has an administrator (chief); nothing was changed" in \
        capsys.readouterr().err
    after = _users(url)
    assert set(after) == {"chief"} and after["chief"].password_hash == before


def test_init_makes_the_schema_and_the_first_admin_on_sqlite(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _init_and_check(f"sqlite:///{tmp_path / 'central.db'}", tmp_path, capsys)


@pytest.fixture(scope="module")
def cluster() -> Iterator[pg.Cluster]:
    reason = pg.available()
    if reason is not None:
        pytest.skip(reason)
    yield from pg.start_cluster()


def test_init_makes_the_schema_and_the_first_admin_on_postgresql(
        cluster: pg.Cluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cluster.psql("CREATE DATABASE cli_init")
    _init_and_check(cluster.url("cli_init"), tmp_path, capsys)


def test_init_refuses_a_weak_password_and_takes_none_on_the_command_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'central.db'}"
    assert main(["init", "--db", url, "--password-file", _pw(tmp_path, "woaini1314\n")]) == 2
    err = capsys.readouterr().err
    assert "most common passwords" in err and "woaini1314" not in err
    assert main(["init", "--db", url, "--admin", "admin", "--password-file",
                 _pw(tmp_path, "Admin-2026-x\n")]) == 2  # contains the user name
    assert "must not contain the user name" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["init", "--db", url, "--password", GOOD])  # no such option
    assert "unrecognized arguments" in capsys.readouterr().err


def test_users_add_list_reset_and_refusals(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'central.db'}"
    pw = _pw(tmp_path, GOOD + "\n")
    assert main(["users", "list", "--db", url]) == 3  # no schema yet: run init first
    assert "run 'kitchenwatch-central init" in capsys.readouterr().err
    assert main(["init", "--db", url, "--password-file", pw]) == 0
    assert main(["users", "add", "op1", "--role", "operator", "--display-name", "张伟",
                 "--phone", "13800000000", "--db", url, "--password-file", pw]) == 0
    assert main(["users", "add", "op1", "--role", "operator", "--db", url,
                 "--password-file", pw]) == 3  # the name is taken
    assert main(["users", "add", "f1", "--role", "field", "--db", url,
                 "--password-file", pw]) == 2  # field staff need a district
    assert main(["users", "add", "f1", "--role", "field", "--district", "D9", "--db", url,
                 "--password-file", pw]) == 3  # no such district
    err = capsys.readouterr().err
    assert "op1 is taken" in err and "a field account needs a district" in err
    assert "no district 'D9'" in err
    capsys.readouterr()
    assert main(["users", "list", "--json", "--db", url]) == 0
    listed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    by_name = {u["username"]: u for u in listed["users"]}
    assert set(by_name) == {"admin", "op1"}
    assert by_name["op1"]["must_change_password"] is True  # a password someone else chose
    assert by_name["op1"]["display_name"] == "张伟" and "password_hash" not in by_name["op1"]
    assert main(["users", "list", "--db", url]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:3] == ["username", "display_name", "role"] and len(table) == 3

    with pytest.raises(SystemExit):  # not even abbreviated: --password is not --password-file
        main(["users", "add", "op2", "--role", "operator", "--password", GOOD, "--db", url])
    capsys.readouterr()
    assert main(["users", "disable", "admin", "--db", url]) == 3  # the last city-wide admin
    assert "last active city-wide administrator" in capsys.readouterr().err
    assert main(["users", "reset-password", "nobody", "--db", url, "--password-file", pw]) == 3
    assert main(["users", "reset-password", "op1", "--db", url, "--password-file",
                 _pw(tmp_path, "Brand-new-secret9\n", "pw3")]) == 0
    op1 = _users(url)["op1"]
    assert op1.must_change_password and auth.verify_password(op1.password_hash,
                                                             "Brand-new-secret9")
    database = Database(url, migrate=False)
    try:
        audit = database.read_sync(lambda s: [(a.action, a.user) for a in s.scalars(
            select(AuditEntry).order_by(AuditEntry.ts))])
    finally:
        database.close()
    assert [a for a, _ in audit] == ["user.create", "user.create", "user.reset_password"]
    assert all(who.startswith("cli:") for _, who in audit)


async def test_disabling_from_the_shell_ends_the_users_sessions_in_a_running_central(
        api: Api, db_url: str, tmp_path: Path) -> None:
    """Sessions live in the database: the command needs no connection to central, and the
    disabled user's next request is refused and their WebSocket closed."""
    token = await api.login("kbs")
    ws = await api.http.ws_connect(f"{api.base}/api/ws?token={token}&since=0")
    assert (await api.get("/api/me", "kbs")).status == 200
    code = await asyncio.get_running_loop().run_in_executor(
        None, main, ["users", "disable", "kbs", "--db", db_url])
    assert code == 0
    refused = await api.get("/api/me", "kbs")
    assert refused.status == 401 and refused.body["error"] == "account_disabled"
    for _ in range(100):  # the session sweep closes it within about a second
        msg = await ws.receive(timeout=5)
        if msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
            break
    assert ws.close_code == 4401
    assert main(["users", "enable", "kbs", "--db", db_url]) == 0
    assert (await api.post("/api/login", {"username": "kbs",
                                          "password": "kw-demo-2026"})).status == 200


@pytest.mark.parametrize("argv", [
    ["init", "--password", GOOD],
    ["init", f"--password={GOOD}"],
    ["users", "add", "op2", "--role", "operator", "--password", GOOD],
    ["users", "reset-password", "op2", "--pw", GOOD],
    ["import", "x.csv", "--password", GOOD],
])
def test_a_password_typed_on_the_command_line_is_never_echoed(
        argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'central.db'}"
    with pytest.raises(SystemExit) as exit_:
        main([*argv, "--db", url])
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    assert GOOD not in captured.err and GOOD not in captured.out
    assert "unrecognized arguments" in captured.err and "***" in captured.err
    assert "--password-file" in captured.err
    assert not (tmp_path / "central.db").exists()


def test_users_on_a_missing_sqlite_file_refuse_and_create_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "typo.db"
    for argv in (["users", "list"], ["users", "disable", "op1"]):
        assert main([*argv, "--db", f"sqlite:///{missing}"]) == 3
        assert f"no database file {missing}" in capsys.readouterr().err
        assert not missing.exists()
