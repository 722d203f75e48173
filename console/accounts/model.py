"""Accounts as the console keeps them, and the account actions it records (Qt-free).

An administrator's console receives the ``user`` rows of its scope through the change feed
(without password hashes), so the account list works offline like every other list. Each
change is an outbox action (``user.create|update|disable|enable|reset_password``,
``session.end``) recorded together with its local effect, so the list shows it at once; when
central refuses it the pusher puts the row back as central has it
(:data:`console.sync.pusher.TOUCHED_ROWS`) and the refusal is listed with central's reason.

A temporary password travels in its action's payload while the action waits (a restart must
not lose a new account), and is overwritten in the outbox as soon as central answers
(:data:`console.sync.store.SECRET_FIELDS`). A generated one is shown once to the administrator
and kept nowhere else.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.sync.store import LocalStore
from db.models import District, Street, User
from domain import passwords
from domain.ids import new_id
from domain.roles import Role

# What each role's account needs (the same rules central applies in account_actions).
DISTRICT_ROLES = frozenset({Role.DISTRICT, Role.FIELD})
CITYWIDE_ROLES = frozenset({Role.OPERATOR, Role.VIEWER})
_ALPHABET = string.ascii_letters + string.digits + "-_.!@#%+="
_AMBIGUOUS = set("O0Il1")


def generate_password(length: int = 14) -> str:
    """A random temporary password that passes the policy (letters without look-alikes, so it
    can be read out over the telephone)."""
    alphabet = "".join(c for c in _ALPHABET if c not in _AMBIGUOUS)
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if passwords.check(candidate).ok and passwords.character_classes(candidate) == 4:
            return candidate


@dataclass(frozen=True)
class Account:
    """One account as the list shows it."""

    id: str
    username: str
    display_name: str
    role: str
    district_id: str | None
    street_id: str | None
    phone: str
    active: bool
    must_change_password: bool
    version: int

    @classmethod
    def of(cls, user: User) -> Account:
        return cls(user.id, user.username, user.display_name or "", user.role,
                   user.district_id, user.street_id, user.phone or "", bool(user.active),
                   bool(user.must_change_password), user.version or 1)


@dataclass(frozen=True)
class Places:
    """Districts and their streets, for the account dialogs' choices."""

    districts: list[tuple[str, str]]  # (id, name)
    streets: dict[str, list[tuple[str, str]]]  # district id -> (id, name)


class AccountsModel:
    """Reads accounts from the local store and records account actions in its outbox.

    ``scope``: the administrator's district (None: city-wide). The console offers only what
    central would accept; central decides.
    """

    def __init__(self, store: LocalStore, scope: str | None = None,
                 self_id: str | None = None) -> None:
        self.store = store
        self.scope = scope
        self.self_id = self_id

    async def accounts(self) -> list[Account]:
        def work(session: Session) -> list[Account]:
            query = select(User).order_by(User.username)
            if self.scope is not None:
                query = query.where(User.district_id == self.scope)
            return [Account.of(u) for u in session.scalars(query)]

        return await self.store.read(work)

    async def places(self) -> Places:
        def work(session: Session) -> Places:
            query = select(District).order_by(District.id)
            if self.scope is not None:
                query = query.where(District.id == self.scope)
            districts = [(d.id, d.name) for d in session.scalars(query)]
            streets: dict[str, list[tuple[str, str]]] = {}
            for street in session.scalars(select(Street).order_by(Street.name)):
                streets.setdefault(street.district_id, []).append((street.id, street.name))
            return Places(districts, streets)

        return await self.store.read(work)

    # -- actions ---------------------------------------------------------------------------
    async def create(self, *, username: str, role: str, password: str,
                     display_name: str = "", district_id: str | None = None,
                     street_id: str | None = None, phone: str = "") -> str:
        """Record ``user.create``; returns the new account's id (the row appears at once)."""
        user_id = new_id()
        payload: dict[str, Any] = {
            "id": user_id, "username": username, "display_name": display_name, "role": role,
            "district_id": district_id, "street_id": street_id, "phone": phone,
            "password": password, "must_change_password": True}

        def effect(session: Session) -> None:
            session.add(User(id=user_id, username=username, display_name=display_name,
                             role=role, district_id=district_id, street_id=street_id,
                             phone=phone, password_hash="", must_change_password=True,
                             active=True, version=1))

        await self.store.record_action("user.create", payload, effect)
        return user_id

    async def update(self, account: Account, **fields: Any) -> None:
        """Record ``user.update`` with the fields that differ from ``account``."""
        changed = {k: v for k, v in fields.items() if getattr(account, k) != v}
        if not changed:
            return
        payload = {"user_id": account.id, "expected_version": account.version, **changed}

        def effect(session: Session) -> None:
            user = session.get(User, account.id)
            if user is not None:
                for name, value in changed.items():
                    setattr(user, name, value)

        await self.store.record_action("user.update", payload, effect)

    async def set_active(self, account: Account, active: bool) -> None:
        def effect(session: Session) -> None:
            user = session.get(User, account.id)
            if user is not None:
                user.active = active

        await self.store.record_action("user.enable" if active else "user.disable",
                                       {"user_id": account.id}, effect)

    async def reset_password(self, account: Account, password: str) -> None:
        def effect(session: Session) -> None:
            user = session.get(User, account.id)
            if user is not None:
                user.must_change_password = True

        await self.store.record_action("user.reset_password",
                                       {"user_id": account.id, "password": password}, effect)

    async def end_session(self, session_id: str) -> None:
        await self.store.record_action("session.end", {"session_id": session_id})


def may_disable(account: Account, self_id: str | None) -> bool:
    """What the console offers (central refuses the rest, e.g. the last city-wide admin)."""
    return account.active and account.id != self_id
