"""A throwaway PostgreSQL cluster for tests and benchmarks: initdb + pg_ctl on a free port.

PostgreSQL refuses to run as root, so under root the cluster belongs to the ``postgres`` OS user
(commands go through ``runuser``). Each test gets its own database, copied from a template that
already holds the migrated schema and the demo city.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


def _newest_bin() -> Path:
    """The newest installed server's programs (Debian's ``postgresql`` package: 15 on
    Debian 12, 16 on Ubuntu 24.04)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                   else 0)
    return found[-1].parent if found else Path("/usr/lib/postgresql/15/bin")


BIN = _newest_bin()
OS_USER = "postgres"


def available() -> str | None:
    """None if a cluster can be started, else the reason it cannot."""
    if not (BIN / "initdb").exists() or not (BIN / "pg_ctl").exists():
        return f"PostgreSQL server programs (initdb, pg_ctl) not found in {BIN}"
    if os.geteuid() == 0 and not shutil.which("runuser"):
        return "running as root and 'runuser' is missing (PostgreSQL refuses to run as root)"
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam(OS_USER)
        except KeyError:
            return f"running as root and there is no '{OS_USER}' OS user to own the cluster"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    root: Path
    port: int
    user: str = "kw"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def psql(self, sql: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=self.user,
                             dbname=database, autocommit=True) as conn:
            conn.execute(sql)


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    if os.geteuid() == 0:
        args = ["runuser", "-u", OS_USER, "--", *args]
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=120,
                          **kwargs)


def start_cluster() -> Iterator[Cluster]:
    root = Path(tempfile.mkdtemp(prefix="kw-pg-"))
    data, sockets = root / "data", root / "run"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, OS_USER)
        shutil.chown(sockets, OS_USER)
    port = _free_port()
    cluster = Cluster(root, port)
    try:
        _run([str(BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", cluster.user,
              "--no-sync", "-E", "UTF8", "--locale", "C"])
        _run([str(BIN / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-w",
              "-t", "60", "-o", f"-p {port} -h 127.0.0.1 -k {sockets} -F "
              "-c max_connections=200 -c shared_buffers=32MB", "start"])
        yield cluster
    finally:
        with_data = data.exists()
        if with_data:
            subprocess.run((["runuser", "-u", OS_USER, "--"] if os.geteuid() == 0 else [])
                           + [str(BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w",
                              "stop"], capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


def backend_pid(session) -> int:
    """The server process id of ``session``'s connection (what ``pg_blocking_pids`` names)."""
    from sqlalchemy import func, select

    return int(session.scalar(select(func.pg_backend_pid())))


def wait_until_blocked_by(read_sync, pid: int, count: int = 1, timeout: float = 30.0) -> None:
    """Return once ``count`` other connections wait for a lock that ``pid`` holds, directly
    or queued behind another waiter (the second of two waiters for one row waits for the
    first, which holds the row's tuple lock, and only through it for ``pid``).

    This is how a test forces an interleaving: a transaction holds a lock, the code under test
    is started and is *known* to be queued behind it (not merely given some time to get there)
    before the holder commits. ``read_sync`` runs a function in a fresh transaction (e.g.
    ``Database.read_sync``)."""
    import time

    from sqlalchemy import text

    query = text("WITH RECURSIVE waiting(pid) AS ("
                 " SELECT pid FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))"
                 " UNION SELECT a.pid FROM pg_stat_activity AS a JOIN waiting AS w"
                 " ON w.pid = ANY(pg_blocking_pids(a.pid)))"
                 " SELECT count(*) FROM waiting")
    deadline = time.monotonic() + timeout
    while True:
        waiting = read_sync(lambda s: s.scalar(query, {"pid": pid}))
        if waiting >= count:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{waiting} connection(s) wait for backend {pid}'s locks after "
                                 f"{timeout:.0f} s; expected {count}")
        time.sleep(0.01)
