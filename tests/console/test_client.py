"""The HTTP client against the real central server: typed errors with the server's words,
throttling, timeouts, and a session that ends for good unless a password source (kiosk) is
given."""

from __future__ import annotations

import asyncio
import logging

import pytest
from aiohttp import web

from console.sync.client import (
    ApiClient,
    AuthError,
    ServerError,
    ServerRejected,
    ServerUnreachable,
    Throttled,
    normalise_server_url,
)
from tests.console.conftest import DEMO_PASSWORD, CentralServer, free_port

pytestmark = pytest.mark.timeout(60)


async def test_login_returns_the_user_and_keeps_no_password(central) -> None:
    client = ApiClient(central.url)
    try:
        user = await client.login("kbs", DEMO_PASSWORD)
        assert user["role"] == "district" and user["district_id"] == "D01"
        assert client.token and client.expires_at is not None
        assert not client.can_relogin
    finally:
        await client.close()


async def test_wrong_password_unknown_user_and_unreachable_say_so(central) -> None:
    client = ApiClient(central.url)
    try:
        with pytest.raises(AuthError) as wrong:
            await client.login("operator", "nope")
        assert wrong.value.code == "bad_credentials"
        assert wrong.value.message == "wrong username or password"
        with pytest.raises(AuthError):
            await client.login("nobody", DEMO_PASSWORD)
    finally:
        await client.close()
    away = ApiClient(f"http://127.0.0.1:{free_port()}")
    try:
        with pytest.raises(ServerUnreachable, match=r"cannot reach http://127\.0\.0\.1"):
            await away.login("operator", DEMO_PASSWORD)
    finally:
        await away.close()


async def test_throttled_login_says_how_long_to_wait(central) -> None:
    client = ApiClient(central.url)
    try:
        for _ in range(5):
            with pytest.raises(AuthError):
                await client.login("ds", "guess")
        with pytest.raises(Throttled) as throttled:
            await client.login("ds", "guess")
        assert throttled.value.retry_after and throttled.value.retry_after > 0
        assert "try again" in throttled.value.message
    finally:
        await client.close()


async def test_an_ended_session_is_renewed_only_from_a_password_source(central) -> None:
    client = ApiClient(central.url)
    other = ApiClient(central.url)
    ended: list[AuthError] = []
    client.on_session_ended(ended.append)
    reads: list[int] = []

    def source() -> str:
        reads.append(1)
        return DEMO_PASSWORD

    try:
        await client.login("operator", DEMO_PASSWORD)
        client.set_password_source("operator", source)
        first = client.token
        # Log the token out server-side (as if it expired): the kiosk reads its source again.
        other.token = first
        await other.logout()
        page = await client.changes(0, 10)
        assert page["changes"] and client.token != first and len(reads) == 1 and not ended
        # Without a source the session ends: no token, nothing more is sent, listeners told.
        client.forget_password()
        other.token = client.token
        await other.logout()
        with pytest.raises(AuthError) as expired:
            await client.changes(0, 10)
        assert expired.value.code == "invalid_token" and client.token is None
        assert ended == [expired.value] and client.ended is expired.value
        with pytest.raises(AuthError):
            await client.changes(0, 10)
        assert len(ended) == 1
    finally:
        await client.close()
        await other.close()


async def test_refusals_carry_the_servers_code_message_and_body(central) -> None:
    client = ApiClient(central.url)
    try:
        await client.login("operator", DEMO_PASSWORD)
        with pytest.raises(ServerRejected) as missing:
            await client.action("k" * 32, "alarm.ack", {"alarm_id": "no-such-alarm"})
        assert missing.value.status == 404 and "no-such-alarm" in missing.value.message
        with pytest.raises(ServerRejected) as bad:
            await client.changes(-5, 10)
        assert bad.value.status == 400
        row = await client.entity("district", "D01")
        assert row["payload"]["name"] == "康巴什区"
    finally:
        await client.close()


async def test_server_failures_and_timeouts_are_typed(tmp_path) -> None:
    async def broken(request: web.Request) -> web.Response:
        return web.json_response({"error": "internal", "message": "database is locked"},
                                 status=503)

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(1.5)
        return web.json_response({})

    async def not_json(request: web.Request) -> web.Response:
        return web.Response(text="<html>proxy error</html>", status=502)

    app = web.Application()
    app.router.add_get("/api/changes", broken)
    app.router.add_post("/api/login", slow)
    app.router.add_get("/api/health", not_json)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    client = ApiClient(f"127.0.0.1:{port}", timeout_s=0.5)
    try:
        with pytest.raises(ServerError, match="database is locked") as failed:
            await client.changes(0, 10)
        assert failed.value.status == 503
        with pytest.raises(ServerUnreachable, match="did not answer within"):
            await client.login("operator", DEMO_PASSWORD)
        with pytest.raises(ServerError, match="not a JSON object"):
            await client.health()
    finally:
        await client.close()
        await runner.cleanup()


def test_server_addresses_are_checked() -> None:
    assert normalise_server_url("10.0.0.5:8750/") == "http://10.0.0.5:8750"
    assert normalise_server_url("https://kw.example") == "https://kw.example"
    for bad in ("", "ftp://x", "http://"):
        with pytest.raises(ValueError):
            normalise_server_url(bad)


async def test_the_token_never_reaches_a_message(central: CentralServer, caplog) -> None:
    client = ApiClient(central.url)
    try:
        await client.login("operator", DEMO_PASSWORD)
        token = client.token
        await central.stop()
        with caplog.at_level(logging.DEBUG), pytest.raises(ServerUnreachable) as down:
            await client.ws_connect(0)
        assert token and token not in down.value.message
        assert token not in caplog.text
    finally:
        await client.close()
