"""`kill -9` of the console while it records actions: after every restart, each action that
was committed locally is complete (its effect is there too) and reaches the server exactly
once."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select

from console.store import LocalStore, OutboxCounts
from console.sync.client import ApiClient
from console.sync.pusher import Pusher
from db.models import AuditEntry, OutboxAction
from tests.console.conftest import DEMO_PASSWORD, CentralServer

pytestmark = pytest.mark.timeout(600)
KILLS = int(os.environ.get("KITCHENWATCH_KILLS", "200"))

# The "console": records actions as fast as it can while its pusher delivers them to a live
# central, so kills land between a local commit and its delivery, mid-request, and after
# central committed but before the console marked the action sent.
WRITER = textwrap.dedent("""
    import asyncio, sys
    from pathlib import Path
    from console.store import LocalStore
    from console.sync.client import ApiClient
    from console.sync.pusher import Pusher
    from db.models import AuditEntry, new_id

    async def record(store):
        while True:
            ident = new_id()
            effect = lambda s, i=ident: s.add(AuditEntry(id=i, district_id="D01",
                                                         user="operator", action="note"))
            await store.record_action("audit", {"action": "note", "district_id": "D01",
                                                "detail": ident}, effect)
            await asyncio.sleep(0.002)

    async def main():
        store = LocalStore(Path(sys.argv[1]))
        client = ApiClient(sys.argv[2])
        await client.login("operator", sys.argv[3])
        print("ready", flush=True)
        await asyncio.gather(record(store), Pusher(client, store).run())

    asyncio.run(main())
""")


async def test_kill_minus_nine_never_loses_or_doubles_an_action(tmp_path: Path,
                                                               central_db: Path) -> None:
    path = tmp_path / "local.db"
    rng = random.Random(5)
    central = CentralServer(central_db, central_db.parent / "media")
    await central.start()
    try:
        for _ in range(KILLS):
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-c", WRITER, str(path), central.url, DEMO_PASSWORD,
                stdout=asyncio.subprocess.PIPE)
            assert proc.stdout is not None
            assert (await asyncio.wait_for(proc.stdout.readline(), 60)).strip() == b"ready"
            await asyncio.sleep(rng.uniform(0.02, 0.3))
            os.kill(proc.pid, signal.SIGKILL)
            await proc.wait()

        store = LocalStore(path)
        client = ApiClient(central.url)
        try:
            actions = await store.count(OutboxAction)
            effects = await store.count(AuditEntry)
            assert actions == effects > KILLS  # atomic: never one without the other
            delivered_by_the_victims = await central.read(lambda s: s.scalar(
                select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "note")))
            assert delivered_by_the_victims > 0  # the kills really hit a delivering console
            await client.login("operator", DEMO_PASSWORD)
            await Pusher(client, store).drain()  # what the last kill left undelivered
            assert await store.outbox_counts() == OutboxCounts(0, 0)
            sent = sorted(p["detail"] for p in await store.read(
                lambda s: list(s.scalars(select(OutboxAction.payload)))))
            on_server = sorted(await central.read(lambda s: list(s.scalars(
                select(AuditEntry.detail).where(AuditEntry.action == "note")))))
            assert on_server == sent  # every committed action once, none twice
        finally:
            await client.close()
            store.close()
    finally:
        await central.stop()
