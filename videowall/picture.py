"""What a picture looks like, cheaply: brightness and whether it really changed (Qt-free).

Used by the decode worker twice a second per stream, on the picture already in shared memory.
Block means over a coarse grid cancel compression noise (a still picture re-encoded at every
keyframe flickers by a level or two), while real motion, or the clock most cameras burn into
their picture, moves at least one block by several levels. A picture that never moves while
frames keep arriving is *frozen* (a hung encoder).

Dark is not covered: a kitchen at night, or a bright object moving on a dark picture, is live.
A covered lens is dark *and* uniform *and* still, so besides brightness the watch measures, on
the grid without its top and bottom rows (where cameras burn their OSD date, clock and channel,
which a covered camera keeps drawing):

- ``texture``: how far the brightest block stands above the median block (a lit window, an
  exit sign, a lamp), or the spread between the 10th and 90th percentile blocks (a dim but
  real scene), on a running average of the grid, so sensor noise (independent from picture
  to picture) averages away while the picture's structure stays;
- ``stirs``: a count of strong local changes: some block moved by ``STIR_LEVELS`` and by many
  times the typical block's change (noise and gain hunting move all blocks alike).
"""

from __future__ import annotations

import numpy as np

GRID_ROWS = 12
GRID_COLS = 16
SAMPLES = 4          # per block and direction: 4×4 pixels stand for a block (sparse, cheap)
CHANGE_LEVELS = 6.0
STIR_LEVELS = 20.0   # a local change this strong is something moving, not noise
STIR_RATIO = 6.0     # ... and this many times the median block's change
TEXTURE_AVERAGE = 0.3  # weight of the newest grid in the running average
OSD_ROWS = 1         # grid rows at the top and bottom left out of texture and stirs


class PictureWatch:
    """Counts real picture changes and measures brightness of BGRA pictures."""

    def __init__(self) -> None:
        self._blocks: np.ndarray | None = None
        self.changes = 0
        self.luma = -1.0
        self.texture = -1.0
        self.stirs = 0
        self._last: np.ndarray | None = None
        self._average: np.ndarray | None = None

    def observe(self, pixels: memoryview | bytes, width: int, height: int, pitch: int) -> None:
        rows, cols = min(GRID_ROWS, height), min(GRID_COLS, width)
        step_y = max(1, height // (rows * SAMPLES))
        step_x = max(1, width // (cols * SAMPLES))
        frame = np.frombuffer(pixels, dtype=np.uint8, count=pitch * height).reshape(height, pitch)
        sample = frame[::step_y, : width * 4].reshape(-1, width, 4)[:, ::step_x, :3]
        sy, sx = sample.shape[0] // rows, sample.shape[1] // cols
        if sy == 0 or sx == 0:
            return
        sample = sample[: sy * rows, : sx * cols]
        # Rec. 601 luma from B, G, R, then block means (two contiguous reductions are ~20×
        # faster than one over two strided axes).
        luma = (sample[..., 2] * 0.299 + sample[..., 1] * 0.587 + sample[..., 0] * 0.114)
        luma = luma.reshape(rows, sy, cols, sx).sum(axis=3).sum(axis=1) / (sy * sx)
        self.luma = float(luma.mean())
        if self._blocks is None or float(np.abs(luma - self._blocks).max()) > CHANGE_LEVELS:
            self.changes += 1
            self._blocks = luma
        self._judge_scene(luma)

    def _judge_scene(self, luma: np.ndarray) -> None:
        """Texture and stirs of the picture without its OSD rows (see the module's docstring)."""
        inner = luma[OSD_ROWS:-OSD_ROWS] if luma.shape[0] > 2 * OSD_ROWS + 1 else luma
        last, self._last = self._last, inner
        if last is None or last.shape != inner.shape or self._average is None:
            self._average = inner.copy()
        else:
            moved = np.abs(inner - last)
            strongest = float(moved.max())
            if strongest >= STIR_LEVELS and strongest >= STIR_RATIO * float(np.median(moved)):
                self.stirs += 1
            self._average += (inner - self._average) * TEXTURE_AVERAGE
        low, middle, high = np.percentile(self._average, (10, 50, 90))
        self.texture = float(max(self._average.max() - middle, high - low))
