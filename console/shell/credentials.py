"""Remembered passwords live in the operating system's password store and nowhere else.

The login dialog's "remember password" box uses :class:`KeyringVault`, which goes through the
``keyring`` package to the platform's own store (Secret Service / KWallet on Linux, Windows
Credential Manager, macOS Keychain). The package is optional: when it is missing, or when the
only backend it finds is none at all or one that writes a plain file, the vault reports itself
unavailable with the reason, and the box is disabled with that reason as its tooltip. Nothing in
this module writes a password to the settings file, ``QSettings``, the log or the local
database.

Store calls can block (a locked keyring may prompt, D-Bus can be slow): callers on the UI thread
run them in an executor.
"""

from __future__ import annotations

import logging
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QCoreApplication

log = logging.getLogger("kitchenwatch.console.shell.credentials")
SERVICE = "kitchenwatch"


def account_key(server: str, username: str) -> str:
    """One entry per user *and* server: the same name on a test and a live server differs."""
    return f"{username}@{server.rstrip('/')}"


class PasswordVault(Protocol):
    def availability(self) -> tuple[bool, str]:
        """(usable, why not)."""
        ...

    def get(self, server: str, username: str) -> str | None: ...

    def set(self, server: str, username: str, password: str) -> bool: ...

    def delete(self, server: str, username: str) -> None: ...


class KeyringVault:
    """The OS password store through ``keyring``; every failure is logged (without the
    password) and reported as "not remembered", never raised into the login."""

    def __init__(self) -> None:
        self._checked: tuple[bool, str] | None = None

    def availability(self) -> tuple[bool, str]:
        if self._checked is None:
            self._checked = self._check()
            if not self._checked[0]:
                log.info("passwords cannot be remembered: %s", self._checked[1])
        return self._checked

    @staticmethod
    def _check() -> tuple[bool, str]:
        try:  # on demand: importing keyring costs ~0.7 s (measured), and it may be missing
            import keyring
            import keyring.errors
        except ImportError:
            return False, QCoreApplication.translate(
                "Credentials", "the Python package 'keyring' is not installed")
        try:
            backend = keyring.get_keyring()
        except Exception as exc:  # a broken backend configuration
            return False, QCoreApplication.translate(
                "Credentials", "the system password store failed to load: %1").replace(
                "%1", f"{type(exc).__name__}: {exc}")
        name = f"{type(backend).__module__}.{type(backend).__name__}"
        priority = float(backend.priority or 0)  # every KeyringBackend has one
        if name.startswith(("keyring.backends.fail", "keyring.backends.null")) or priority <= 0:
            return False, QCoreApplication.translate(
                "Credentials", "this computer has no system password store (no Secret "
                               "Service, KWallet, Credential Manager or Keychain)")
        if "plaintext" in name.lower() or name.startswith("keyrings.alt.file"):
            return False, QCoreApplication.translate(
                "Credentials", "the only password store found (%1) writes passwords to a plain "
                               "file").replace("%1", name)
        return True, ""

    def get(self, server: str, username: str) -> str | None:
        if not self.availability()[0]:
            return None
        import keyring  # on demand (~0.7 s): only once a password store is used

        try:
            return keyring.get_password(SERVICE, account_key(server, username))
        except Exception as exc:
            log.warning("could not read the remembered password of %s: %s", username,
                        type(exc).__name__)
            return None

    def set(self, server: str, username: str, password: str) -> bool:
        if not self.availability()[0]:
            return False
        import keyring  # on demand (~0.7 s): only once a password store is used

        try:
            keyring.set_password(SERVICE, account_key(server, username), password)
        except Exception as exc:
            log.warning("could not remember the password of %s: %s", username,
                        type(exc).__name__)
            return False
        log.info("password of %s on %s remembered in the system password store", username,
                 server)
        return True

    def delete(self, server: str, username: str) -> None:
        if not self.availability()[0]:
            return
        import keyring  # on demand (~0.7 s): only once a password store is used
        import keyring.errors

        try:
            keyring.delete_password(SERVICE, account_key(server, username))
        except keyring.errors.PasswordDeleteError:
            return  # nothing was remembered
        except Exception as exc:
            log.warning("could not forget the password of %s: %s", username,
                        type(exc).__name__)
            return
        log.info("remembered password of %s on %s removed", username, server)


_default: KeyringVault | None = None


def default_vault() -> KeyringVault:
    global _default
    if _default is None:
        _default = KeyringVault()
    return _default


# -- unattended screens: where the password is read again -------------------------------------

PASSWORD_ENV = "KITCHENWATCH_PASSWORD"


class PasswordFileError(OSError):
    """The password file cannot be read or is empty (the message says which and why)."""


def read_password_file(path: Path) -> str:
    """The first line of ``path`` without surrounding blanks; warns if others may read it."""
    try:
        mode = path.stat().st_mode
        password = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise PasswordFileError(f"cannot read the password file {path}: "
                                f"{exc.strerror or exc}") from exc
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        log.warning("password file %s can be read by other users; chmod 600 it", path)
    if not password:
        raise PasswordFileError(f"the password file {path} is empty")
    return password


@dataclass(frozen=True)
class UnattendedPassword:
    """Where an unattended start reads its password: ``--password-file`` first, then the
    ``KITCHENWATCH_PASSWORD`` environment variable, then (if given) the system password store.

    The console holds this *description*, never the password: every :meth:`read` goes back to
    the source, the caller uses the result for one login call and drops it. A kiosk screen
    (no operator to type it) reads it again whenever central ends its session; an operator's
    console asks in the login dialog instead. The environment variable is the process's own
    copy kept by the operating system for its whole life; prefer the file.
    """

    file: Path | None = None
    env: str | None = PASSWORD_ENV
    vault: PasswordVault | None = None
    server: str = ""
    username: str = ""

    def read(self) -> str | None:
        if self.file is not None:
            return read_password_file(self.file)
        if self.env and os.environ.get(self.env):
            return os.environ[self.env]
        if self.vault is not None and self.server and self.username:
            return self.vault.get(self.server, self.username)
        return None

    def __call__(self) -> str | None:
        return self.read()

    def describe(self) -> str:
        """For the log: which source, never what it holds."""
        if self.file is not None:
            return f"the password file {self.file}"
        if self.env and os.environ.get(self.env):
            return f"the environment variable {self.env}"
        return "the system password store"

    def with_vault(self, vault: PasswordVault, server: str,
                   username: str) -> UnattendedPassword:
        return UnattendedPassword(self.file, self.env, vault, server, username)
