"""``kitchenwatch-central``: run the Kitchen Watch central server."""

from __future__ import annotations

import argparse
import asyncio
import logging
import ssl
import sys
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from central.client_address import parse_networks
from central.config import CentralConfig, default_data_dir, default_db_url
from central.scope import mask_credentials

log = logging.getLogger("kitchenwatch.central")

EPILOG = """\
administration commands (each has --help):
  kitchenwatch-central init --db URL [--admin NAME] [--password-file F]
      a real first start: the schema and the first administrator, no demo data
  kitchenwatch-central users add|list|disable|enable|reset-password|end-sessions --db URL ...
      accounts, for scripts

examples:
  kitchenwatch-central --port 0 --demo-registry
      a demo city in the default SQLite file; prints KITCHENWATCH_CENTRAL_URL=http://...
  kitchenwatch-central --db postgresql+psycopg://kw:secret@dbhost/kitchenwatch --workers 4 \
      --tls-cert /etc/kitchenwatch/cert.pem --tls-key /etc/kitchenwatch/key.pem --host 0.0.0.0
      a city deployment: four processes on one port over HTTPS, live events through
      LISTEN/NOTIFY
  kitchenwatch-central ... --host 127.0.0.1 --trusted-proxy 127.0.0.1
      behind a reverse proxy (nginx) on the same host that terminates TLS (see README.md)

  kitchenwatch-central import ledger.xlsx cameras.csv --db URL [--dry-run] [--skip-invalid]
      import a bureau's ledgers of businesses, cameras and sensors (see README.md)
  kitchenwatch-central bulletin --db URL --district ID --period 2026-11 --out FILE.pdf
      draft a district's 督查通报 of a month (or week 2026-W47) as a PDF, for scheduled jobs

demo accounts (password kw-demo-2026): admin, operator, viewer, gateway (device),
one district user per district (kbs, ds, yjhl, dlt, zge) and field users (kbs_field1, ...).
"""


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="kitchenwatch-central",
        description="Kitchen Watch central server: registry, login and roles, change feed and "
                    "WebSocket for consoles, sensor/AI/health ingest from kitchens, alarm rules "
                    "and the inspection-task state machine.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default: %(default)s)")
    p.add_argument("--port", type=int, default=8750,
                   help="port; 0 picks a free one. The URL is printed on stdout as "
                        "KITCHENWATCH_CENTRAL_URL=http://HOST:PORT (default: %(default)s)")
    p.add_argument("--db", default=default_db_url(), metavar="URL",
                   help="database: sqlite:///path (default: %(default)s) or "
                        "postgresql+psycopg://user:password@host/name")
    p.add_argument("--recordings-dir", type=Path,
                   default=default_data_dir() / "recordings",
                   help="where recorders keep their segments, one folder per recorder name")
    p.add_argument("--media-dir", type=Path, default=default_data_dir() / "central-media",
                   help="where evidence images are stored (default: %(default)s)")
    demo = p.add_argument_group("demo city")
    demo.add_argument("--demo-registry", action="store_true",
                      help="populate an empty database with a demo city and demo users "
                           "(a database that has data is left as it is)")
    demo.add_argument("--businesses", type=int, default=60,
                      help="businesses in the demo city, ~2 cameras each (default: %(default)s)")
    demo.add_argument("--seed", type=int, default=7, help="demo city random seed")
    demo.add_argument("--demo-history", type=int, default=0, metavar="DAYS",
                      help="also invent DAYS of past alarms, tasks and patrols, so statistics "
                           "and red/black lists have something to show (default: none)")
    demo.add_argument("--stream-base", default="http://127.0.0.1:8751", metavar="URL",
                      help="base URL of the media server (simulator) the demo cameras point at; "
                           "cameras get URL/live/<camera id>/{sub,main}.ts (default: %(default)s)")
    p.add_argument("--token-hours", type=float, default=12.0,
                   help="login token lifetime in hours (default: %(default)s)")
    p.add_argument("--timezone", default="Asia/Shanghai",
                   help="local time zone of meal services and daily statistics "
                        "(default: %(default)s)")
    p.add_argument("--readings-days", type=float, default=30.0, metavar="DAYS",
                   help="keep sensor readings this long (default: %(default)s)")
    net = p.add_argument_group("network security")
    net.add_argument("--tls-cert", metavar="PEM",
                     help="serve HTTPS/WSS with this certificate (chain), PEM; needs --tls-key")
    net.add_argument("--tls-key", metavar="PEM", help="the certificate's private key, PEM")
    net.add_argument("--trusted-proxy", action="append", default=[], metavar="CIDR",
                     help="a reverse proxy whose X-Forwarded-For is believed (repeatable: "
                          "127.0.0.1, 10.0.0.0/8); from any other peer the header is ignored. "
                          "The client address counts for login throttling and the logs")
    p.add_argument("--workers", type=int, default=1,
                   help="worker processes sharing the port (PostgreSQL only; default: 1)")
    p.add_argument("--worker-index", type=int, default=None, help=argparse.SUPPRESS)
    p.add_argument("--log-level", default="INFO",
                   choices=["DEBUG", "INFO", "WARNING", "ERROR"], type=str.upper)
    return p.parse_args(argv)


def _config(args: argparse.Namespace, run_background: bool = True) -> CentralConfig:
    return CentralConfig(db_url=args.db, media_dir=args.media_dir,
                         recordings_dir=args.recordings_dir,
                         token_lifetime=timedelta(hours=args.token_hours),
                         timezone=args.timezone, run_background=run_background,
                         readings_retention=timedelta(days=args.readings_days),
                         trusted_proxies=parse_networks(args.trusted_proxy))


def _tls(args: argparse.Namespace) -> ssl.SSLContext | None:
    """The TLS context of ``--tls-cert``/``--tls-key``, or None; ValueError says what is wrong."""
    if bool(args.tls_cert) != bool(args.tls_key):
        raise ValueError("--tls-cert and --tls-key go together")
    if not args.tls_cert:
        return None
    from central.server import tls_context

    try:
        return tls_context(args.tls_cert, args.tls_key)
    except (OSError, ssl.SSLError) as exc:
        raise ValueError(f"cannot use --tls-cert {args.tls_cert} with --tls-key "
                         f"{args.tls_key}: {exc}") from exc


def prepare(args: argparse.Namespace) -> None:
    """Migrate the database and create the demo city before any worker starts."""
    from central import changes
    from central.database import Database
    from central.demo_registry import populate, summary

    database = Database(args.db)
    try:
        database.write_sync(changes.ensure_feed_id)
        if args.demo_registry:
            started = time.perf_counter()
            created = database.write_sync(lambda s: populate(
                s, args.businesses, args.seed, args.stream_base))
            if args.demo_history > 0:
                from central.demo_history import populate_history

                made = database.write_sync(lambda s: populate_history(
                    s, args.demo_history, args.seed))
                log.info("demo history: %d alarms over %d days", made, args.demo_history)
            counts = database.read_sync(summary)
            if created:
                log.info("demo city created in %.1f s: %s", time.perf_counter() - started,
                         counts)
            else:
                log.info("database already has a registry (%s); demo city not created", counts)
    finally:
        database.close()


def _worker_argv(argv: Sequence[str]) -> list[str]:
    """The command line for workers: the same options minus what only the supervisor does."""
    out: list[str] = []
    skip = False
    for item in argv:
        if skip:
            skip = False
            continue
        name = item.split("=", 1)[0]
        if name in ("--port", "--workers", "--demo-registry", "--businesses", "--seed",
                    "--stream-base", "--worker-index", "--demo-history"):
            skip = "=" not in item and name != "--demo-registry"
            continue
        out.append(item)
    return out


def _module_command(module: str, argv: Sequence[str]) -> int:
    """Run ``module.main(argv)`` (imported only when its command is asked for)."""
    from importlib import import_module

    command: Any = import_module(module)
    return int(command.main(argv))


def _import_command(argv: Sequence[str]) -> int:
    from central.cli import ledger_import

    return ledger_import.main(argv)


#: ``kitchenwatch-central COMMAND ...``: a first argument naming a command runs that command's
#: ``main(argv)``; anything else serves (the options above).
COMMANDS: dict[str, Callable[[Sequence[str]], int]] = {
    "import": _import_command,
    "bulletin": lambda argv: _module_command("central.cli.bulletin", argv),
    "init": lambda argv: _module_command("central.cli.init", argv),
    "users": lambda argv: _module_command("central.cli.users", argv),
}


def main(argv: Sequence[str] | None = None) -> int:
    raw = list(sys.argv[1:] if argv is None else argv)
    if raw and raw[0] in COMMANDS:
        return COMMANDS[raw[0]](raw[1:])
    args = parse_args(raw)
    logging.basicConfig(level=args.log_level, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # migration chatter at start-up
    try:
        backend = make_url(args.db).get_backend_name()
    except ArgumentError:
        print(f"kitchenwatch-central: --db {mask_credentials(args.db)!r} is not a database URL "
              f"(e.g. sqlite:///central.db or postgresql+psycopg://user@host/db)", file=sys.stderr)
        return 2
    if args.workers < 1:
        print("kitchenwatch-central: --workers must be at least 1", file=sys.stderr)
        return 2
    if args.workers > 1 and backend != "postgresql":
        print("kitchenwatch-central: --workers > 1 needs PostgreSQL (SQLite allows one writer "
              "process); use --db postgresql+psycopg://...", file=sys.stderr)
        return 2
    if args.businesses < 1:
        print("kitchenwatch-central: --businesses must be at least 1", file=sys.stderr)
        return 2
    try:
        parse_networks(args.trusted_proxy)
        tls = _tls(args)
    except ValueError as exc:
        print(f"kitchenwatch-central: {exc}", file=sys.stderr)
        return 2
    if tls is None and args.host not in ("127.0.0.1", "::1", "localhost") \
            and args.worker_index is None:
        log.warning("serving plain HTTP on %s: passwords and tokens cross the network in "
                    "clear text; use --tls-cert/--tls-key or a TLS reverse proxy", args.host)
    try:
        from central.server import serve, supervise

        if args.worker_index is not None:  # one worker of a supervisor
            from central.server import READY_LINE

            asyncio.run(serve(_config(args, run_background=args.worker_index == 0), args.host,
                              args.port, reuse_port=True, announce=READY_LINE, tls=tls))
            return 0
        prepare(args)
        if args.workers > 1:
            return supervise(_worker_argv(raw), args.host, args.port, args.workers,
                             tls=tls is not None)
        asyncio.run(serve(_config(args), args.host, args.port, tls=tls))
    except OperationalError as exc:
        print(f"kitchenwatch-central: cannot open the database {mask_credentials(args.db)}: "
              f"{str(exc.orig).strip() if exc.orig else exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"kitchenwatch-central: cannot listen on {args.host}:{args.port}: {exc}",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
