"""``--trusted-proxy``: X-Forwarded-For is believed only from a trusted proxy, and then only the
entries the proxies appended; a client that sends the header itself gains nothing."""

from __future__ import annotations

import logging
import re

import pytest

from central.client_address import parse_networks, resolve
from central.config import CentralConfig
from tests.central.conftest import start_api

LOCAL = parse_networks(["127.0.0.1", "10.0.0.0/8"])


@pytest.mark.parametrize(("peer", "xff", "proxies", "expected"), [
    # no trusted proxy configured: the header is ignored
    ("198.51.100.4", ["203.0.113.9"], (), "198.51.100.4"),
    # an untrusted peer sends the header: ignored
    ("198.51.100.4", ["203.0.113.9"], LOCAL, "198.51.100.4"),
    # a trusted proxy: the right-most entry that is not a proxy
    ("127.0.0.1", ["203.0.113.9"], LOCAL, "203.0.113.9"),
    ("127.0.0.1", ["203.0.113.9, 10.1.2.3"], LOCAL, "203.0.113.9"),
    # what the client wrote itself (left of what the proxy appended) is never used
    ("127.0.0.1", ["1.2.3.4, 203.0.113.9"], LOCAL, "203.0.113.9"),
    ("127.0.0.1", ["1.2.3.4", "203.0.113.9"], LOCAL, "203.0.113.9"),  # two headers, in order
    ("127.0.0.1", ["127.0.0.1, 10.0.0.1"], LOCAL, "127.0.0.1"),  # only proxies: left-most
    ("127.0.0.1", [], LOCAL, "127.0.0.1"),
    ("127.0.0.1", ["not-an-address"], LOCAL, "127.0.0.1"),
    ("127.0.0.1", ["[2001:db8::7]:4711"], LOCAL, "2001:db8::7"),
    ("127.0.0.1", ["192.0.2.5:5000"], LOCAL, "192.0.2.5"),
    ("::ffff:127.0.0.1", ["192.0.2.5"], LOCAL, "192.0.2.5"),  # v4-mapped peer
])
def test_resolve(peer: str, xff: list[str], proxies: tuple, expected: str) -> None:
    assert resolve(peer, xff, proxies) == expected


def test_bad_cidr_is_named() -> None:
    with pytest.raises(ValueError, match=re.escape("'10.0.0.0/33' is not an IP address")):
        parse_networks(["10.0.0.0/33"])


async def _spray(api, forwarded: list[str]) -> list[int]:
    statuses = []
    for i, xff in enumerate(forwarded):
        reply = await api.post("/api/login", {"username": f"nobody{i}", "password": "x"},
                               headers={"X-Forwarded-For": xff})
        statuses.append(reply.status)
    return statuses


async def test_a_spoofed_header_does_not_escape_the_address_limit(
        config: CentralConfig, caplog: pytest.LogCaptureFixture) -> None:
    """No trusted proxy: a sprayer who sends a new X-Forwarded-For each time is still one
    address to the throttle (and in the log)."""
    config.login_failures_per_address = 3
    config.login_delay_s = 600.0
    api, server, session = await start_api(config)
    try:
        with caplog.at_level(logging.INFO, logger="kitchenwatch.central.auth"):
            statuses = await _spray(api, [f"203.0.113.{i}" for i in range(5)])
        assert statuses == [401, 401, 401, 429, 429]
        assert "203.0.113" not in caplog.text and "from 127.0.0.1" in caplog.text
    finally:
        await session.close()
        await server.close()


async def test_behind_a_trusted_proxy_each_client_has_its_own_limit(
        config: CentralConfig, caplog: pytest.LogCaptureFixture) -> None:
    config.login_failures_per_address = 3
    config.login_delay_s = 600.0
    config.trusted_proxies = parse_networks(["127.0.0.1"])
    api, server, session = await start_api(config)
    try:
        with caplog.at_level(logging.INFO, logger="kitchenwatch.central.auth"):
            # A client forging entries: the proxy appended its real address last.
            statuses = await _spray(api, [f"9.9.9.{i}, 203.0.113.1" for i in range(4)])
            assert statuses == [401, 401, 401, 429]
            other = await api.post("/api/login", {"username": "kbs", "password": "x"},
                                   headers={"X-Forwarded-For": "203.0.113.2"})
        assert other.status == 401  # another client behind the proxy is not blocked
        assert "from 203.0.113.1" in caplog.text and "9.9.9." not in caplog.text
    finally:
        await session.close()
        await server.close()
