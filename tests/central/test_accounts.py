"""Accounts through actions, "must change the password", and who is signed in now.

Real central on a loopback socket with a demo-city SQLite file (tests/central/conftest.py);
each refusal a bureau relies on has its own test.
"""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from sqlalchemy import select

from central import account_actions
from central.cli.common import ActionCtx
from central.errors import ApiError
from central.schemas.accounts import UserRef
from central.scope import Principal
from db.models import AuditEntry, User
from tests.central.conftest import Api

TEMP = "Temporary-pass-77"
NEW = "Chosen-by-me-2026"


async def _create(api: Api, as_user: str, **fields: Any) -> Any:
    payload = {"password": TEMP, "must_change_password": False, **fields}
    return await api.action(as_user, "user.create", payload)


async def _district_admin(api: Api) -> str:
    reply = await _create(api, "admin", username="kbs.admin", role="admin", district_id="D01",
                          display_name="康巴什区管理员")
    assert reply.status == 200, reply.body
    await api.login("kbs.admin", TEMP)
    return "kbs.admin"


# --------------------------------------------------------------------------- must change


async def test_a_reset_password_must_be_changed_before_anything_else(api: Api) -> None:
    old_token = await api.login("operator")
    reset = await api.action("admin", "user.reset_password",
                             {"user_id": "u-operator", "password": TEMP})
    assert reset.status == 200 and reset.body["result"]["sessions_ended"] == 1
    assert TEMP not in str(reset.body)  # the ledger keeps replies: never the password
    gone = await api.get("/api/me", headers={"Authorization": f"Bearer {old_token}"})
    assert gone.status == 401

    login = await api.post("/api/login", {"username": "operator", "password": TEMP})
    assert login.status == 200 and login.body["user"]["must_change_password"] is True
    other = await api.post("/api/login", {"username": "operator", "password": TEMP})
    headers = {"Authorization": f"Bearer {login.body['token']}"}
    refused = await api.get("/api/changes?since=0", headers=headers)
    assert refused.status == 403 and refused.body["error"] == "password_change_required"
    assert (await api.post("/api/actions", {"idem_key": "k" * 16, "kind": "alarm.ack",
                                            "payload": {"alarm_id": "x"}},
                           headers=headers)).status == 403
    with pytest.raises(aiohttp.WSServerHandshakeError) as handshake:
        await api.http.ws_connect(f"{api.base}/api/ws?token={login.body['token']}&since=0")
    assert handshake.value.status == 403
    me = await api.get("/api/me", headers=headers)
    assert me.status == 200 and me.body["must_change_password"] is True

    weak = await api.post("/api/password", {"old_password": TEMP, "new_password": "operator12"},
                          headers=headers)
    assert weak.status == 422 and set(weak.body["reasons"]) >= {"contains_username"}
    assert "operator12" not in str(weak.body)
    wrong = await api.post("/api/password", {"old_password": "not-it-at-all",
                                             "new_password": NEW}, headers=headers)
    assert wrong.status == 403 and wrong.body["error"] == "wrong_password"
    changed = await api.post("/api/password", {"old_password": TEMP, "new_password": NEW},
                             headers=headers)
    assert changed.status == 200 and changed.body["other_sessions_ended"] == 1

    assert (await api.get("/api/changes?since=0", headers=headers)).status == 200  # this one
    assert (await api.get("/api/me", headers={
        "Authorization": f"Bearer {other.body['token']}"})).status == 401  # the other ended
    user = await api.db.read(lambda s: s.get(User, "u-operator"))
    assert not user.must_change_password and user.password_changed_at is not None


# --------------------------------------------------------------------------- scope


async def test_a_district_admin_administers_only_their_district(api: Api) -> None:
    chief = await _district_admin(api)
    citywide = await _create(api, chief, username="op.new", role="operator")
    assert citywide.status == 403 and "D01 only" in citywide.body["message"]
    city_admin = await _create(api, chief, username="boss2", role="admin")
    assert city_admin.status == 403
    other_district = await _create(api, chief, username="ds.f9", role="field",
                                   district_id="D02")
    assert other_district.status == 403
    field = await _create(api, chief, username="kbs.f9", role="field", district_id="D01",
                          phone="13900000000")
    assert field.status == 200 and field.body["result"]["user"]["district_id"] == "D01"
    raise_up = await api.action(chief, "user.update", {"user_id": "u-kbs_field1",
                                                       "role": "admin", "district_id": None})
    assert raise_up.status == 403
    foreign = await api.action(chief, "user.disable", {"user_id": "u-ds_field1"})
    assert foreign.status == 404  # another district's accounts do not exist for them
    listed = await api.get("/api/sessions", chief)
    assert listed.status == 200
    await api.login("ds")
    assert {s["district_id"] for s in listed.body["sessions"]} <= {"D01"}
    city = await api.get("/api/sessions", "admin")
    assert "ds" in {s["username"] for s in city.body["sessions"]}
    assert "ds" not in {s["username"] for s in (await api.get("/api/sessions", chief)).body[
        "sessions"]}
    assert (await api.get("/api/sessions", "operator")).status == 403


async def test_nobody_disables_themselves_or_the_last_citywide_admin(api: Api) -> None:
    own = await api.action("admin", "user.disable", {"user_id": "u-admin"})
    assert own.status == 403 and "own account" in own.body["message"]
    demote = await api.action("admin", "user.update", {"user_id": "u-admin", "role": "operator"})
    assert demote.status == 403
    second = await _create(api, "admin", username="admin2", role="admin")
    assert second.status == 200
    admin2_id = second.body["result"]["user"]["id"]
    await api.login("admin2", TEMP)
    assert (await api.action("admin2", "user.disable", {"user_id": "u-admin"})).status == 200
    # An action admin sent a moment before being disabled must not take away the last one:
    ctx = ActionCtx(Principal("u-admin", "admin", "admin", None))
    with pytest.raises(ApiError) as refused:
        await api.db.write(lambda s: account_actions.user_disable(s, ctx,
                                                                  UserRef(user_id=admin2_id)))
    assert refused.value.status == 409 and refused.value.code == "last_admin"
    assert (await api.db.read(lambda s: s.get(User, admin2_id))).active


async def test_a_weak_or_taken_account_is_refused_with_reasons(api: Api) -> None:
    weak = await api.action("admin", "user.create", {
        "username": "zhang", "role": "operator", "password": "qwertyuiop"})
    assert weak.status == 422 and "common_password" in weak.body["reasons"]
    assert "qwertyuiop" not in weak.body["message"]
    taken = await _create(api, "admin", username="kbs", role="district", district_id="D01")
    assert taken.status == 409 and taken.body["error"] == "username_taken"
    no_district = await _create(api, "admin", username="f.x", role="field")
    assert no_district.status == 422 and "needs a district" in no_district.body["message"]


# --------------------------------------------------------------------------- sessions


async def test_who_is_signed_in_and_ending_one_session(api: Api) -> None:
    token = await api.login("kbs")
    listed = await api.get("/api/sessions", "admin")
    mine = [s for s in listed.body["sessions"] if s["username"] == "kbs"]
    assert len(mine) == 1 and mine[0]["address"] == "127.0.0.1" and mine[0]["started_at"]
    assert token not in str(listed.body)  # neither the token nor its digest is listed
    ended = await api.action("admin", "session.end", {"session_id": mine[0]["session_id"]})
    assert ended.status == 200 and ended.body["result"]["sessions_ended"] == 1
    after = await api.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert after.status == 401 and after.body["reason"] == "revoked"
    again = await api.action("admin", "session.end", {"session_id": mine[0]["session_id"]})
    assert again.status == 404
    audit = await api.db.read(lambda s: [a.action for a in s.scalars(
        select(AuditEntry).where(AuditEntry.user == "admin"))])
    assert "session.end" in audit


async def test_disabling_closes_the_users_websocket(api: Api) -> None:
    token = await api.login("kbs_field1")
    ws = await api.http.ws_connect(f"{api.base}/api/ws?token={token}&since=0")
    reply = await api.action("admin", "user.disable", {"user_id": "u-kbs_field1"})
    assert reply.status == 200 and reply.body["result"]["sessions_ended"] == 1
    while not ws.closed:
        msg = await ws.receive(timeout=5)
        if msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
            break
    assert ws.close_code == 4401
    login = await api.post("/api/login", {"username": "kbs_field1", "password": "kw-demo-2026"})
    assert login.status == 401
