"""The PostgreSQL fixtures several test modules share: a throwaway cluster per module, a
template database holding the migrated schema and the demo city, a fresh copy per test, and
central's ``api`` on it. A module takes them with
``cluster, template, db_url, config, api = postgres_fixtures("kw_x")`` (pytest finds fixtures
by the module's names); the prefix keeps each module's databases apart."""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bench import pg
from central import changes
from central.config import CentralConfig
from central.database import Database
from central.demo_registry import populate
from tests.central.conftest import BUSINESSES, SEED, STREAM_BASE, Api, start_api


def postgres_fixtures(prefix: str) -> tuple[Callable[..., Any], ...]:
    names = itertools.count()

    @pytest.fixture(scope="module")
    def cluster() -> Iterator[pg.Cluster]:
        reason = pg.available()
        if reason is not None:
            pytest.skip(reason)  # fails under the suite's skip policy where CI should have it
        yield from pg.start_cluster()

    @pytest.fixture(scope="module")
    def template(cluster: pg.Cluster) -> str:
        name = f"{prefix}_template"
        cluster.psql(f"CREATE DATABASE {name}")
        database = Database(cluster.url(name))
        try:
            database.write_sync(changes.ensure_feed_id)
            database.write_sync(lambda s: populate(s, BUSINESSES, SEED, STREAM_BASE))
        finally:
            database.close()
        return name

    @pytest.fixture
    def db_url(cluster: pg.Cluster, template: str) -> str:
        name = f"{prefix}_{os.getpid()}_{next(names)}"
        cluster.psql(f"CREATE DATABASE {name} TEMPLATE {template}")
        return cluster.url(name)

    @pytest.fixture
    def config(db_url: str, tmp_path: Path) -> CentralConfig:
        return CentralConfig(db_url=db_url, media_dir=tmp_path / "media",
                             run_background=False, token_cache_s=0.0)

    @pytest.fixture
    async def api(config: CentralConfig) -> AsyncIterator[Api]:
        client, server, session = await start_api(config)
        try:
            yield client
        finally:
            await session.close()
            await server.close()

    return cluster, template, db_url, config, api
