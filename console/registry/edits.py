"""Saving a registry edit through the outbox and learning central's verdict (Qt-free).

An edit is written locally (the tree shows it at once) and queued as ``<entity>.save`` in ONE
transaction (:meth:`LocalStore.record_action`). The dialog then waits a little for the pusher
to deliver it: accepted, refused (the pusher has already put the server's row back, so the
local copy is rolled back) or still on its way (offline: it goes out when central is
reachable). A refusal because someone else changed the row meanwhile is told apart, so the
dialog can reload the row and keep what the user typed.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.sync.store import LocalStore
from db.models import SYNCED_ENTITIES, OutboxAction
from db.serialize import to_payload, upsert

STALE_WORDS = "changed by someone else meanwhile"  # central.registry_actions' 409 message
# The outbox keeps central's message, not its code: the other 409s are told by their words.
IN_USE_WORDS = "cannot be retired:"
DUPLICATE_WORDS = "is already registered"
#: What a retirement takes with it, per entity (the confirmation names it).
RETIRABLE = ("district", "street", "grid", "business", "camera", "sensor")
#: Editable entities and the payload keys each ``*.save`` takes besides ``expected_version``.
SAVE_KEYS: dict[str, tuple[str, ...]] = {
    "district": ("id", "name", "name_en"),
    "street": ("id", "district_id", "name"),
    "grid": ("id", "district_id", "street_id", "name", "officer_name", "officer_phone"),
    "business": ("id", "district_id", "street_id", "grid_id", "name", "category", "address",
                 "credit_code", "licence_no", "licence_expiry", "latitude", "longitude",
                 "official_name", "official_phone", "director_name", "director_phone",
                 "contact_name", "contact_phone"),
    "camera": ("id", "business_id", "name", "gb_code", "location", "main_url", "sub_url",
               "playback_url", "public"),
    "sensor": ("id", "business_id", "camera_id", "kind", "location", "interval_s", "params"),
}


@dataclass(frozen=True)
class Verdict:
    state: str  # "acked", "rejected" or "pending" (not delivered yet)
    message: str = ""

    @property
    def stale(self) -> bool:
        return self.state == "rejected" and STALE_WORDS in self.message

    @property
    def code(self) -> str:
        """``stale_version``, ``in_use``, ``duplicate``, ``refused`` or "" (not refused)."""
        if self.state != "rejected":
            return ""
        if STALE_WORDS in self.message:
            return "stale_version"
        if IN_USE_WORDS in self.message:
            return "in_use"
        if DUPLICATE_WORDS in self.message:
            return "duplicate"
        return "refused"

    @property
    def field(self) -> str:
        """The payload field central's message names (``payload.gb_code: …``), or ""."""
        head, sep, _ = self.message.partition(":")
        if sep and head.startswith("payload.") and " " not in head:
            return head.removeprefix("payload.").split(".", 1)[0]
        return ""

    @property
    def detail(self) -> str:
        """Central's reason without the field prefix or the entity's id: the part worth
        showing beside a translated sentence."""
        text = self.message
        if self.field:
            text = text.partition(":")[2].strip()
        if IN_USE_WORDS in text:
            text = text.partition(IN_USE_WORDS)[2].strip()
        return text


def payload(entity: str, values: dict[str, Any], version: int | None) -> dict[str, Any]:
    """The action payload of an edit: the dialog's values, and the version it was made on."""
    out = {key: values.get(key) for key in SAVE_KEYS[entity] if key in values}
    if version is not None:
        out["expected_version"] = version
    return out


async def current(store: LocalStore, entity: str, ident: str) -> dict[str, Any] | None:
    """The row as the local cache has it now (after a repair: as central has it)."""
    model = SYNCED_ENTITIES[entity]

    def work(session: Session) -> dict[str, Any] | None:
        row = session.get(model, ident)
        return to_payload(row) if row is not None else None

    return await store.read(work)


async def save(store: LocalStore, entity: str, values: dict[str, Any],
               version: int | None) -> str:
    """Queue the edit and show it locally; returns the idempotency key. ``values`` may hold
    columns central derives (a camera's district) so the local row is complete meanwhile."""
    body = payload(entity, values, version)

    def effect(session: Session) -> None:
        row = dict(values)
        if "params" in row and row["params"] is None:
            row["params"] = {}
        old = session.get(SYNCED_ENTITIES[entity], row["id"])
        merged = {**(to_payload(old) if old is not None else {}), **row,
                  "version": version or 1}
        upsert(session, entity, merged)

    return await store.record_action(f"{entity}.save", body, effect)


async def retire(store: LocalStore, entity: str, ident: str, version: int | None) -> str:
    """Queue ``<entity>.retire``; returns the idempotency key. Nothing is removed locally:
    central may refuse (open alarms, rows below it, a newer version), and the change feed
    removes the row, with what went with it (a business's cameras and sensors), once it
    agreed."""
    if entity not in RETIRABLE:
        raise ValueError(f"{entity} cannot be retired")
    body: dict[str, Any] = {"id": ident}
    if version is not None:
        body["expected_version"] = version
    return await store.record_action(f"{entity}.retire", body)


async def verdict(store: LocalStore, key: str, timeout_s: float = 8.0,
                  poll_s: float = 0.1) -> Verdict:
    """Wait up to ``timeout_s`` for the pusher to deliver the action ``key``."""
    def work(session: Session) -> tuple[str, str] | None:
        row = session.execute(select(OutboxAction.state, OutboxAction.error)
                              .where(OutboxAction.idem_key == key)).first()
        return (row[0], row[1] or "") if row is not None else None

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while True:
        found = await store.read(work)
        if found is not None and found[0] in ("acked", "rejected"):
            return Verdict(found[0], found[1])
        if loop.time() >= deadline:
            return Verdict("pending")
        await asyncio.sleep(poll_s)
