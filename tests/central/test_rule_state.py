"""The rules' per-sensor memory: kept in the database, read back from this process's own
cache only while the stored row is still the one this process wrote."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import update

from central import rule_state
from central.database import Database
from central.rules import SensorState


def test_a_row_written_elsewhere_is_read_not_served_from_the_cache(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'central.db'}")
    written = rule_state.Written()  # this worker's cache
    try:
        since = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
        mine = SensorState(rule_state="warning", breach_since={"temp_high": since})
        first = rule_state.Loaded({"S1": mine, "S2": SensorState()}, {"S1": None, "S2": None})
        assert database.write_sync(lambda s: rule_state.save(s, written, first)) == 1  # S2: nothing
        loaded = database.write_sync(lambda s: rule_state.load(s, written, ["S1", "S2"]))
        states = loaded.states
        assert loaded.stored["S2"] is None and states["S2"] == SensorState()
        assert states["S1"] == mine and states["S1"] is not mine
        states["S1"].last_ts = since + timedelta(seconds=30)  # only the time moved on:
        rewritten = database.write_sync(lambda s: rule_state.save(s, written, loaded))
        assert rewritten == 0  # not rewritten
        states["S1"].breach_since["temp_low"] = since  # the evaluator changes its copy...
        again = database.write_sync(lambda s: rule_state.load(s, written, ["S1"])).states
        assert "temp_low" not in again["S1"].breach_since  # ...never the remembered one

        # Another worker process (or a transaction of ours that rolled back) wrote the row.
        theirs = SensorState(rule_state="breach", last_ts=since + timedelta(minutes=5))
        database.write_sync(lambda s: s.execute(
            update(rule_state.rule_states).values(
                state=theirs.to_json(), updated_at=datetime(2026, 12, 1, 9, 0))))
        fresh = database.write_sync(lambda s: rule_state.load(s, written, ["S1"])).states
        assert fresh["S1"] == theirs and fresh["S1"].rule_state == "breach"
    finally:
        database.close()
