"""The media spool keeps a snapshot until central confirms it stored the same bytes.

A real loopback server stands in for ``POST /api/media``: it reads each upload whole and
answers with a link; the first answer names another hash (as when a body arrived cut short),
the next ones the right hash. The local copy must survive the wrong answer, be listed as a
mismatch, and go only after the retry is confirmed.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import random
from pathlib import Path

import pytest
from aiohttp import web

from common.backoff import Backoff
from console.media.spool import MediaSpool, media_url
from console.sync.client import ApiClient
from tests.console.conftest import wait_for
from tests.console.loopback import Recorder, jpeg_bytes

pytestmark = pytest.mark.timeout(60)
TOKEN = "spool-token"


@pytest.fixture
async def central() -> Recorder:
    server = Recorder()
    server.wrong_answers = 1  # type: ignore[attr-defined]

    async def upload(request: web.Request) -> web.Response:
        body = await request.read()
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return web.json_response({"error": "not_logged_in", "message": "log in"},
                                     status=401)
        digest = hashlib.sha256(body).hexdigest()
        if server.wrong_answers > 0:  # type: ignore[attr-defined]
            server.wrong_answers -= 1  # type: ignore[attr-defined]
            digest = hashlib.sha256(body[: len(body) // 3]).hexdigest()  # a truncated body
        return web.json_response({"url": f"/media/{digest}.jpg"}, status=201)

    server.routes[("POST", "/api/media")] = upload
    await server.start()
    yield server
    await server.stop()


def spool_for(directory: Path, server: Recorder) -> MediaSpool:
    client = ApiClient(server.url)
    client.token = TOKEN
    backoff = Backoff(initial_s=0.2, cap_s=0.2, jitter=0.0, rng=random.Random(1))
    return MediaSpool(directory, client, backoff=backoff)


async def test_a_wrong_hash_keeps_the_file_until_a_correct_upload(central, tmp_path,
                                                                  caplog) -> None:
    caplog.set_level(logging.INFO)
    spool = spool_for(tmp_path / "media", central)
    data = jpeg_bytes(150 * 1024)
    try:
        url = await spool.add(data)
        assert url == media_url(data)
        name = url.rsplit("/", 1)[-1]
        local = tmp_path / "media" / name

        assert await spool.flush() == 0, "a wrong hash counts as not uploaded"
        assert local.read_bytes() == data, "the only copy of the evidence was deleted"
        assert name in spool.mismatches and spool.mismatches[name] != url
        assert any("instead of" in r.getMessage() and name in r.getMessage()
                   for r in caplog.records if r.levelno >= logging.ERROR)

        # No one calls flush again: the spool retries by itself after its backoff delay.
        await wait_for(lambda: not local.exists(), 10, "the retried upload")
        assert spool.mismatches == {}
        assert spool.pending() == []
        uploads = [s for s in central.seen if s.method == "POST"]
        assert len(uploads) == 2 and all(s.body == data for s in uploads)
        assert all(s.authorization == f"Bearer {TOKEN}" for s in uploads)
    finally:
        spool.close()
        await spool.client.close()


async def test_a_file_that_no_longer_matches_its_name_is_set_aside(central, tmp_path) -> None:
    """Bytes changed on disk would be uploaded under another hash than the records link to:
    they are kept aside for inspection, never sent as if they were the evidence."""
    spool = spool_for(tmp_path / "media", central)
    data = jpeg_bytes(4096)
    try:
        name = (await spool.add(data)).rsplit("/", 1)[-1]
        (tmp_path / "media" / name).write_bytes(data[:-1] + b"\x00")
        assert await spool.flush() == 0
        assert (tmp_path / "media" / "refused" / name).exists()
        assert [s for s in central.seen if s.method == "POST"] == []
    finally:
        spool.close()
        await spool.client.close()


async def test_a_correct_answer_removes_the_file_at_once(central, tmp_path) -> None:
    central.wrong_answers = 0
    spool = spool_for(tmp_path / "media", central)
    try:
        await spool.add(jpeg_bytes(2048))
        assert await spool.flush() == 1
        assert spool.pending() == [] and spool.mismatches == {}
    finally:
        spool.close()
        await spool.client.close()
        await asyncio.sleep(0)


async def test_after_the_session_ends_the_spool_waits_for_the_next_login(central,
                                                                         tmp_path) -> None:
    """No retries with a token central no longer accepts (nor after logout): the files wait
    and the next login's flush sends them."""
    central.wrong_answers = 0
    spool = spool_for(tmp_path / "media", central)
    try:
        await spool.add(jpeg_bytes(2048))
        spool.client.token = "revoked"
        assert await spool.flush() == 0
        assert len(spool.pending()) == 1
        assert spool._retry is None, "a retry was scheduled with a dead session"
        await asyncio.sleep(0.5)
        assert len([s for s in central.seen if s.method == "POST"]) == 1
        assert spool.client.ended is not None  # the 401 ended the session for everyone
        again = ApiClient(central.url)
        again.token = TOKEN
        spool.client.adopt_login(again)  # logged in again in the dialog
        assert await spool.flush() == 1 and spool.pending() == []
    finally:
        spool.close()
        await spool.client.close()
