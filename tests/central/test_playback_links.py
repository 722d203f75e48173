"""Signed playback addresses: what libVLC opens instead of sending a bearer token. Minted for
one camera and range within the user's scope, refused once expired, after logout, when
tampered with, or when it claims to live longer than a few minutes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from central import playback_links
from central.auth import token_hash
from central.config import CentralConfig
from common.masking import mask_url
from domain.clock import utcnow
from tests.central.conftest import Api
from tests.central.test_recordings import _camera, _index, _iso, _segment


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> CentralConfig:
    return CentralConfig(db_url=db_url, media_dir=tmp_path / "media",
                         recordings_dir=tmp_path / "recordings", run_background=False,
                         token_cache_s=0.0)


async def _recorded(api: Api, config: CentralConfig) -> tuple[str, dict[str, str], bytes]:
    camera = _camera(api, "D01")
    t0 = utcnow().replace(microsecond=0) - timedelta(minutes=5)
    segs = [_segment(config, camera.id, t0 + timedelta(seconds=10 * i),
                     data=bytes([i + 1]) * 188 * (i + 1)) for i in range(2)]
    await _index(api, segs)
    body = {"camera": camera.id, "from": _iso(t0), "to": _iso(t0 + timedelta(seconds=20))}
    return camera.id, body, bytes([1]) * 188 + bytes([2]) * 376


async def _open(api: Api, path: str) -> tuple[int, bytes]:
    async with api.http.get(api.base + path) as resp:  # no Authorization header: libVLC's way
        return resp.status, await resp.read()


async def test_a_signed_address_plays_without_a_header_and_hides_its_secret(
        api: Api, config: CentralConfig) -> None:
    camera, body, data = await _recorded(api, config)
    reply = await api.post("/api/recordings/links", body, as_user="kbs")
    assert reply.status == 200, reply.body
    path = reply.body["path"]
    token = await api.login("kbs")
    assert token not in path  # never the session's token in an address
    assert (await _open(api, path)) == (200, data)
    expires = reply.body["expires_at"]
    assert utcnow() < utcnow().fromisoformat(expires.replace("Z", "+00:00")) \
        <= utcnow() + playback_links.MAX_LIFETIME
    sig = parse_qs(urlsplit(path).query)["sig"][0]
    assert sig not in mask_url("http://127.0.0.1:8080" + path)  # logs never show it

    # tampering: a longer range with the same signature
    query = parse_qs(urlsplit(path).query)
    query["to"] = [_iso(utcnow())]
    tampered = f"{playback_links.SIGNED_PATH}?{urlencode({k: v[0] for k, v in query.items()})}"
    assert (await _open(api, tampered))[0] == 401
    assert camera in path


async def test_another_districts_user_gets_no_address_and_field_staff_none(
        api: Api, config: CentralConfig) -> None:
    _camera_id, body, _data = await _recorded(api, config)
    assert (await api.post("/api/recordings/links", body, as_user="ds")).status == 404
    assert (await api.post("/api/recordings/links", body, as_user="kbs_field1")).status == 403
    assert (await api.post("/api/recordings/links", body)).status == 401
    empty = dict(body, to=body["from"], **{"from": _iso(utcnow() - timedelta(days=2))})
    refused = await api.post("/api/recordings/links", empty, as_user="kbs")
    assert refused.status == 404 and "no recording" in refused.body["message"]


async def test_an_expired_or_long_lived_address_is_refused(api: Api,
                                                           config: CentralConfig) -> None:
    camera, body, data = await _recorded(api, config)
    token = await api.login("kbs")
    me = (await api.get("/api/me", "kbs")).body
    user_id = me.get("id") or me["user"]["id"]
    digest = token_hash(token)

    def address(exp_in: timedelta) -> str:
        exp = int((utcnow() + exp_in).timestamp())
        sig = playback_links.signature(digest, user_id, camera, body["from"], body["to"], exp)
        return playback_links.SIGNED_PATH + "?" + urlencode(
            {"camera": camera, "from": body["from"], "to": body["to"], "exp": exp,
             "uid": user_id, "sig": sig})

    assert (await _open(api, address(timedelta(seconds=60)))) == (200, data)
    status, raw = await _open(api, address(timedelta(seconds=-1)))
    assert status == 401 and b"expired" in raw
    # signed correctly by someone holding the token, but for a day: still refused
    assert (await _open(api, address(timedelta(days=1))))[0] == 401


async def test_an_address_is_refused_after_logout(api: Api, config: CentralConfig) -> None:
    _camera_id, body, data = await _recorded(api, config)
    reply = await api.post("/api/recordings/links", body, as_user="kbs")
    path = reply.body["path"]
    assert (await _open(api, path)) == (200, data)
    assert (await api.post("/api/logout", as_user="kbs")).status == 200
    status, raw = await _open(api, path)
    assert status == 401 and b"session" in raw


async def test_a_signed_clip_answers_ranges_so_a_player_can_seek(
        api: Api, config: CentralConfig) -> None:
    _camera_id, body, data = await _recorded(api, config)
    path = (await api.post("/api/recordings/links", body, as_user="kbs")).body["path"]
    for asked, want in (("bytes=100-299", data[100:300]), ("bytes=150-", data[150:]),
                        ("bytes=-50", data[-50:])):
        async with api.http.get(api.base + path, headers={"Range": asked}) as resp:
            assert resp.status == 206, asked
            assert await resp.read() == want
            assert resp.headers["Content-Range"].endswith(f"/{len(data)}")
    async with api.http.get(api.base + path, headers={"Range": f"bytes={len(data)}-"}) as resp:
        assert resp.status == 416


async def test_an_export_writes_its_hash_into_the_audit_within_scope(
        api: Api, config: CentralConfig) -> None:
    from sqlalchemy import select

    from db.models import AuditEntry

    camera, body, _data = await _recorded(api, config)
    digest = "ab" * 32
    payload = {"camera_id": camera, "start": body["from"], "end": body["to"], "sha256": digest,
               "bytes": 123456}
    assert (await api.action("ds", "recording.export", payload)).status == 404
    assert (await api.action("kbs", "recording.export",
                             dict(payload, sha256="XYZ"))).status == 422
    done = await api.action("kbs", "recording.export", payload)
    assert done.status == 200, done.body

    def audit(session: Any) -> list[tuple[str, str, str]]:
        return [(a.action, a.user, a.detail) for a in session.scalars(
            select(AuditEntry).where(AuditEntry.action == "recording.export"))]

    rows = api.db.read_sync(audit)
    assert len(rows) == 1 and rows[0][1] == "kbs" and digest in rows[0][2]
