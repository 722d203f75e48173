"""Every table comes from the Alembic migrations, on SQLite and on PostgreSQL.

Central's rule memory (``central_rule_state``) used to be created by central itself at
start-up, outside the migrations. Migration 0002 brings it under Alembic: a fresh database
gets it from the migrations, and a database where an older central made it by hand keeps the
table and its rows (a breach building for ten minutes must survive the upgrade).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import JSON, Column, DateTime, Engine, MetaData, String, Table, inspect, text

from bench import pg
from central import rule_state
from central.database import Database
from central.rules import SensorState
from db.engine import MIGRATIONS_DIR, make_engine
from db.models import Base

_names = itertools.count()


@pytest.fixture(scope="module")
def cluster() -> Iterator[pg.Cluster]:
    reason = pg.available()
    if reason is not None:
        pytest.skip(reason)
    yield from pg.start_cluster()


@pytest.fixture(params=["sqlite", "postgresql"])
def new_url(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], str]:
    """Makes the address of a new, empty database of the parametrised kind."""
    if request.param == "sqlite":
        return lambda: f"sqlite:///{tmp_path / f'central{next(_names)}.db'}"
    cluster: pg.Cluster = request.getfixturevalue("cluster")

    def make() -> str:
        name = f"migrations_{next(_names)}"
        cluster.psql(f"CREATE DATABASE {name}")
        return cluster.url(name)

    return make


def _migrate_to(engine: Engine, revision: str) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def _make_table_by_hand(engine: Engine) -> Table:
    """What a central from before migration 0002 did at every start."""
    metadata = MetaData()
    table = Table(
        "central_rule_state", metadata,
        Column("sensor_id", String(48), primary_key=True),
        Column("state", JSON, nullable=False),
        Column("updated_at", DateTime, nullable=False),
    )
    metadata.create_all(engine, checkfirst=True)
    return table


def _revision(engine: Engine) -> str:
    with engine.connect() as conn:
        return str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one())


def _schema_drift(engine: Engine) -> list[object]:
    """Differences between the database and db.models (central's session, throttle and media
    tables and the media index's ``ix_central_*`` look-up indexes, still made at start-up by
    their modules, are not db.models' business)."""

    def ours(name: str | None, kind: str, parent: object) -> bool:
        if kind == "table":
            return name in Base.metadata.tables
        return not (kind == "index" and (name or "").startswith("ix_central_"))

    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": ours})
        return list(compare_metadata(context, Base.metadata))


def test_a_fresh_database_gets_the_rule_memory_from_the_migrations(
        new_url: Callable[[], str]) -> None:
    url = new_url()
    engine = make_engine(url)
    _migrate_to(engine, "0001")
    assert not inspect(engine).has_table("central_rule_state")  # not made before 0002
    engine.dispose()

    database = Database(url)  # central's start-up: the migrations, nothing else for this table
    try:
        assert _revision(database.engine) == "0002"
        assert _schema_drift(database.engine) == []  # the tables are exactly db.models'
        written = rule_state.Written()
        breach = SensorState(rule_state="breach")
        loaded = rule_state.Loaded({"S1": breach}, {"S1": None})
        assert database.write_sync(lambda s: rule_state.save(s, written, loaded)) == 1
        again = database.read_sync(lambda s: rule_state.load(s, rule_state.Written(), ["S1"]))
        assert again.states["S1"] == breach
    finally:
        database.close()


def test_a_table_an_older_central_made_by_hand_is_kept_with_its_rows(
        new_url: Callable[[], str]) -> None:
    url = new_url()
    engine = make_engine(url)
    _migrate_to(engine, "0001")  # an installation from before 0002...
    table = _make_table_by_hand(engine)  # ...whose central made the table itself
    remembered = SensorState(rule_state="warning", breach_since={
        "temp_high": datetime.fromisoformat("2026-12-01T08:00:00+00:00")})
    with engine.begin() as conn:
        conn.execute(table.insert(), [
            {"sensor_id": "S1", "state": remembered.to_json(),
             "updated_at": datetime(2026, 12, 1, 8, 5)},
            {"sensor_id": "S2", "state": SensorState(rule_state="breach").to_json(),
             "updated_at": datetime(2026, 12, 1, 8, 6)},
        ])
    engine.dispose()

    database = Database(url)  # upgrading: 0002 finds the table and leaves it as it is
    try:
        assert _revision(database.engine) == "0002"
        assert _schema_drift(database.engine) == []
        loaded = database.read_sync(
            lambda s: rule_state.load(s, rule_state.Written(), ["S1", "S2", "S3"]))
        assert loaded.states["S1"] == remembered
        assert loaded.states["S2"].rule_state == "breach"
        assert loaded.stored["S3"] is None  # never seen: a fresh memory
    finally:
        database.close()
