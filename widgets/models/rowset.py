"""A keyed set of rows with a filter and a sort order, updated row by row.

The alarm list holds up to tens of thousands of alarms and receives a trickle of changes from
the sync layer. Re-filtering and re-sorting everything on each change would reset the view
(losing the operator's selection and scroll position) and cost O(n log n) per change. This
class keeps the visible rows in sorted order with their keys and turns each upsert into the
smallest structural change (insert, remove, move or in-place change), which it reports to an
observer *before and after* mutating, as ``QAbstractItemModel`` requires. Large batches fall
back to one reset, which is cheaper than thousands of single moves.

Qt-free: the Qt table model in :mod:`widgets.rowset_model` is one observer.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Any, Generic, Protocol, TypeVar

T = TypeVar("T")


class RowSetObserver(Protocol):
    """Receives structural changes; ``begin_*`` before the mutation, ``end_*`` after."""

    def begin_insert(self, first: int, last: int) -> None: ...
    def end_insert(self) -> None: ...
    def begin_remove(self, first: int, last: int) -> None: ...
    def end_remove(self) -> None: ...
    def begin_move(self, source: int, destination: int) -> None: ...
    def end_move(self) -> None: ...
    def changed(self, first: int, last: int) -> None: ...
    def begin_reset(self) -> None: ...
    def end_reset(self) -> None: ...


class NullObserver:
    """Observer that ignores everything (a row set used without a view)."""

    def begin_insert(self, first: int, last: int) -> None:
        pass

    def end_insert(self) -> None:
        pass

    def begin_remove(self, first: int, last: int) -> None:
        pass

    def end_remove(self) -> None:
        pass

    def begin_move(self, source: int, destination: int) -> None:
        pass

    def end_move(self) -> None:
        pass

    def changed(self, first: int, last: int) -> None:
        pass

    def begin_reset(self) -> None:
        pass

    def end_reset(self) -> None:
        pass


@functools.total_ordering
class Descending:
    """Wraps a value so that it sorts in reverse (for descending text columns)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Descending) and self.value == other.value

    def __lt__(self, other: Descending) -> bool:
        return other.value < self.value

    def __hash__(self) -> int:
        return hash(self.value)

    def __repr__(self) -> str:
        return f"Descending({self.value!r})"


def sortable(value: Any, descending: bool = False) -> tuple[int, Any]:
    """A key part that orders ``None`` last in both directions and never compares mixed types."""
    if value is None:
        return (1, 0)
    if isinstance(value, bool):
        value = int(value)
    if descending:
        value = -value if isinstance(value, int | float) else Descending(value)
    return (0, value)


class RowSet(Generic[T]):
    """Rows keyed by id; the visible subset kept sorted; changes reported to an observer.

    Args:
        id_of: the row's unique id.
        key: the sort key of a row; must be totally ordered and should end with the id so
            that keys are unique (ties would make positions ambiguous).
        predicate: which rows are visible.
        reset_threshold: a batch larger than this (or than half the visible rows) is applied
            as one reset instead of row by row.
    """

    def __init__(
        self,
        id_of: Callable[[T], Hashable],
        key: Callable[[T], Any],
        predicate: Callable[[T], bool] | None = None,
        observer: RowSetObserver | None = None,
        reset_threshold: int = 256,
    ) -> None:
        self._id_of = id_of
        self._key = key
        self._predicate: Callable[[T], bool] = predicate or (lambda _row: True)
        self.observer: RowSetObserver = observer or NullObserver()
        self.reset_threshold = reset_threshold
        self._rows: dict[Hashable, T] = {}
        self._vis_keys: list[Any] = []
        self._vis_ids: list[Hashable] = []
        self._key_of: dict[Hashable, Any] = {}  # visible rows only

    # ------------------------------------------------------------------ reading
    def __len__(self) -> int:
        return len(self._vis_ids)

    def total(self) -> int:
        """All rows held, visible or not."""
        return len(self._rows)

    def row_at(self, position: int) -> T:
        return self._rows[self._vis_ids[position]]

    def id_at(self, position: int) -> Hashable:
        return self._vis_ids[position]

    def get(self, row_id: Hashable) -> T | None:
        return self._rows.get(row_id)

    def position_of(self, row_id: Hashable) -> int | None:
        """Visible position of a row, or None when it is filtered out or unknown."""
        key = self._key_of.get(row_id)
        if key is None:
            return None
        return bisect.bisect_left(self._vis_keys, key)

    def visible(self) -> Iterator[T]:
        return (self._rows[i] for i in self._vis_ids)

    def all_rows(self) -> Iterator[T]:
        return iter(self._rows.values())

    # ------------------------------------------------------------------ configuration
    def set_predicate(self, predicate: Callable[[T], bool] | None) -> None:
        """Change the filter; rows that flip visibility are inserted/removed one by one (the
        view keeps its selection) unless so many flip that one reset is cheaper."""
        self._predicate = predicate or (lambda _row: True)
        self.refilter()

    def set_key(self, key: Callable[[T], Any]) -> None:
        self._key = key
        self._rebuild()

    def refilter(self) -> None:
        """Re-apply the current predicate (e.g. a relative time window moved on)."""
        pred, shown = self._predicate, self._key_of
        flips = [row for rid, row in self._rows.items() if pred(row) != (rid in shown)]
        if not flips:
            return
        if len(flips) > max(self.reset_threshold, len(self._vis_ids) // 2):
            self._rebuild()
            return
        for row in flips:
            self._upsert_one(row)

    # ------------------------------------------------------------------ changes
    def replace_all(self, rows: Iterable[T]) -> None:
        fresh = {self._id_of(r): r for r in rows}
        # Announce the reset while the old rows are still there: a view asks for its current
        # row (to restore the selection) before the reset, and that row may be gone after it.
        self.observer.begin_reset()
        self._rows = fresh
        self._rebuild(notify=False)
        self.observer.end_reset()

    def upsert(self, rows: Iterable[T]) -> None:
        batch = list(rows)
        if not batch:
            return
        if len(batch) > max(self.reset_threshold, len(self._vis_ids) // 2):
            for row in batch:
                self._rows[self._id_of(row)] = row
            self._rebuild()
            return
        for row in batch:
            self._upsert_one(row)

    def remove(self, row_ids: Iterable[Hashable]) -> None:
        for row_id in row_ids:
            if self._rows.pop(row_id, None) is None:
                continue
            key = self._key_of.pop(row_id, None)
            if key is None:
                continue
            pos = bisect.bisect_left(self._vis_keys, key)
            self.observer.begin_remove(pos, pos)
            del self._vis_keys[pos]
            del self._vis_ids[pos]
            self.observer.end_remove()

    # ------------------------------------------------------------------ internals
    def _rebuild(self, notify: bool = True) -> None:
        if notify:
            self.observer.begin_reset()
        pred, keyf = self._predicate, self._key
        pairs = sorted((keyf(r), rid) for rid, r in self._rows.items() if pred(r))
        self._vis_keys = [k for k, _ in pairs]
        self._vis_ids = [rid for _, rid in pairs]
        self._key_of = dict(zip(self._vis_ids, self._vis_keys, strict=True))
        if notify:
            self.observer.end_reset()

    def _upsert_one(self, row: T) -> None:
        rid = self._id_of(row)
        self._rows[rid] = row
        old_key = self._key_of.get(rid)
        new_visible = self._predicate(row)
        keys, ids, obs = self._vis_keys, self._vis_ids, self.observer
        if old_key is None:
            if not new_visible:
                return
            new_key = self._key(row)
            pos = bisect.bisect_left(keys, new_key)
            obs.begin_insert(pos, pos)
            keys.insert(pos, new_key)
            ids.insert(pos, rid)
            self._key_of[rid] = new_key
            obs.end_insert()
            return
        old_pos = bisect.bisect_left(keys, old_key)
        if not new_visible:
            obs.begin_remove(old_pos, old_pos)
            del keys[old_pos]
            del ids[old_pos]
            del self._key_of[rid]
            obs.end_remove()
            return
        new_key = self._key(row)
        if new_key == old_key:
            obs.changed(old_pos, old_pos)
            return
        target = bisect.bisect_left(keys, new_key)
        if target > old_pos:
            target -= 1  # position in the list without the row itself
        self._key_of[rid] = new_key
        if target == old_pos:
            keys[old_pos] = new_key
            obs.changed(old_pos, old_pos)
            return
        # Qt's destination is counted in the list *before* the move.
        obs.begin_move(old_pos, target if target < old_pos else target + 1)
        del keys[old_pos]
        del ids[old_pos]
        keys.insert(target, new_key)
        ids.insert(target, rid)
        obs.end_move()
        obs.changed(target, target)

