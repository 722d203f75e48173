"""Major events as the console reads and acts on them (Qt-free).

The events live on central only (they are few and change rarely): the list is read with
``GET /api/major-events``; a sign-off is an ``event.signoff`` action written to the outbox, so
it survives a lost connection and is applied exactly once, audited by central.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from console.sync.client import ApiClient
from console.sync.store import LocalStore
from domain.ids import new_id


@dataclass(frozen=True)
class EventInfo:
    id: str
    name: str
    business_ids: tuple[str, ...]
    starts_at: str
    ends_at: str
    active: bool
    signoffs: int
    missing: tuple[tuple[str, str, str], ...]  # (business_id, day, meal) past due
    overrides: dict[str, dict[str, float]]

    @classmethod
    def from_payload(cls, row: dict[str, Any]) -> EventInfo:
        return cls(str(row["id"]), str(row["name"]), tuple(row.get("business_ids") or ()),
                   str(row["starts_at"]), str(row["ends_at"]), bool(row.get("active")),
                   int(row.get("signoffs", 0)),
                   tuple((str(b), str(d), str(m)) for b, d, m in row.get("missing_signoffs")
                         or ()), dict(row.get("overrides") or {}))


class EventsModel:
    def __init__(self, store: LocalStore, client: ApiClient) -> None:
        self.store = store
        self.client = client

    async def events(self) -> list[EventInfo]:
        body = await self.client.request("GET", "/api/major-events")
        return [EventInfo.from_payload(row) for row in body.get("events", ())]

    async def sign_off(self, event_id: str, business_id: str, day: str, meal: str,
                       verdict: str, note: str = "", snapshot_url: str = "") -> str:
        """Queue ``event.signoff``; returns the sign-off's id."""
        ident = new_id()
        await self.store.record_action("event.signoff", {
            "id": ident, "event_id": event_id, "business_id": business_id, "day": day,
            "meal": meal, "verdict": verdict, "note": note, "snapshot_url": snapshot_url})
        return ident

    async def save(self, payload: dict[str, object]) -> str:
        """Queue ``event.save`` (administrators); returns the event's id."""
        ident = new_id()
        await self.store.record_action("event.save", {"id": ident, **payload})
        return ident

    async def report(self, event_id: str) -> bytes:
        return await self.client.download(
            f"/api/major-events/{quote(event_id, safe='')}/report.xlsx",
            max_bytes=50 * 1024 * 1024)
