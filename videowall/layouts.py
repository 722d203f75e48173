"""Wall layouts as cell rectangles on a grid (pure geometry, no Qt).

A layout is a grid of ``cols × rows`` unit squares and a list of cells, each a rectangle of
whole units. Uniform layouts are n×n; the "1 large + k" layouts merge units into one big
cell; a custom layout can merge any rectangle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Cell:
    col: int
    row: int
    cols: int = 1
    rows: int = 1


@dataclass(frozen=True)
class Layout:
    name: str
    cols: int
    rows: int
    cells: tuple[Cell, ...]

    def __len__(self) -> int:
        return len(self.cells)

    def rect(self, index: int, width: int, height: int) -> tuple[int, int, int, int]:
        """Pixel rectangle ``(x, y, w, h)`` of cell ``index`` on a ``width × height`` wall.

        Edges are computed from unit boundaries, so neighbouring cells share an edge exactly
        (no gaps, no overlaps) whatever the wall's size.
        """
        cell = self.cells[index]
        x0 = cell.col * width // self.cols
        y0 = cell.row * height // self.rows
        x1 = (cell.col + cell.cols) * width // self.cols
        y1 = (cell.row + cell.rows) * height // self.rows
        return x0, y0, x1 - x0, y1 - y0

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name}
        if LAYOUTS.get(self.name) != self:
            data["grid"] = [self.cols, self.rows]
            data["merges"] = [[c.col, c.row, c.cols, c.rows] for c in self.cells
                              if c.cols > 1 or c.rows > 1]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Layout:
        """A named standard layout, or a custom grid with merged rectangles."""
        name = str(data.get("name", "4"))
        if "grid" not in data:
            return layout(name)
        try:
            cols, rows = (int(v) for v in data["grid"])
            merges = [Cell(*(int(v) for v in m)) for m in data.get("merges", [])]
        except (TypeError, ValueError) as exc:
            raise ValueError(f"malformed custom layout {name!r}: {exc}") from None
        if not (1 <= cols <= 16 and 1 <= rows <= 16):
            raise ValueError(f"custom layout {name!r}: grid must be 1..16 units each way")
        return merged(name, cols, rows, merges)


def uniform(n: int) -> Layout:
    cells = tuple(Cell(c, r) for r in range(n) for c in range(n))
    return Layout(str(n * n), n, n, cells)


def big_plus(name: str, grid: int, big: int, centre: bool = False) -> Layout:
    """One ``big × big`` cell (top-left, or centred) and single cells around it."""
    start = (grid - big) // 2 if centre else 0
    big_cell = Cell(start, start, big, big)
    cells = [big_cell]
    for r in range(grid):
        for c in range(grid):
            inside = start <= c < start + big and start <= r < start + big
            if not inside:
                cells.append(Cell(c, r))
    return Layout(name, grid, grid, tuple(cells))


def merged(name: str, cols: int, rows: int, merges: list[Cell]) -> Layout:
    """A custom layout: ``merges`` are rectangles; every other unit is a single cell."""
    covered: set[tuple[int, int]] = set()
    for m in merges:
        if m.cols < 1 or m.rows < 1:
            raise ValueError(f"merged cell {m} is empty")
        if m.col < 0 or m.row < 0 or m.col + m.cols > cols or m.row + m.rows > rows:
            raise ValueError(f"merged cell {m} does not fit a {cols}×{rows} grid")
        units = {(m.col + c, m.row + r) for c in range(m.cols) for r in range(m.rows)}
        if units & covered:
            raise ValueError(f"merged cell {m} overlaps another")
        covered |= units
    cells = list(merges)
    cells += [Cell(c, r) for r in range(rows) for c in range(cols) if (c, r) not in covered]
    cells.sort(key=lambda cell: (cell.row, cell.col))
    return Layout(name, cols, rows, tuple(cells))


LAYOUTS: dict[str, Layout] = {
    "1": uniform(1),
    "4": uniform(2),
    "6": big_plus("6", 3, 2),
    "8": big_plus("8", 4, 3),
    "9": uniform(3),
    "13": big_plus("13", 4, 2, centre=True),
    "16": uniform(4),
    "25": uniform(5),
    "36": uniform(6),
    "49": uniform(7),
    "64": uniform(8),
}


def layout(name: str) -> Layout:
    try:
        return LAYOUTS[name]
    except KeyError:
        raise ValueError(f"unknown layout {name!r}; one of {', '.join(LAYOUTS)}") from None
