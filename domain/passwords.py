"""The password policy, one rule set for central and the console.

Central refuses a password that breaks it (``/api/password``, ``user.create``,
``user.reset_password``, ``kitchenwatch-central init|users``); the console checks the same rules
while the user types, so the message appears before anything is sent. Both read the reasons
from here; the texts are English here (central's answers); the console maps the same reason
codes to its own translatable strings (Chinese in its translations).

Rules (what NIST SP 800-63B and the bureaus' own 等保 checklists ask for, kept short):

- at least :data:`MIN_LENGTH` characters (at most :data:`MAX_LENGTH`: Argon2 takes any length,
  but a megabyte "password" is an attack on the CPU, not a password);
- not containing the user name (case-insensitive);
- not one of the common passwords of ``domain/wordlists`` (compared case-insensitively):
  ``common-passwords.txt.gz`` is Django's list of 20,000 common passwords (BSD-3-Clause,
  © Django Software Foundation; compiled by Royce Williams from leaked-password corpora,
  https://gist.github.com/roycewilliams/226886fd01572964e1431ac8afc999ce), and
  ``chinese-common.txt`` adds those common among Chinese users (from SecLists, MIT);
- at least :data:`MIN_CLASSES` of the four character classes (lower case, upper case, digits,
  other characters).
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

MIN_LENGTH = 10
MAX_LENGTH = 128
MIN_CLASSES = 3

TOO_SHORT = "too_short"
TOO_LONG = "too_long"
CONTAINS_USERNAME = "contains_username"
COMMON = "common_password"
FEW_CLASSES = "too_few_character_classes"

#: Reason code → the English message (central's error bodies, the CLI).
MESSAGES: dict[str, str] = {
    TOO_SHORT: f"the password must have at least {MIN_LENGTH} characters",
    TOO_LONG: f"the password may have at most {MAX_LENGTH} characters",
    CONTAINS_USERNAME: "the password must not contain the user name",
    COMMON: "the password is one of the most common passwords; choose another",
    FEW_CLASSES: (f"the password must mix at least {MIN_CLASSES} of: lower-case letters, "
                  f"upper-case letters, digits, other characters"),
}


@dataclass(frozen=True)
class Verdict:
    """The outcome of :func:`check`: ``reasons`` empty means the password is acceptable."""

    reasons: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.reasons

    def message(self) -> str:
        """All reasons in English, joined (what central answers)."""
        return "; ".join(MESSAGES[r] for r in self.reasons)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped lists, lower-cased (read once; ~20,000 words, a few hundred kilobytes)."""
    folder = resources.files("domain.wordlists")
    words: set[str] = set()
    with gzip.open(folder.joinpath("common-passwords.txt.gz").open("rb"), "rt",
                   encoding="utf-8") as fh:
        words.update(line.strip().lower() for line in fh)
    text = folder.joinpath("chinese-common.txt").read_text(encoding="utf-8")
    words.update(line.strip().lower() for line in text.splitlines()
                 if line.strip() and not line.startswith("#"))
    words.discard("")
    return frozenset(words)


def character_classes(password: str) -> int:
    """How many of lower case, upper case, digits and other characters ``password`` uses."""
    return sum((any(c.islower() for c in password), any(c.isupper() for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password)))


def check(password: str, username: str = "") -> Verdict:
    """Every rule ``password`` breaks for the account ``username`` (in the order above)."""
    reasons: list[str] = []
    if len(password) < MIN_LENGTH:
        reasons.append(TOO_SHORT)
    elif len(password) > MAX_LENGTH:
        reasons.append(TOO_LONG)
    name = username.strip().lower()
    if name and name in password.lower():
        reasons.append(CONTAINS_USERNAME)
    if password.lower() in common_passwords():
        reasons.append(COMMON)
    if character_classes(password) < MIN_CLASSES:
        reasons.append(FEW_CLASSES)
    return Verdict(tuple(reasons))
