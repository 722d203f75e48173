"""``kitchenwatch-recorder``: the command line of the recorder.

The password comes from ``KITCHENWATCH_PASSWORD`` (never the command line, which other users
of the machine can read). Prints ``KITCHENWATCH_RECORDER=<store>`` once it has central's plan,
so a supervisor (the demo launcher) knows it is running; stops cleanly on SIGTERM or Ctrl+C,
closing each camera's current segment.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

import aiohttp

from recorder.service import Recorder, RecorderConfig
from simulator.client import CentralClient

PASSWORD_ENV = "KITCHENWATCH_PASSWORD"


def _shard(text: str) -> tuple[int, int]:
    index, _, count = text.partition("/")
    try:
        shard = int(index), int(count)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected INDEX/COUNT such as 0/2, got {text!r}")\
            from None
    if not 0 <= shard[0] < shard[1]:
        raise argparse.ArgumentTypeError(f"{text}: INDEX must be 0..COUNT-1")
    return shard


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="kitchenwatch-recorder", description=__doc__.split("\n")[0])
    p.add_argument("--central", required=True, help="central server URL")
    p.add_argument("--user", default="recorder", help="a device (or admin) account")
    p.add_argument("--name", default="recorder-1",
                   help="this recorder's name: its folder under --store and its index rows")
    p.add_argument("--store", type=Path, required=True,
                   help="the recordings directory (central's --recordings-dir)")
    p.add_argument("--segment-seconds", type=float, default=10.0)
    p.add_argument("--buffer-seconds", type=float, default=60.0,
                   help="the rolling pre-roll buffer (at least the policies' pre-roll)")
    p.add_argument("--quota-gb", type=float, default=0.0, help="0: no quota")
    p.add_argument("--min-free-mb", type=float, default=512.0,
                   help="below this much free disk the oldest unlocked recordings go; with "
                        "nothing left to delete, recording stops with an alarm")
    p.add_argument("--shard", type=_shard, default=(0, 1),
                   help="INDEX/COUNT: record only this share of the cameras")
    p.add_argument("--ffmpeg", default="ffmpeg")
    p.add_argument("--log-level", default="INFO", type=str.upper,
                   choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    return p.parse_args(argv)


def config_from(args: argparse.Namespace) -> RecorderConfig:
    return RecorderConfig(name=args.name, store_root=args.store,
                          segment_s=args.segment_seconds, buffer_s=args.buffer_seconds,
                          quota_bytes=int(args.quota_gb * 1e9),
                          min_free_bytes=int(args.min_free_mb * 1e6), shard=args.shard,
                          ffmpeg=args.ffmpeg)


async def run(args: argparse.Namespace, password: str) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        client = CentralClient(session, args.central, args.user, password)
        recorder = Recorder(client, config_from(args))
        task = asyncio.create_task(recorder.run(), name="recorder")
        waiter = asyncio.create_task(recorder.plan_loaded.wait())
        await asyncio.wait({waiter, asyncio.create_task(stop.wait())},
                           return_when=asyncio.FIRST_COMPLETED)
        if recorder.plan_loaded.is_set():
            print(f"KITCHENWATCH_RECORDER={recorder.store.root}", flush=True)
        await stop.wait()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        waiter.cancel()
        await recorder.close()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    password = os.environ.get(PASSWORD_ENV, "")
    if not password:
        print(f"kitchenwatch-recorder: set {PASSWORD_ENV} to the password of {args.user}",
              file=sys.stderr)
        return 2
    asyncio.run(run(args, password))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
