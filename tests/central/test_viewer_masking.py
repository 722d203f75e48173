"""The demonstration viewer gets stream addresses without user information and without
credential parameters, parsed rather than pattern-matched: for the password ``P@ss/w:rd`` a
pattern stopping at the first ``@`` would have handed it ``rtsp://ss/w:rd@media.example…``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from central import changes
from central.config import CentralConfig
from central.database import Database
from central.demo_registry import populate
from central.scope import Principal, present
from db.models import Camera, Role
from tests.central.conftest import Api, start_api

STREAM_BASE = "rtsp://admin:P@ss/w:rd@media.example:554"
SECRETS = ("P@ss", "ss/w", "w:rd", "tok-7c6b5a", "admin")


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[tuple[Api, str]]:
    database = Database(f"sqlite:///{tmp_path / 'central.db'}")
    database.write_sync(changes.ensure_feed_id)
    database.write_sync(lambda s: populate(s, 4, 3, STREAM_BASE))

    def add_token(session) -> str:
        camera = session.scalars(select(Camera).order_by(Camera.id)).first()
        camera.main_url = f"{camera.main_url}?channel=2&token=tok-7c6b5a"
        changes.record(session, camera)
        changes.flush_feed(session)
        return camera.id

    token_camera = database.write_sync(add_token)
    database.close()
    config = CentralConfig(db_url=f"sqlite:///{tmp_path / 'central.db'}",
                           media_dir=tmp_path / "media", run_background=False, token_cache_s=0.0)
    client, server, session = await start_api(config)
    try:
        yield client, token_camera
    finally:
        await session.close()
        await server.close()


async def test_viewer_gets_the_host_and_path_and_no_credentials(api) -> None:
    client, token_camera = api
    rows, _ = await client.feed("viewer")
    cameras = {r["id"]: r["payload"] for r in rows if r["entity"] == "camera"}
    assert cameras
    for camera in cameras.values():
        for key in ("sub_url", "main_url"):
            assert camera[key].startswith("rtsp://media.example:554/live/"), camera[key]
    assert cameras[token_camera]["main_url"].endswith("?channel=2")
    shown = str(rows)
    assert [s for s in SECRETS if s in shown] == []
    direct = await client.get(f"/api/entity/camera/{token_camera}", "viewer")
    assert direct.status == 200
    assert [s for s in SECRETS if s in str(direct.body)] == []
    # The operator plays the streams: it gets them whole.
    op_rows, _ = await client.feed("operator")
    op_camera = next(r["payload"] for r in op_rows if r["id"] == token_camera)
    assert op_camera["main_url"].startswith(STREAM_BASE + "/live/")
    assert op_camera["main_url"].endswith("?channel=2&token=tok-7c6b5a")


def test_present_for_the_viewer() -> None:
    viewer = Principal("u1", "viewer", Role.VIEWER, None)
    shown = present(viewer, "camera", {
        "id": "C1", "sub_url": "rtsp://admin:P@ss@10.1.2.3:554/ch1?pwd=x1y2z3&subtype=1",
        "main_url": "rtsp://10.1.2.3/user=admin&password=P@ss&channel=1"})
    assert shown["sub_url"] == "rtsp://10.1.2.3:554/ch1?subtype=1"
    assert shown["main_url"] == "rtsp://10.1.2.3/user=&password=&channel=1"
    person = present(viewer, "business", {"official_name": "张", "official_phone": "81234567"})
    assert person == {"official_name": "张*", "official_phone": "****4567"}
