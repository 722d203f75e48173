"""The console's connection state machine (Qt-free).

States: ``connecting`` (first contact, or re-establishing a dropped link), ``online``,
``offline`` (since the moment contact was lost; the console works on its cache and keeps
retrying) and ``auth_expired`` (the server no longer accepts this login: someone must log in
again). A failure is logged once, with its reason, and the recovery once, with the outage's
length — not once per retry, so an outage of a night does not fill the log.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import datetime

log = logging.getLogger("kitchenwatch.console.sync")


class ConnectionState(enum.StrEnum):
    CONNECTING = "connecting"
    ONLINE = "online"
    OFFLINE = "offline"
    AUTH_EXPIRED = "auth_expired"


@dataclass(frozen=True)
class ConnectionStatus:
    state: ConnectionState
    since: datetime  # local time the state began (for offline: when contact was lost)
    detail: str = ""  # the reason, in the server's or the network's words
    reconnecting: bool = False  # connecting again after having been online


def _now() -> datetime:
    return datetime.now().astimezone()


class ConnectionTracker:
    """Turns what the sync loop observes into published state changes, logging once each."""

    def __init__(self, server: str, clock=_now) -> None:
        self.server = server
        self._clock = clock
        self.status = ConnectionStatus(ConnectionState.CONNECTING, clock())
        self._lost_at: datetime | None = None  # contact lost and not yet recovered
        self._was_online = False

    @property
    def state(self) -> ConnectionState:
        return self.status.state

    def _publish(self, status: ConnectionStatus) -> ConnectionStatus | None:
        if status == self.status:
            return None
        self.status = status
        return status

    def connecting(self) -> ConnectionStatus | None:
        """An attempt starts. After a drop we stay "offline" if an attempt already failed."""
        if self.state != ConnectionState.ONLINE:
            return None  # already connecting, or offline / auth expired until it succeeds
        return self._publish(ConnectionStatus(ConnectionState.CONNECTING,
                                              self._lost_at or self._clock(),
                                              reconnecting=self._was_online))

    def dropped(self, reason: str) -> ConnectionStatus | None:
        """The live link closed after having been up: reconnect at once, say so."""
        if self.state != ConnectionState.ONLINE:
            return self.failed(reason)
        self._lost_at = self._clock()
        log.warning("live connection to %s dropped (%s); reconnecting", self.server, reason)
        return self._publish(ConnectionStatus(ConnectionState.CONNECTING, self._lost_at,
                                              reason, reconnecting=True))

    def failed(self, reason: str) -> ConnectionStatus | None:
        """An attempt failed: offline since contact was lost."""
        if self._lost_at is None:
            self._lost_at = self._clock()
        if self.state != ConnectionState.OFFLINE:
            log.error("cannot reach %s (%s); working on the local cache and retrying",
                      self.server, reason)
        else:
            log.debug("still cannot reach %s: %s", self.server, reason)
        return self._publish(ConnectionStatus(ConnectionState.OFFLINE, self._lost_at, reason))

    def auth_expired(self, reason: str) -> ConnectionStatus | None:
        if self.state != ConnectionState.AUTH_EXPIRED:
            log.error("%s no longer accepts this login (%s); waiting for the user to log in "
                      "again", self.server, reason)
        if self._lost_at is None:
            self._lost_at = self._clock()
        return self._publish(ConnectionStatus(ConnectionState.AUTH_EXPIRED, self._lost_at,
                                              reason))

    def online(self) -> ConnectionStatus | None:
        now = self._clock()
        if self._lost_at is not None:
            outage = (now - self._lost_at).total_seconds()
            log.info("connection to %s recovered after %.0f s", self.server, outage)
        elif self.state != ConnectionState.ONLINE:
            log.info("connected to %s", self.server)
        self._lost_at = None
        self._was_online = True
        return self._publish(ConnectionStatus(ConnectionState.ONLINE, now))

    def credentials_renewed(self) -> ConnectionStatus | None:
        """The user logged in again: back to connecting."""
        if self.state != ConnectionState.AUTH_EXPIRED:
            return None
        return self._publish(ConnectionStatus(ConnectionState.CONNECTING,
                                              self._lost_at or self._clock(),
                                              reconnecting=self._was_online))
