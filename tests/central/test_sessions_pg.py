"""Sessions and login throttling on PostgreSQL, where workers are separate processes: the same
tests as on SQLite against a throwaway cluster (bench/pg.py), plus real
``--workers 2`` processes over TLS whose sockets all close when the user logs out."""

from __future__ import annotations

import asyncio
import signal
import ssl
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

from central.demo_registry import DEMO_PASSWORD
from tests.central.pg_fixtures import postgres_fixtures

# The SQLite tests, run here against PostgreSQL through the fixtures below.
from tests.central.test_sessions import (  # noqa: F401
    _closed,
    test_a_change_made_directly_in_the_database_ends_the_session,
    test_logout_on_one_server_ends_the_session_on_another,
)
from tests.central.test_throttle import (  # noqa: F401
    test_a_colleague_known_at_the_address_gets_in_after_a_spray,
    test_concurrent_wrong_passwords_are_never_all_tried,
    test_two_server_instances_share_the_limit,
)
from tests.central.test_tls import _self_signed

cluster, template, db_url, config, api = postgres_fixtures("kw_sessions")


def test_logout_closes_sockets_on_every_worker_process(db_url: str, tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "central", "--port", "0", "--db", db_url,
                             "--media-dir", str(tmp_path / "m"), "--workers", "2",
                             "--tls-cert", str(cert), "--tls-key", str(key),
                             "--log-level", "WARNING"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("KITCHENWATCH_CENTRAL_URL=https://"), proc.stderr.read()  # type: ignore[union-attr]
        asyncio.run(_logout_closes_all(line.strip().split("=", 1)[1], cert))
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0


async def _logout_closes_all(url: str, cert: Path) -> None:
    """Eight sockets of one login (the kernel spreads them over the workers); a logout sent
    to whichever worker closes all of them within 2 s."""
    tls = ssl.create_default_context(cafile=str(cert))
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=tls)) as http:
        async with http.post(f"{url}/api/login", json={"username": "operator",
                                                        "password": DEMO_PASSWORD}) as r:
            token = (await r.json())["token"]
        head = (await (await http.get(f"{url}/api/health")).json())["head_seq"]
        wss = url.replace("https://", "wss://")
        sockets = [await http.ws_connect(f"{wss}/api/ws?token={token}&since={head}")
                   for _ in range(8)]
        for ws in sockets:
            async with asyncio.timeout(15):
                while (await ws.receive_json())["type"] != "hello":
                    pass
        async with http.post(f"{url}/api/logout",
                             headers={"Authorization": f"Bearer {token}"}) as r:
            assert r.status == 200
        started = time.monotonic()
        results = await asyncio.gather(*(_closed(ws, 2.0) for ws in sockets))
        assert results == [(4401, "session ended: logged out")] * 8
        assert time.monotonic() - started < 2.0
