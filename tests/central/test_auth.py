"""Login, tokens, throttling and JSON errors."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from central.config import CentralConfig
from db.models import AuthToken, utcnow
from tests.central.conftest import Api, start_api


async def test_login_returns_token_and_user(api: Api) -> None:
    reply = await api.post("/api/login", {"username": "kbs", "password": "kw-demo-2026"})
    assert reply.status == 200
    assert reply.body["user"] == {"id": "u-kbs", "username": "kbs",
                                  "display_name": "康巴什区市场监督管理局", "role": "district",
                                  "district_id": "D01", "must_change_password": False}
    assert len(reply.body["token"]) >= 40
    me = await api.get("/api/me", headers={"Authorization": f"Bearer {reply.body['token']}"})
    assert me.body["username"] == "kbs"


async def test_wrong_password_and_unknown_user_look_the_same(api: Api) -> None:
    wrong = await api.post("/api/login", {"username": "operator", "password": "nope"})
    unknown = await api.post("/api/login", {"username": "nobody", "password": "nope"})
    assert wrong.status == unknown.status == 401
    assert wrong.body == unknown.body == {"error": "bad_credentials",
                                          "message": "wrong username or password"}


async def test_repeated_failures_are_throttled_with_retry_after(config: CentralConfig) -> None:
    config.login_failures_per_account = 3
    config.login_delay_s = 60.0  # the third failure makes the account wait a minute
    api, server, session = await start_api(config)
    try:
        for _ in range(3):
            assert (await api.post("/api/login", {"username": "operator",
                                                  "password": "guess"})).status == 401
        reply = await api.post("/api/login", {"username": "operator", "password": "kw-demo-2026"})
        assert reply.status == 429
        assert reply.body["error"] == "throttled"
        assert 55 <= reply.body["retry_after"] <= 60
        assert reply.headers["Retry-After"] == str(reply.body["retry_after"])
        # Another account from the same address is not locked out by someone else's guesses.
        assert (await api.post("/api/login", {"username": "kbs",
                                              "password": "kw-demo-2026"})).status == 200
    finally:
        await session.close()
        await server.close()


async def test_expired_token_is_refused_with_token_expired(api: Api) -> None:
    token = await api.login("operator")
    auth = {"Authorization": f"Bearer {token}"}
    assert (await api.get("/api/changes?limit=1", headers=auth)).status == 200
    await api.db.write(lambda s: s.execute(
        update(AuthToken).values(expires_at=utcnow() - timedelta(seconds=1))))
    reply = await api.get("/api/changes?limit=1", headers=auth)
    assert reply.status == 401
    assert reply.body["error"] == "token_expired"


async def test_default_token_lifetime_is_twelve_hours(api: Api) -> None:
    reply = await api.post("/api/login", {"username": "viewer", "password": "kw-demo-2026"})
    from datetime import datetime

    expires = datetime.fromisoformat(reply.body["expires_at"])
    assert timedelta(hours=11, minutes=59) < expires - utcnow() <= timedelta(hours=12)


async def test_missing_unknown_and_logged_out_tokens(api: Api) -> None:
    missing = await api.get("/api/changes")
    assert missing.status == 401 and missing.body["error"] == "not_logged_in"
    bogus = await api.get("/api/changes", headers={"Authorization": "Bearer xyz"})
    assert bogus.status == 401 and bogus.body["error"] == "invalid_token"
    token = await api.login("admin")
    auth = {"Authorization": f"Bearer {token}"}
    assert (await api.post("/api/logout", headers=auth)).status == 200
    assert (await api.get("/api/me", headers=auth)).status == 401


async def test_errors_are_json_never_html(api: Api) -> None:
    route = await api.get("/api/does-not-exist")
    assert route.status == 404
    assert route.body == {"error": "not_found", "message": "no such route: GET /api/does-not-exist"}
    method = await api.get("/api/login")
    assert method.status == 405 and method.body["error"] == "method_not_allowed"
    garbage = await api.post("/api/login", data=b"{not json")
    assert garbage.status == 400 and "not valid JSON" in garbage.body["message"]
    shape = await api.post("/api/login", [1, 2])
    assert shape.status == 422 and shape.body["message"].startswith("body: expected a JSON object")
    empty = await api.post("/api/login", {"username": "", "password": "x"})
    assert empty.status == 422 and empty.body["message"] == "username: required non-empty text"


async def test_a_mistyped_username_is_not_logged(api: Api, caplog) -> None:
    """People type their password into the username field: an unknown name stays out of the
    log, a known one is named (the address is logged either way)."""
    import logging

    with caplog.at_level(logging.INFO, logger="kitchenwatch.central.auth"):
        await api.post("/api/login", {"username": "Secret-Pa55", "password": "x"})
        await api.post("/api/login", {"username": "operator", "password": "x"})
    assert "Secret-Pa55" not in caplog.text
    assert "failed login for an unknown username from 127.0.0.1" in caplog.text
    assert "failed login for 'operator' from 127.0.0.1" in caplog.text
