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

from console.sync.client import ApiClient
from console.sync.pusher import Pusher
from console.sync.store import LocalStore, OutboxCounts
from db.models import AuditEntry, OutboxAction
from tests.console.conftest import DEMO_PASSWORD, CentralServer

pytestmark = pytest.mark.timeout(600)
KILLS = int(os.environ.get("KITCHENWATCH_KILLS", "200"))

# The "console": records actions as fast as it can while its pusher delivers them to a live
# central, so kills land between a local commit and its delivery, mid-request, and after
# central committed but before the console marked the action sent.
#
# Each victim is forked from a parent that has imported everything and logged in once: a
# fresh interpreter per kill spent 0.7 s importing and the server an Argon2 hash per login,
# which made this test half the suite. The victim is still a process of its own that opens
# the database itself, and SIGKILL ends it without any clean-up, as a power cut would.
WRITER = textwrap.dedent("""
    import asyncio, json, os, sys, urllib.request
    from pathlib import Path
    from console.sync.store import LocalStore
    from console.sync.client import ApiClient
    from console.sync.pusher import Pusher
    from db.models import AuditEntry, new_id

    path, url, password = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    request = urllib.request.Request(
        url + "/api/login", json.dumps({"username": "operator", "password": password}).encode(),
        {"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=30) as answer:
        login = json.load(answer)

    async def record(store):
        while True:
            ident = new_id()
            effect = lambda s, i=ident: s.add(AuditEntry(id=i, district_id="D01",
                                                         user="operator", action="note"))
            await store.record_action("patrol.skip", {"business_id": "D01-B00001",
                                                      "reason": ident, "seconds": 1}, effect)
            await asyncio.sleep(0.002)

    async def victim():
        store = LocalStore(path)
        client = ApiClient(url)
        client.token, client.user = login["token"], login["user"]
        print("ready", flush=True)
        await asyncio.gather(record(store), Pusher(client, store).run())

    for command in sys.stdin:
        if command.strip() == "fork":
            pid = os.fork()
            if pid == 0:
                asyncio.run(victim())
                os._exit(0)
            print(f"pid {pid}", flush=True)
        elif command.startswith("reap "):
            os.waitpid(int(command.split()[1]), 0)
            print("reaped", flush=True)
""")


async def test_kill_minus_nine_never_loses_or_doubles_an_action(tmp_path: Path,
                                                               central_db: Path) -> None:
    path = tmp_path / "local.db"
    rng = random.Random(5)
    central = CentralServer(central_db, central_db.parent / "media")
    await central.start()
    parent = await asyncio.create_subprocess_exec(
        sys.executable, "-c", WRITER, str(path), central.url, DEMO_PASSWORD,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)

    async def answer() -> str:
        assert parent.stdout is not None
        return (await asyncio.wait_for(parent.stdout.readline(), 60)).decode().strip()

    try:
        assert parent.stdin is not None
        for _ in range(KILLS):
            parent.stdin.write(b"fork\n")
            lines = {await answer(), await answer()}  # its pid and its "ready", in any order
            assert "ready" in lines, lines
            (pid,) = (int(line.split()[1]) for line in lines if line.startswith("pid "))
            await asyncio.sleep(rng.uniform(0.02, 0.3))
            os.kill(pid, signal.SIGKILL)
            parent.stdin.write(f"reap {pid}\n".encode())
            assert await answer() == "reaped"
        parent.stdin.close()
        await parent.wait()

        store = LocalStore(path)
        client = ApiClient(central.url)
        try:
            actions = await store.count(OutboxAction)
            effects = await store.count(AuditEntry)
            assert actions == effects > KILLS  # atomic: never one without the other
            delivered_by_the_victims = await central.read(lambda s: s.scalar(
                select(func.count()).select_from(AuditEntry)
                .where(AuditEntry.action == "patrol.skip")))
            assert delivered_by_the_victims > 0  # the kills really hit a delivering console
            await client.login("operator", DEMO_PASSWORD)
            await Pusher(client, store).drain()  # what the last kill left undelivered
            assert await store.outbox_counts() == OutboxCounts(0, 0)
            sent = sorted(p["reason"] for p in await store.read(
                lambda s: list(s.scalars(select(OutboxAction.payload)))))
            on_server = sorted(detail.split(": ", 1)[1].rsplit(" after ", 1)[0]
                               for detail in await central.read(lambda s: list(s.scalars(
                                   select(AuditEntry.detail)
                                   .where(AuditEntry.action == "patrol.skip")))))
            assert on_server == sent  # every committed action once, none twice
        finally:
            await client.close()
            store.close()
    finally:
        if parent.returncode is None:
            parent.kill()
            await parent.wait()
        await central.stop()
