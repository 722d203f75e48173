"""What a picture looks like, cheaply: brightness and whether it really changed (Qt-free).

Used by the decode worker twice a second per stream, on the picture already in shared memory.
Block means over a coarse grid cancel compression noise (a still picture re-encoded at every
keyframe flickers by a level or two), while real motion, or the clock most cameras burn into
their picture, moves at least one block by several levels. A picture that never moves while
frames keep arriving is *frozen* (a hung encoder); one that stays dark is a covered lens.
"""

from __future__ import annotations

import numpy as np

GRID_ROWS = 12
GRID_COLS = 16
SAMPLES = 4          # per block and direction: 4×4 pixels stand for a block (sparse, cheap)
CHANGE_LEVELS = 6.0


class PictureWatch:
    """Counts real picture changes and measures brightness of BGRA pictures."""

    def __init__(self) -> None:
        self._blocks: np.ndarray | None = None
        self.changes = 0
        self.luma = -1.0

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
