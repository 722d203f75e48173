"""An action that links an evidence image still in the media spool waits for the upload: central
answers 409 media_missing (not remembered), the outbox keeps the action at the head of the
queue instead of listing it as refused, and delivers it once the image is on central."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from console.media.spool import MediaSpool
from console.sync.client import ApiClient
from console.sync.puller import Puller
from console.sync.pusher import Pusher
from console.sync.store import LocalStore, OutboxCounts
from db.models import PatrolRecord, new_id, utcnow
from tests.central.test_ingest import TINY_JPEG
from tests.console.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.timeout(90)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[LocalStore]:
    local = LocalStore(tmp_path / "local.db")
    yield local
    local.close()


async def test_a_record_waits_for_its_snapshot_then_applies_once(central, store,
                                                                 tmp_path: Path) -> None:
    client = ApiClient(central.url)
    await client.login("kbs", DEMO_PASSWORD)
    await Puller(client, store).pull()
    spool = MediaSpool(tmp_path / "spool", client)
    try:
        url = await spool.add(TINY_JPEG)  # the link is known before the upload
        record = {"id": new_id(), "business_id": "D01-B00001", "verdict": "problem",
                  "note": "lid missing", "started_at": utcnow().isoformat(),
                  "snapshot_url": url}
        await store.record_action("patrol.record", record)
        pusher = Pusher(client, store)
        waiting = await pusher.drain()
        assert waiting.sent == waiting.rejected == 0
        assert waiting.blocked_by is not None and waiting.blocked_by.code == "media_missing"
        assert await store.outbox_counts() == OutboxCounts(pending=1, rejected=0)
        assert await spool.flush() == 1
        delivered = await pusher.drain()
        assert (delivered.sent, delivered.rejected, delivered.blocked_by) == (1, 0, None)
        stored = await central.read(lambda s: s.scalars(
            select(PatrolRecord.snapshot_url).where(PatrolRecord.id == record["id"])).one())
        assert stored == url
    finally:
        await client.close()
