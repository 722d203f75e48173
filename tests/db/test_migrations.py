"""Every table comes from the Alembic migrations, on SQLite and on PostgreSQL.

Migration 0003 adds what a bureau's own registry and accounts need (streets, credit codes,
camera codes, "must change the password"); a database with rows upgrades in place, keeps them,
and ends equal to a fresh one.

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
from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    inspect,
    text,
)

from bench import pg
from central import rule_state
from central.database import Database
from central.rules import SensorState
from db.engine import MIGRATIONS_DIR, make_engine
from db.models import Base

_names = itertools.count()
HEAD = "0010"  # major events follow the alarm clips; the lead re-chains 0006–0010


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
    tables and the media index's ``ix_central_*`` look-up indexes, made by migration 0004 for
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
        assert _revision(database.engine) == HEAD
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
        assert _revision(database.engine) == HEAD
        assert _schema_drift(database.engine) == []
        loaded = database.read_sync(
            lambda s: rule_state.load(s, rule_state.Written(), ["S1", "S2", "S3"]))
        assert loaded.states["S1"] == remembered
        assert loaded.states["S2"].rule_state == "breach"
        assert loaded.stored["S3"] is None  # never seen: a fresh memory
    finally:
        database.close()


def test_a_registry_with_rows_gains_the_ledger_fields_and_keeps_everything(
        new_url: Callable[[], str]) -> None:
    url = new_url()
    engine = make_engine(url)
    _migrate_to(engine, "0002")  # an installation from before 0003, with its city in it
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO districts (id, name, name_en, version) "
                          "VALUES ('D1', '东胜区', 'Dongsheng', 1)"))
        conn.execute(text("INSERT INTO grids (id, district_id, name, officer_name, officer_phone,"
                          " version) VALUES ('G1', 'D1', '交通街道', '李', '13800000000', 1)"))
        conn.execute(text(
            "INSERT INTO businesses (id, district_id, grid_id, name, category, address,"
            " licence_no, official_name, official_phone, contact_name, contact_phone, version)"
            " VALUES ('B1', 'D1', 'G1', '东胜一中食堂', 'school_canteen', '', 'JY115', '', '',"
            " '', '', 3)"))
        conn.execute(text(
            "INSERT INTO cameras (id, business_id, district_id, name, location, main_url,"
            " sub_url, online, health, version) VALUES ('C1', 'B1', 'D1', '后厨', '', "
            "'rtsp://127.0.0.1/main', 'rtsp://127.0.0.1/sub', TRUE, 'online', 2)"))
        conn.execute(text(
            "INSERT INTO users (id, username, display_name, role, district_id, phone,"
            " password_hash, active, version) VALUES ('U1', 'op', '', 'operator', NULL, '',"
            " 'x', TRUE, 1)"))
    engine.dispose()

    database = Database(url)  # central's start-up upgrades to the newest revision
    try:
        assert _revision(database.engine) == HEAD
        assert _schema_drift(database.engine) == []
        with database.engine.connect() as conn:
            business = conn.execute(text(
                "SELECT name, licence_no, credit_code, street_id, latitude, version"
                " FROM businesses")).one()
            camera = conn.execute(text(
                "SELECT main_url, gb_code, playback_url, public, version FROM cameras")).one()
            user = conn.execute(text(
                "SELECT username, password_hash, must_change_password, street_id"
                " FROM users")).one()
        assert tuple(business) == ("东胜一中食堂", "JY115", "", None, None, 3)
        assert tuple(camera) == ("rtsp://127.0.0.1/main", "", "", False, 2)
        assert tuple(user) == ("op", "x", False, None)
    finally:
        database.close()

    engine = make_engine(url)  # and back: 0003 can be undone without losing the 0002 rows
    try:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0002")
        assert _revision(engine) == "0002"
        assert not inspect(engine).has_table("streets")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT licence_no FROM businesses")).scalar_one() == "JY115"
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- 0004
CENTRAL_TABLES = ("central_sessions", "central_login_throttle", "central_login_known",
                  "central_media")


def _columns(engine: Engine, table: str) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns(table)}


def test_the_migrations_alone_make_centrals_own_tables_as_its_modules_use_them(
        new_url: Callable[[], str]) -> None:
    """``kitchenwatch-central init`` runs only the migrations: sessions, login throttle and the
    media register must come from them, with every column the modules read and write."""
    from central import media_index, sessions, throttle

    engine = make_engine(new_url())
    try:
        _migrate_to(engine, "head")
        for table in (sessions.session_table, throttle.counters, throttle.known_addresses,
                      media_index.uploads):
            assert _columns(engine, table.name) == {c.name for c in table.columns}, table.name
        indexes = {i["name"] for i in inspect(engine).get_indexes("alarms")}
        assert "ix_central_alarms_evidence_url" in indexes
    finally:
        engine.dispose()


def test_tables_an_older_central_made_at_start_up_are_adopted_with_their_rows(
        new_url: Callable[[], str]) -> None:
    """An installation at 0003 whose central made its tables itself: open sessions, throttle
    counters and the uploads register survive the upgrade; the sessions gain "last seen"."""
    url = new_url()
    engine = make_engine(url)
    _migrate_to(engine, "0003")
    old = MetaData()  # what central.sessions/throttle/media_index created before 0004
    Table("central_sessions", old, Column("token_hash", String(64), primary_key=True),
          Column("user_id", String(32), nullable=False, index=True),
          Column("role", String(16), nullable=False), Column("district_id", String(32)),
          Column("password_fp", String(32), nullable=False),
          Column("expires_at", DateTime, nullable=False), Column("ended", String(32)))
    Table("central_login_throttle", old, Column("key", String(80), primary_key=True),
          Column("failures", Integer, nullable=False), Column("blocked_until", DateTime),
          Column("last_at", DateTime, nullable=False))
    Table("central_login_known", old, Column("account", String(64), primary_key=True),
          Column("address", String(64), primary_key=True),
          Column("last_success", DateTime, nullable=False))
    Table("central_media", old, Column("name", String(72), primary_key=True),
          Column("uploaded_by", String(32), primary_key=True),
          Column("uploader_district", String(32)), Column("bytes", Integer, nullable=False),
          Column("sha256", String(64), nullable=False),
          Column("created_at", DateTime, nullable=False))
    old.create_all(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO central_sessions (token_hash, user_id, role, password_fp,"
                          " expires_at) VALUES ('t1', 'U1', 'admin', 'fp', '2030-01-01')"))
        conn.execute(text("INSERT INTO central_login_throttle (key, failures, last_at) "
                          "VALUES ('a:x', 3, '2026-01-01')"))
        conn.execute(text("INSERT INTO central_media (name, uploaded_by, bytes, sha256, "
                          "created_at) VALUES ('m.jpg', 'U1', 10, 's', '2026-01-01')"))
    engine.dispose()

    database = Database(url)  # the upgrade: 0004 finds the tables and keeps them
    try:
        assert _revision(database.engine) == HEAD
        assert {"started_at", "last_seen_at", "address"} <= _columns(database.engine,
                                                                     "central_sessions")
        with database.engine.connect() as conn:
            assert conn.execute(text("SELECT user_id, last_seen_at FROM central_sessions")
                                ).one() == ("U1", None)
            assert conn.execute(text("SELECT failures FROM central_login_throttle")
                                ).scalar_one() == 3
            assert conn.execute(text("SELECT bytes FROM central_media")).scalar_one() == 10
    finally:
        database.close()

    engine = make_engine(url)  # and back: 0004 undone, the registry untouched
    try:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0003")
        assert not any(inspect(engine).has_table(t) for t in CENTRAL_TABLES)
    finally:
        engine.dispose()
