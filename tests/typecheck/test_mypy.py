"""Type checking in ``make test``: strict and clean for db/ and central/, and elsewhere no error
that tests/typecheck/baseline.txt does not list, nor a listed one that is gone (the baseline
only shrinks). mypy runs once for the three checks (tests/typecheck/mypy_baseline.py)."""

from __future__ import annotations

import io
import os
from typing import TYPE_CHECKING

import pytest

from tests.typecheck import mypy_baseline

if TYPE_CHECKING:
    from mypy.options import Options

pytest.importorskip("mypy", reason="mypy is a development dependency: pip install -e .[dev]")
pytestmark = pytest.mark.slow  # ~15 s of CPU from a fresh clone, 1-2 s after that


@pytest.fixture(scope="module")
def outcome() -> mypy_baseline.Outcome:
    return mypy_baseline.check()


def test_db_and_central_have_no_type_error(outcome: mypy_baseline.Outcome) -> None:
    assert not outcome.strict, outcome.strict_message()


def test_no_type_error_outside_the_baseline(outcome: mypy_baseline.Outcome) -> None:
    assert not outcome.new, outcome.new_message()


def test_every_baseline_entry_still_occurs(outcome: mypy_baseline.Outcome) -> None:
    assert not outcome.gone, outcome.gone_message()


def test_db_and_central_get_every_strict_flag_and_the_rest_does_not() -> None:
    """pyproject.toml lists --strict's flags one by one for db/ and central/ (``strict = true``
    is global-only in mypy: in an override it would make every module strict)."""
    from mypy.main import process_options

    def options(*args: str) -> Options:
        return process_options(list(args), stderr=io.StringIO())[1]

    config = str(mypy_baseline.ROOT / "pyproject.toml")
    strict = options("--config-file", os.devnull, "--strict", "-c", "pass")
    plain = options("--config-file", os.devnull, "-c", "pass")
    ours = options("--config-file", config)  # the files it names, like the real run
    flags = [name for name in dir(strict) if not name.startswith("_")
             and not callable(getattr(strict, name))
             and getattr(strict, name) != getattr(plain, name)]
    assert flags, "mypy --strict changed no option: has mypy's Options changed?"
    for module in ("db.models", "db.migrations.env", "central.app", "central.schemas.common"):
        options = ours.clone_for_module(module)
        assert {f: getattr(options, f) for f in flags} == {f: getattr(strict, f)
                                                           for f in flags}, module
    lenient = ours.clone_for_module("console.app")
    assert not (lenient.disallow_untyped_defs or lenient.warn_return_any), (
        "console/ is checked strictly: is `strict = true` set in an override of pyproject.toml?")
