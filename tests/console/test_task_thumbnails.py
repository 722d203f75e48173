"""The task board's timeline photos load: a photo served by a loopback central appears as a
thumbnail within seconds (fetched with the token), a refused or missing one says why."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp import web
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QMainWindow

from console.sync.client import ApiClient
from console.sync.store import LocalStore
from console.tasks.centre import TaskCentre
from tests.console.conftest import run, wait_until
from tests.console.loopback import Recorder, media_path, png_bytes
from widgets.models.rows import TaskEventRow, TaskRow

pytestmark = pytest.mark.timeout(60)
TOKEN = "board-token"
PHOTO = png_bytes(320, 180)
PHOTO_PATH = media_path(PHOTO, "png")
GONE_PATH = "/media/" + "b" * 64 + ".jpg"
FOREIGN = ".evil.example/x.jpg"


@pytest.fixture
def central(qloop) -> Recorder:
    server = Recorder()

    async def photo(request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return web.json_response({"error": "not_logged_in", "message": "log in"},
                                     status=401)
        return web.Response(body=PHOTO, content_type="image/png")

    server.routes[("GET", PHOTO_PATH)] = photo
    run(qloop, server.start())
    yield server
    run(qloop, server.stop())


def test_timeline_photos_load_or_say_why(qloop, qtbot, central, tmp_path: Path) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    store = LocalStore(tmp_path / "local.db")
    client = ApiClient(central.url)
    client.token = TOKEN
    centre = TaskCentre(window, store, {"username": "operator"}, lambda: None, client=client)
    board = centre.board
    try:
        board.replace_tasks([TaskRow.from_payload(dict(
            id="T1", district_id="D01", business_id="B1", state="review", title="整改",
            version=2, created_at="2026-12-01T08:00:00+00:00",
            updated_at="2026-12-01T09:00:00+00:00"))])
        board.upsert_events([TaskEventRow.from_payload(dict(
            id=f"E{i}", task_id="T1", action="submit_review", actor="li.na",
            ts=f"2026-12-01T09:0{i}:00+00:00", attachment_url=url))
            for i, url in enumerate([PHOTO_PATH, FOREIGN, GONE_PATH])])
        assert board.select_task("T1")
        photo, foreign, gone = board.detail.timeline_cards()
        assert photo.thumbnail_text() == "Loading photo…"

        wait_until(qloop, lambda: not photo.thumb.pixmap().isNull(), 5, "the thumbnail")
        assert photo.thumb.pixmap().size() == QSize(128, 72)
        wait_until(qloop, lambda: "404" in gone.thumbnail_text(), 5, "the missing photo")
        assert foreign.thumbnail_text() == ("The attachment address is not on this central "
                                            "server; not downloaded.")
        assert foreign.thumb.pixmap().isNull()

        paths = [s.path_qs for s in central.seen]
        assert sorted(paths) == sorted([PHOTO_PATH, GONE_PATH])  # the foreign one: never
        assert all(s.authorization == f"Bearer {TOKEN}" for s in central.seen)

        # Redrawing the timeline (a sync brings the same events) does not fetch again.
        board.upsert_events([TaskEventRow.from_payload(dict(
            id="E0", task_id="T1", action="submit_review", actor="li.na",
            ts="2026-12-01T09:00:00+00:00", attachment_url=PHOTO_PATH))])
        photo = board.detail.timeline_cards()[0]
        assert photo.thumb.pixmap().size() == QSize(128, 72)
        qtbot.wait(200)
        assert len(central.seen) == 2
    finally:
        run(qloop, client.close())
        store.close()
