"""`kitchenwatch-sim`: simulated kitchens for demos and end-to-end tests."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

import aiohttp
from aiohttp import web

from simulator.kitchens import Kitchens, KitchenSettings
from simulator.media import MediaError, default_media_dir, prepare
from simulator.server import create_app

log = logging.getLogger("kitchenwatch.sim")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="kitchenwatch-sim",
        description="Simulated kitchens: live camera streams (HTTP-TS at /live/<camera>/<sub|main>"
                    ".ts, HLS at /hls/<camera>/<sub|main>/index.m3u8) from pre-encoded synthetic "
                    "video, and, with --central, sensor readings, AI violation events and field "
                    "staff working dispatched tasks. Fault injection: POST /control/cameras/<id> "
                    '{"fault": "offline|frozen|black|stall|null"}.')
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8751,
                   help="0 picks a free port; the URL is printed as KITCHENWATCH_SIM_URL=...")
    p.add_argument("--central", default=None, help="central server URL (omit: streams only)")
    p.add_argument("--password", default="kw-demo-2026",
                   help="password of the demo accounts (gateway, admin, field users)")
    p.add_argument("--media-dir", type=Path, default=None,
                   help=f"cache for the encoded clips (default {default_media_dir()})")
    p.add_argument("--prepare-only", action="store_true", help="encode the media, then exit")
    p.add_argument("--speed", type=float, default=1.0, help="simulated-time multiplier")
    p.add_argument("--breach-rate", type=float, default=0.5,
                   help="special-room breaches per room per simulated hour")
    p.add_argument("--ai-rate", type=float, default=6.0, help="AI events per simulated hour")
    p.add_argument("--field-delay", type=float, default=20.0,
                   help="seconds field staff take for each task step")
    p.add_argument("--no-sensors", action="store_true")
    p.add_argument("--no-ai", action="store_true")
    p.add_argument("--no-field", action="store_true")
    p.add_argument("--log-level", default="INFO")
    return p.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    loop = asyncio.get_running_loop()
    media = await loop.run_in_executor(None, prepare, args.media_dir)
    settings = KitchenSettings(speed=args.speed, breach_rate_per_hour=args.breach_rate,
                               ai_per_hour=args.ai_rate, field_delay_s=args.field_delay,
                               sensors=not args.no_sensors, ai=not args.no_ai,
                               field_staff=not args.no_field, password=args.password)
    session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15))
    kitchens = Kitchens(args.central, media, settings, session) if args.central else None
    app = create_app(media, kitchens)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    print(f"KITCHENWATCH_SIM_URL=http://{args.host}:{sock.getsockname()[1]}", flush=True)
    activity = asyncio.create_task(kitchens.run()) if kitchens else None
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    waiters = [asyncio.create_task(stop.wait())] + ([activity] if activity else [])
    done, _ = await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    if activity in done and activity.exception():
        log.error("kitchen activity stopped: %s", activity.exception())
    for task in waiters:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
    await runner.cleanup()
    await session.close()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        if args.prepare_only:
            media = prepare(args.media_dir)
            print(f"media ready in {media.root}")
            return 0
        asyncio.run(serve(args))
    except (MediaError, FileNotFoundError, PermissionError) as exc:
        print(f"kitchenwatch-sim: preparing the demo media failed: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"kitchenwatch-sim: cannot listen on {args.host}:{args.port}: {exc}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
