"""The session declares its parts and stops them from one list, the last built first: a tour
gives the operator's wall back before the layouts keep it, the panels stop before the sync
they read from, and the local store closes last."""

from __future__ import annotations

import logging

import pytest

from tests.console.conftest import DEMO_PASSWORD, run, session_for, stop_session

pytestmark = pytest.mark.timeout(90)

PARTS = ("alarms", "tasks", "statistics", "patrol", "details", "kiosk_tour", "role_ui",
         "layouts", "tours", "extra_walls", "store", "coordinator", "window", "health")


def test_every_part_is_declared_before_the_login(tmp_path) -> None:
    session = session_for(tmp_path)
    assert {name: getattr(session, name) for name in PARTS} == dict.fromkeys(PARTS)


def test_parts_stop_in_reverse_order_of_building(qloop, qtbot, qcentral, tmp_path,
                                                 caplog) -> None:
    session = session_for(tmp_path)
    assert run(qloop, session.async_start(qcentral.url, "operator", DEMO_PASSWORD))
    built = [name for name, _close in session._closers]
    store = session.store
    assert store is not None
    try:
        with caplog.at_level(logging.DEBUG, logger="kitchenwatch.console"):
            run(qloop, session.async_stop())
    finally:
        stop_session(qloop, session)
    stopped = [r.getMessage().removeprefix("stopping ") for r in caplog.records
               if r.getMessage().startswith("stopping ")]
    assert stopped == built[::-1]
    assert stopped[-1] == "local store" and stopped[-2] == "wall"
    assert stopped.index("tours") < stopped.index("layouts")  # the operator's wall is kept
    assert stopped.index("alarms") < stopped.index("sync")
    assert {"alarms", "statistics", "patrol", "tours", "further screens",
            "health timer", "housekeeping timer"} <= set(stopped)
    assert store._closed  # the cache file is let go
    assert session._closers == []  # a second stop stops nothing twice
