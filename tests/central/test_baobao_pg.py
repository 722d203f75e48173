"""The 包保 actions and figures on PostgreSQL (the figures' latest-look query joins on a
grouped maximum, which each dialect plans on its own): the SQLite tests, run against a
throwaway cluster (bench/pg.py)."""

from __future__ import annotations

from tests.central.pg_fixtures import postgres_fixtures
from tests.central.test_baobao import (  # noqa: F401
    test_a_visit_takes_the_business_off_the_overdue_list_and_names_failed_items,
    test_an_official_is_an_account_of_the_district_and_counts_toward_coverage,
    test_checklists_are_versioned_and_a_visit_names_the_version_it_used,
    test_looks_are_stored_in_batches_and_a_long_one_counts_as_an_online_visit,
)

cluster, template, db_url, config, api = postgres_fixtures("kw_baobao")
