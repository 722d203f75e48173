"""``kitchenwatch probe URL``: open one stream exactly as a wall tile would, and report (Qt-free).

For the people who connect cameras: the same engine as the wall (a decode worker, the same
backend, options, adapters and watchdog), no window. It prints what happens in words and ends
with one JSON object on the last line — ``state`` (playing/offline/frozen/black/error),
``error``, ``codec``, ``width``, ``height``, ``fps``, ``first_frame_s``, ``frames``. Exit status
0 only when the stream played. Credentials never appear in the output.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from typing import Any, TextIO

from common.masking import MaskingFormatter, mask_text, mask_url
from videowall.pool import WorkerPool
from videowall.streams import Stream, StreamManager
from videowall.watchdog import StreamState, StreamStatus, WatchdogConfig
from videowall.wire import BACKENDS

RESULT_STATES = {StreamState.PLAYING: "playing", StreamState.FROZEN: "frozen",
                 StreamState.BLACK: "black", StreamState.OFFLINE: "offline"}


def probe(url: str, seconds: float, width: int = 320, height: int = 180,
          backend: str | None = None, out: TextIO = sys.stdout) -> dict[str, Any]:
    """Play ``url`` for about ``seconds`` and return the result dict."""
    seconds = max(1.0, seconds)
    config = WatchdogConfig(connect_timeout_s=min(10.0, max(3.0, seconds)),
                            frozen_s=min(8.0, max(2.0, seconds * 0.6)),
                            black_s=min(4.0, max(1.5, seconds * 0.4)))
    chosen = backend or os.environ.get("KITCHENWATCH_DECODER", "ffmpeg")
    chosen = chosen if chosen in BACKENDS else "ffmpeg"
    manager = StreamManager(WorkerPool(workers=1, warm_libvlc=chosen == "vlc"), chosen, config)
    shown = mask_url(url)
    result: dict[str, Any] = {"url": shown, "state": "error", "error": "", "codec": "",
                              "width": 0, "height": 0, "fps": 0.0, "first_frame_s": None,
                              "frames": 0}
    started = time.monotonic()
    refusals: list[StreamStatus] = []

    def say(text: str) -> None:
        # The exact address first, then anything else that looks like one (a decoder may
        # print it re-encoded, or a redirect target with its own credentials).
        print(mask_text(text.replace(url, shown) if url else text), file=out, flush=True)

    def on_status(_stream: Stream, status: StreamStatus) -> None:
        line = f"{time.monotonic() - started:5.2f} s  {status.state.value}"
        if status.reason:
            line += f": {status.reason}"
        if status.width:
            line += f"  ({status.codec} {status.width}×{status.height})"
        say(line)
        if status.state == StreamState.OFFLINE or (
                status.state == StreamState.RECONNECTING and status.next_retry_at is not None):
            refusals.append(status)

    say(f"opening {shown} with the {manager.backend} decoder at {width}×{height} …")
    manager.on_status.append(on_status)
    stream = manager.acquire(url, width, height)
    try:
        deadline = started + seconds
        while time.monotonic() < deadline:
            manager.poll()
            if result["first_frame_s"] is None and stream.has_picture():
                result["first_frame_s"] = round(time.monotonic() - started, 3)
                say(f"first picture after {result['first_frame_s']:.2f} s")
            if refusals and stream.frames == 0:
                break  # refused before any picture: no point waiting out the clock
            time.sleep(0.05)
        status = stream.status
        stats = stream.stats
        result["state"] = RESULT_STATES.get(status.state, "error")
        if result["state"] == "playing" and not stream.has_picture():
            result["state"] = "error"
        if result["state"] != "playing":
            result["error"] = status.reason or (refusals[-1].reason if refusals else
                                                "no picture")
        result["frames"] = stream.frames
        result["codec"] = status.codec or (stats.codec if stats else "")
        result["width"] = status.width or (stats.src_width if stats else 0)
        result["height"] = status.height or (stats.src_height if stats else 0)
        first = result["first_frame_s"]
        if stream.frames and first is not None:
            elapsed = time.monotonic() - started - first
            result["fps"] = round(stream.frames / elapsed, 2) if elapsed > 0 else 0.0
    finally:
        manager.release(stream)
        manager.shutdown()
    error = str(result["error"])
    result["error"] = mask_text(error.replace(url, shown) if url else error)
    return result


def _log_to_stderr_masked() -> logging.Handler | None:
    """Warnings of the engine (a worker's last words, which may quote a URL) on stderr, masked.

    Without a handler Python's last-resort handler would print them as they are."""
    root = logging.getLogger()
    if any(isinstance(h.formatter, MaskingFormatter) for h in root.handlers):
        return None
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(MaskingFormatter("%(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.WARNING)
    root.addHandler(handler)
    return handler


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="kitchenwatch probe",
        description="Open a stream exactly as a wall tile would and print what was seen. "
                    "The last line is one JSON object (state, error, codec, width, height, fps, "
                    "first_frame_s, frames). Exit status 0 only when it played.")
    parser.add_argument("url")
    parser.add_argument("--seconds", type=float, default=8.0,
                        help="how long to watch (default 8)")
    parser.add_argument("--size", default="320x180", help="tile size to decode at, WxH")
    parser.add_argument("--decoder", choices=BACKENDS, default=None,
                        help="decode backend (default: ffmpeg, or $KITCHENWATCH_DECODER)")
    args = parser.parse_args(argv)
    try:
        width, height = (int(v) for v in args.size.lower().split("x"))
    except ValueError:
        parser.error("--size must look like 320x180")
    handler = _log_to_stderr_masked()
    try:
        result = probe(args.url, args.seconds, width, height, args.decoder)
    finally:
        if handler is not None:
            logging.getLogger().removeHandler(handler)
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0 if result["state"] == "playing" else 1


if __name__ == "__main__":
    raise SystemExit(main())
