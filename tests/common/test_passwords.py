"""The password policy central and the console share (domain.passwords)."""

from __future__ import annotations

import pytest

from central.demo_registry import DEMO_PASSWORD
from domain import passwords as p


@pytest.mark.parametrize(("password", "username", "reasons"), [
    ("Kitchen-Watch-2026", "zhang", ()),
    ("Short-1a", "zhang", (p.TOO_SHORT,)),
    ("x" * 129 + "A1-", "zhang", (p.TOO_LONG,)),
    ("Zhang.Wei-2026", "zhang.wei", (p.CONTAINS_USERNAME,)),  # case-insensitive
    ("alllowercaseletters", "zhang", (p.FEW_CLASSES,)),
    ("woaini1314", "zhang", (p.COMMON, p.FEW_CLASSES)),  # Chinese-typical
    ("123456789a", "zhang", (p.COMMON, p.FEW_CLASSES)),
    ("QWERTYUIOP", "zhang", (p.COMMON, p.FEW_CLASSES)),  # the list is compared case-blind
    ("Password123", "zhang", (p.COMMON,)),
])
def test_each_rule_has_its_own_reason(password: str, username: str,
                                      reasons: tuple[str, ...]) -> None:
    verdict = p.check(password, username)
    assert verdict.reasons == reasons
    assert verdict.ok is (not reasons)
    for reason in reasons:
        assert p.MESSAGES[reason] in verdict.message()


def test_the_shipped_lists_hold_thousands_of_common_passwords() -> None:
    words = p.common_passwords()
    assert len(words) > 19_000
    assert {"password", "123456", "qwertyuiop", "woaini1314", "5201314520"} <= words


def test_the_demo_password_passes_the_policy_for_every_demo_account() -> None:
    for username in ("admin", "operator", "viewer", "gateway", "kbs", "kbs_field1"):
        assert p.check(DEMO_PASSWORD, username).ok, username
