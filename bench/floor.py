"""The decode floor: the least CPU any wall needs for the pictures it shows (not a test).

    python -m bench.floor CLIP:WIDTH:HEIGHT:FRAMES [...]

Decodes ``FRAMES`` pictures of each clip (looping it) and scales each into one BGRA buffer at
``WIDTH × HEIGHT``, with the wall's own decoder and shortcuts: PyAV's H.264 decoder with the
options a grid tile gets (:class:`videowall.wire.PlayerOptions` defaults: one decoder thread,
loop filter skipped, no key-frame-only mode) and the wall's scaler (:class:`videowall.swscale.
Scaler`, fast bilinear straight into the buffer). No network, no pacing, no shared memory, no
Qt: what is left is the work that cannot be avoided, so ``bench/wall.py`` divides the console's
CPU by it. ``bench/wall.py`` runs it while nothing else of the benchmark runs.

The last line is one JSON object: ``cpu_s`` (user + system CPU of the decoding, this process,
all threads) and ``frames``.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import resource
import sys
from collections.abc import Generator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import av

from videowall.frames import fit_size, pitch_for
from videowall.swscale import Scaler
from videowall.wire import PlayerOptions


def cpu_now() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Decoder:
    """One tile's decoder: ``clip`` looped, each picture scaled into one buffer."""

    def __init__(self, clip: Path, box_w: int, box_h: int, options: PlayerOptions) -> None:
        self.clip, self.box, self.options = clip, (box_w, box_h), options
        self.scaler = Scaler(fast=options.fast_scaler)
        if not self.scaler.available:
            raise SystemExit("the wall's scaler (PyAV's libswscale) is not available")
        self.buffer: ctypes.Array[ctypes.c_char] | None = None
        self.target = (0, 0, 0)
        self._pictures = self._decode()

    def _decode(self) -> Generator[None, None, None]:
        options = self.options
        while True:
            with av.open(str(self.clip)) as container:
                stream = container.streams.video[0]
                codec = stream.codec_context
                codec.thread_count = max(1, options.decoder_threads)
                if options.skip_loop_filter:
                    codec.options = {"skip_loop_filter": "all"}
                codec.skip_frame = "NONKEY" if options.keyframes_only else "DEFAULT"
                for packet in container.demux(stream):
                    for frame in codec.decode(packet):
                        if self.buffer is None:
                            width, height = fit_size(frame.width, frame.height, *self.box)
                            self.target = (width, height, pitch_for(width))
                            self.buffer = ctypes.create_string_buffer(self.target[2] * height)
                        width, height, pitch = self.target
                        self.scaler.scale(frame, ctypes.addressof(self.buffer), width, height,
                                          pitch)
                        yield

    def next_picture(self) -> None:
        next(self._pictures)

    def close(self) -> None:
        self._pictures.close()
        self.scaler.close()


def decode(jobs: list[tuple[Path, int, int, int, int]], options: PlayerOptions,
           interleave: bool) -> int:
    """Decode every job's pictures; returns how many. ``interleave``: one decoder per stream,
    one picture of each in turn (as a wall of live streams must); else one stream at a time."""
    decoders = [(Decoder(clip, w, h, options), frames // streams)
                for clip, w, h, frames, streams in jobs for _ in range(streams)]
    done = 0
    try:
        if interleave:
            for round_ in range(max((n for _d, n in decoders), default=0)):
                for decoder, frames in decoders:
                    if round_ < frames:
                        decoder.next_picture()
                        done += 1
        else:
            for decoder, frames in decoders:
                for _ in range(frames):
                    decoder.next_picture()
                    done += 1
    finally:
        for decoder, _n in decoders:
            decoder.close()
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("jobs", nargs="+", help="CLIP:WIDTH:HEIGHT:FRAMES[:STREAMS]")
    parser.add_argument("--sequential", action="store_true",
                        help="one stream after another instead of one picture of each in turn")
    args = parser.parse_args(argv)
    options = PlayerOptions()
    jobs = []
    for job in args.jobs:
        parts = job.rsplit(":", 4)
        if len(parts) == 4 or not parts[-1].isdigit() or not parts[-2].isdigit():
            parts = [*job.rsplit(":", 3), "1"]
        clip, width, height, frames, streams = parts
        jobs.append((Path(clip), int(width), int(height), int(frames), max(1, int(streams))))
    started = cpu_now()
    frames = decode(jobs, options, interleave=not args.sequential)
    used = cpu_now() - started
    print(json.dumps({"cpu_s": round(used, 3), "frames": frames}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
