"""The client's address, as login throttling and the logs must see it.

Behind a reverse proxy every connection comes from the proxy, and the client's address is in
``X-Forwarded-For``. Anybody can send that header, so it is believed only when the direct peer
is a trusted proxy (``--trusted-proxy``), and then only its right-most entries, which the
trusted proxies appended: the address is the right-most one that is not itself a trusted proxy.
Entries further left were written by the client and are never used.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterable, Sequence

from aiohttp import web

from central.config import CONFIG

log = logging.getLogger("kitchenwatch.central.client_address")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """``["127.0.0.1", "10.0.0.0/8"]`` → networks; ValueError names a bad entry."""
    out: list[Network] = []
    for value in values:
        try:
            out.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as exc:
            raise ValueError(f"{value!r} is not an IP address or CIDR network "
                             f"(e.g. 127.0.0.1 or 10.0.0.0/8)") from exc
    return tuple(out)


def _address(text: str) -> Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # "192.0.2.1:5000"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _trusted(address: Address | None, proxies: Sequence[Network]) -> bool:
    return address is not None and any(address in net for net in proxies)


def resolve(peer: str | None, forwarded_for: Sequence[str],
            proxies: Sequence[Network]) -> str:
    """The client address for a connection from ``peer`` with these ``X-Forwarded-For``
    header values (several headers count as one list, in order)."""
    direct = _address(peer or "")
    if direct is None:
        return peer or "unknown"
    if not proxies or not _trusted(direct, proxies):
        return str(direct)
    hops = [h for value in forwarded_for for h in value.split(",") if h.strip()]
    client = direct
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            log.warning("unparseable X-Forwarded-For entry from trusted proxy %s", direct)
            return str(client)
        client = address
        if not _trusted(address, proxies):
            return str(address)
    return str(client)  # every hop is a proxy: the left-most one is the best there is


def client_address(request: web.Request) -> str:
    """The client's address for ``request`` (see the module docstring)."""
    proxies = request.app[CONFIG].trusted_proxies
    return resolve(request.remote, request.headers.getall("X-Forwarded-For", []), proxies)
