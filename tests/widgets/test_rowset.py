"""RowSet keeps visible rows sorted and reports changes a view can replay exactly."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from widgets.models.rowset import RowSet, sortable


@dataclass(frozen=True)
class Row:
    id: str
    score: int
    shown: bool = True


class MirrorObserver:
    """Replays notifications onto a list of ids, as a Qt view would."""

    def __init__(self, rowset: RowSet[Row]) -> None:
        self.rowset = rowset
        self.ids: list[str] = []
        self.pending: tuple | None = None
        self.resets = 0
        self.changed_rows: list[int] = []

    def begin_insert(self, first: int, last: int) -> None:
        self.pending = ("insert", first)

    def end_insert(self) -> None:
        _, first = self.pending
        self.ids.insert(first, self.rowset.id_at(first))

    def begin_remove(self, first: int, last: int) -> None:
        assert first == last
        del self.ids[first]

    def end_remove(self) -> None:
        pass

    def begin_move(self, source: int, destination: int) -> None:
        assert destination not in (source, source + 1), "Qt refuses no-op moves"
        rid = self.ids.pop(source)
        self.ids.insert(destination if destination < source else destination - 1, rid)

    def end_move(self) -> None:
        pass

    def changed(self, first: int, last: int) -> None:
        self.changed_rows.append(first)

    def begin_reset(self) -> None:
        pass

    def end_reset(self) -> None:
        self.resets += 1
        self.ids = [self.rowset.id_at(i) for i in range(len(self.rowset))]


def key(row: Row) -> tuple:
    return (-row.score, row.id)


def expected(rows: dict[str, Row], pred) -> list[str]:
    return [r.id for r in sorted((r for r in rows.values() if pred(r)), key=key)]


ops = st.lists(
    st.one_of(
        st.tuples(st.just("upsert"), st.integers(0, 30), st.integers(0, 10), st.booleans()),
        st.tuples(st.just("remove"), st.integers(0, 30), st.just(0), st.just(False)),
        st.tuples(st.just("filter"), st.integers(0, 2), st.just(0), st.just(False)),
    ),
    max_size=80,
)


@settings(max_examples=150, deadline=None)
@given(ops)
def test_incremental_changes_match_a_full_sort(operations) -> None:
    predicates = [lambda r: r.shown, lambda r: r.score % 2 == 0, lambda r: True]
    pred = predicates[0]
    rs: RowSet[Row] = RowSet(id_of=lambda r: r.id, key=key, predicate=pred, reset_threshold=1000)
    mirror = MirrorObserver(rs)
    rs.observer = mirror
    model: dict[str, Row] = {}
    for op, a, b, c in operations:
        if op == "upsert":
            row = Row(f"r{a}", b, c)
            model[row.id] = row
            rs.upsert([row])
        elif op == "remove":
            model.pop(f"r{a}", None)
            rs.remove([f"r{a}"])
        else:
            pred = predicates[a]
            rs.set_predicate(pred)
        want = expected(model, pred)
        assert [rs.id_at(i) for i in range(len(rs))] == want
        assert mirror.ids == want
        for pos, rid in enumerate(want):
            assert rs.position_of(rid) == pos
    assert mirror.resets == 0  # small changes never reset the view


def test_large_batch_resets_once() -> None:
    rs: RowSet[Row] = RowSet(id_of=lambda r: r.id, key=key, reset_threshold=10)
    mirror = MirrorObserver(rs)
    rs.observer = mirror
    rs.upsert([Row(f"r{i}", i) for i in range(100)])
    assert mirror.resets == 1
    assert mirror.ids[0] == "r99"


def test_changed_in_place_reports_the_row() -> None:
    rs: RowSet[Row] = RowSet(id_of=lambda r: r.id, key=key)
    mirror = MirrorObserver(rs)
    rs.observer = mirror
    rs.upsert([Row("a", 3), Row("b", 2)])
    rs.upsert([Row("b", 2, shown=True)])
    assert mirror.changed_rows[-1] == 1


def test_sortable_orders_none_last_both_ways() -> None:
    values = ["b", None, "a"]
    assert sorted(values, key=lambda v: sortable(v)) == ["a", "b", None]
    assert sorted(values, key=lambda v: sortable(v, descending=True)) == ["b", "a", None]
    assert sorted([1, None, 3], key=lambda v: sortable(v, True)) == [3, 1, None]
