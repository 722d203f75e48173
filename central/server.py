"""Running the server: one process, or several worker processes sharing one port.

With ``--workers N`` (PostgreSQL only) the supervisor binds the port with ``SO_REUSEPORT`` to
reserve it, starts N worker processes that bind the same port (the kernel spreads connections
across them), announces the URL once all of them listen, restarts a worker that dies, and stops
them all on SIGINT/SIGTERM. Live events reach clients of every worker through PostgreSQL
LISTEN/NOTIFY (:mod:`central.pgnotify`); periodic rule checks run in worker 0 only.

With ``--tls-cert``/``--tls-key`` every process (each worker loads the files itself) serves
HTTPS and WSS on its socket, and the announced URL is ``https://``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import selectors
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Sequence

from aiohttp import web

from central.app import create_app
from central.config import CentralConfig
from central.database import Database
from central.scope import mask_credentials

log = logging.getLogger("kitchenwatch.central.server")
URL_PREFIX = "KITCHENWATCH_CENTRAL_URL="
READY_LINE = "KITCHENWATCH_WORKER_READY"


def bind_socket(host: str, port: int, reuse_port: bool) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def public_url(host: str, port: int, tls: bool = False) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else ("[::1]" if host == "::" else host)
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"{'https' if tls else 'http'}://{shown}:{port}"


def tls_context(cert: str, key: str) -> ssl.SSLContext:
    """A server context for a PEM certificate (chain) and key; TLS 1.2 at least.

    Raises OSError (missing/unreadable file) or ssl.SSLError (not PEM, key does not match)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert, key)
    return context


async def serve(config: CentralConfig, host: str, port: int, *, reuse_port: bool = False,
                announce: str = URL_PREFIX, tls: ssl.SSLContext | None = None) -> None:
    """Run one server process until SIGINT/SIGTERM; ``announce`` prefixes the URL line;
    ``tls``: serve HTTPS (and WSS) with this context."""
    loop = asyncio.get_running_loop()
    database = await loop.run_in_executor(None, Database, config.db_url)
    app = create_app(config, database)
    sock = bind_socket(host, port, reuse_port)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    try:
        await web.SockSite(runner, sock, shutdown_timeout=5.0, ssl_context=tls).start()
        chosen = sock.getsockname()[1]
        if announce == URL_PREFIX:
            print(f"{URL_PREFIX}{public_url(host, chosen, tls is not None)}", flush=True)
        else:
            print(announce, flush=True)
        log.info("central %s listening on %s:%d (%s), database %s", os.getpid(), host, chosen,
                 "HTTPS" if tls else "plain HTTP", mask_credentials(config.db_url))
        stop = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):  # Windows: Ctrl+C still raises
                loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        log.info("central %s stopping", os.getpid())
    finally:
        await runner.cleanup()
        await loop.run_in_executor(None, database.close)


def supervise(worker_argv: Sequence[str], host: str, port: int, workers: int,
              tls: bool = False) -> int:
    """Start ``workers`` processes of ``worker_argv`` on one port; returns an exit status.
    ``tls``: the workers serve HTTPS (their argv carries the certificate options)."""
    reserve = bind_socket(host, port, reuse_port=True)  # bound, never listening
    port = reserve.getsockname()[1]
    stopping = False

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    def start(index: int) -> subprocess.Popen[str]:
        argv = [sys.executable, "-m", "central", *worker_argv, "--port", str(port),
                "--worker-index", str(index)]
        return subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)

    procs = {i: start(i) for i in range(workers)}
    if not _wait_ready(procs, timeout=60.0, stop=lambda: stopping):
        log.error("workers did not start; stopping")
        _stop_all(procs)
        return 1
    print(f"{URL_PREFIX}{public_url(host, port, tls)}", flush=True)
    log.info("%d workers serve port %d", workers, port)
    restarts: dict[int, float] = {}
    while not stopping:
        time.sleep(0.5)
        for index, proc in list(procs.items()):
            if proc.poll() is None or stopping:
                continue
            log.error("worker %d exited with %s; restarting it", index, proc.returncode)
            if time.monotonic() - restarts.get(index, 0.0) < 5.0:
                time.sleep(5.0)  # a worker that keeps crashing must not spin the CPU
            restarts[index] = time.monotonic()
            procs[index] = start(index)
            _wait_ready({index: procs[index]}, timeout=60.0, stop=lambda: stopping)
    _stop_all(procs)
    reserve.close()
    return 0


def _wait_ready(procs: dict[int, subprocess.Popen[str]], timeout: float,
                stop: object) -> bool:
    pending = dict(procs)
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as sel:
        for index, proc in pending.items():
            assert proc.stdout is not None
            sel.register(proc.stdout, selectors.EVENT_READ, index)
        while pending and time.monotonic() < deadline and not stop():  # type: ignore[operator]
            for key, _ in sel.select(timeout=0.5):
                line = key.fileobj.readline()  # type: ignore[union-attr]
                if READY_LINE in line:
                    pending.pop(key.data, None)
                    sel.unregister(key.fileobj)
                elif not line:
                    return False  # the worker died before it was ready
    return not pending


def _stop_all(procs: dict[int, subprocess.Popen[str]]) -> None:
    for proc in procs.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10.0
    for proc in procs.values():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
