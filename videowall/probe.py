"""`kitchenwatch probe URL`: open one stream exactly as a wall tile would and report.

For the people who connect cameras: it uses the same player, options and watchdog as a tile,
prints what happens in words, and ends with one JSON line a script can read. Exit status 0
only when the stream played.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence

from videowall.diagnose import explain
from videowall.player import FramePlayer, PlayerOptions
from videowall.source import mask_url
from videowall.watchdog import StreamState, Watchdog, WatchdogConfig


def probe(url: str, seconds: float, width: int = 320, height: int = 180,
          out=sys.stdout) -> dict:
    config = WatchdogConfig(connect_timeout_s=min(10.0, seconds), frozen_s=min(6.0, seconds / 2),
                            black_s=min(4.0, seconds / 2))
    dog = Watchdog(config)
    player = FramePlayer(width, height)
    started = time.monotonic()
    dog.opened(started)
    result = {"url": mask_url(url), "state": "error", "error": "", "codec": "", "width": 0,
              "height": 0, "fps": 0.0, "first_frame_s": None, "frames": 0}
    print(f"opening {mask_url(url)} …", file=out, flush=True)
    try:
        player.open(url, PlayerOptions(skip_loop_filter=False))
    except (ValueError, OSError) as exc:
        result["error"] = str(exc)
        return result
    try:
        while time.monotonic() - started < seconds:
            time.sleep(0.25)
            now = time.monotonic()
            if player.error or player.ended:
                reason = explain(url) if player.error else "the stream ended"
                result.update(state="offline", error=reason)
                print(f"state: offline {reason}", file=out, flush=True)
                break
            if player.frames and result["first_frame_s"] is None:
                result["first_frame_s"] = round(now - started, 3)
                print(f"first picture after {result['first_frame_s']:.2f} s", file=out,
                      flush=True)
            signature, luma = player.signature() if player.frames else (None, None)
            w, h = player.poll_source_size()
            status, reconnect = dog.tick(now, player.frames, signature, luma, w, h)
            if status is not None:
                print(f"state: {status.state.value} {status.reason}".rstrip(), file=out,
                      flush=True)
            if reconnect:
                result.update(state="offline", error=f"{reconnect}: {explain(url)}")
                break
        else:
            state = dog.status.state
            result["state"] = {StreamState.PLAYING: "playing", StreamState.FROZEN: "frozen",
                               StreamState.BLACK: "black"}.get(state, "error")
            result["error"] = dog.status.reason if state != StreamState.PLAYING else ""
            if result["state"] == "error" and not result["error"]:
                result["error"] = "no picture"
        elapsed = time.monotonic() - started - (result["first_frame_s"] or 0)
        result["frames"] = player.frames
        result["fps"] = round(player.frames / elapsed, 2) if player.frames and elapsed > 0 else 0
        result["width"], result["height"] = player.poll_source_size()
        result["codec"] = player.codec()
    finally:
        player.close()
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="kitchenwatch probe",
        description="Open a stream exactly as a wall tile would and print what was seen. "
                    "The last line is one JSON object (state, error, codec, width, height, fps, "
                    "first_frame_s, frames). Exit status 0 only when it played.")
    parser.add_argument("url")
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args(argv)
    result = probe(args.url, max(1.0, args.seconds))
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0 if result["state"] == "playing" else 1
