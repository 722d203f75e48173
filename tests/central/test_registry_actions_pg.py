"""The registry's edit actions on PostgreSQL: the same tests as on SQLite (versions, scope,
retiring with devices, natural keys, targets), on a throwaway cluster."""

from __future__ import annotations

from tests.central.pg_fixtures import postgres_fixtures
from tests.central.test_registry_actions import (  # noqa: F401 - collected here on PostgreSQL
    test_a_district_admin_edits_their_district_only,
    test_a_stale_edit_is_refused_with_the_current_row,
    test_natural_keys_name_one_row,
    test_onboarding_target_is_one_per_district_and_street,
    test_retiring_a_business_takes_its_cameras_and_sensors_along,
    test_retiring_a_business_with_open_alarms_is_refused_with_the_reason,
)

cluster, template, db_url, config, api = postgres_fixtures("kw_registry")
