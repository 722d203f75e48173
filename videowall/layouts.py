"""Wall layouts as cell rectangles on a grid (pure geometry, no Qt).

A layout is a grid of ``cols × rows`` unit squares and a list of cells, each a rectangle of
whole units. Uniform layouts are n×n; the "1 large + k" layouts merge units into one big
cell; a custom layout can merge any rectangle.
"""

from __future__ import annotations

from dataclasses import dataclass


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
