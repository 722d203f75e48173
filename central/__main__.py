"""`kitchenwatch-central`: run the central server."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

from aiohttp import web

from central.app import DB, create_app
from central.config import CentralConfig, default_data_dir
from central.database import Database
from central.scope import mask_credentials

log = logging.getLogger("kitchenwatch.central")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="kitchenwatch-central",
        description="Kitchen Watch central server: registry, login and roles, change feed and "
                    "WebSocket for consoles, sensor/AI/health ingest from kitchens, alarm rules "
                    "and the inspection-task state machine.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default loopback)")
    p.add_argument("--port", type=int, default=8750,
                   help="port (0 = pick a free one; the chosen URL is printed as "
                        "KITCHENWATCH_CENTRAL_URL=...)")
    p.add_argument("--db", default=f"sqlite:///{default_data_dir() / 'central.db'}",
                   help="database URL: sqlite:///path (default) or postgresql+psycopg://...")
    p.add_argument("--media-dir", type=Path, default=default_data_dir() / "central-media",
                   help="where evidence images are stored")
    p.add_argument("--demo-registry", action="store_true",
                   help="populate an empty database with a demo city and demo users")
    p.add_argument("--businesses", type=int, default=60, help="demo city size (businesses)")
    p.add_argument("--seed", type=int, default=7, help="demo city random seed")
    p.add_argument("--stream-base", default="http://127.0.0.1:8751",
                   help="base URL of the media server the demo cameras point at")
    p.add_argument("--token-hours", type=float, default=12.0, help="login token lifetime")
    p.add_argument("--log-level", default="INFO")
    return p.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    from datetime import timedelta

    config = CentralConfig(db_url=args.db, media_dir=args.media_dir,
                           token_lifetime=timedelta(hours=args.token_hours))
    loop = asyncio.get_running_loop()
    database = await loop.run_in_executor(None, Database, config.db_url)
    if args.demo_registry:
        from central.demo_registry import populate

        created = await database.run(
            lambda s: populate(s, args.businesses, args.seed, args.stream_base))
        log.info("demo registry %s", "created" if created else "already present; kept")
    app = create_app(config, database)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    port = sock.getsockname()[1]
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.SockSite(runner, sock)
    await site.start()
    host = args.host if args.host not in ("0.0.0.0", "") else "127.0.0.1"
    print(f"KITCHENWATCH_CENTRAL_URL=http://{host}:{port}", flush=True)
    log.info("central listening on %s:%s, database %s", args.host, port,
             mask_credentials(args.db))
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    log.info("central stopping")
    await runner.cleanup()
    assert app[DB] is database


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        asyncio.run(serve(args))
    except OSError as exc:
        print(f"kitchenwatch-central: cannot listen on {args.host}:{args.port}: {exc}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
