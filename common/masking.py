"""What may be shown of an address or a person: the one place the masking rules live (Qt-free).

Every layer imports this module (``common`` is the package all the others may import, and
this module needs nothing but the standard library): central hides credentials and personal data
from the viewer role, the console's log files, crash reports, ``kitchenwatch probe`` and every
export show addresses with ``***`` in place of secrets, the video engine logs addresses masked.
One set of rules, so the screens, the files and the server never disagree.

**Addresses are parsed, not matched by one pattern.** A camera password may contain ``@``,
``:``, ``/``, ``?``, ``#`` or ``%40``; a pattern that stops at the first ``@`` shows
``rtsp://ss@host`` for the password ``P@ss``. The user information is everything before the
*last* ``@`` that is followed by a plausible ``host[:port]`` and then ``/``, ``?``, ``#`` or
the end; without such an ``@`` the address is read the usual way (the authority ends at the
first ``/``, ``?`` or ``#``). When neither reading yields a host, the whole part after the
scheme is masked. The price of reading an unencoded ``/`` in a password correctly: an address
with an e-mail address at its very end (``…?to=a@b.cn``) is masked from its start to that
``@``; this hides more than needed, never less.

**Credential-bearing parameters** (:data:`CREDENTIAL_PARAMS`) have their values masked in the
query, the fragment (OAuth puts ``access_token`` there) and in path segments of the
``name=value&…`` form some recorders use (``rtsp://nvr/user=admin&password=x&channel=1``).
The list, and why each group is on it:

- passwords: ``password passwd pwd pass pw psw passphrase`` (``passphrase`` is SRT's
  encryption secret);
- user names: ``user username user_name usr uname login`` — half of a login, and personal
  data; the user information before ``@`` is masked whole for the same reason;
- tokens and keys: ``token access_token refresh_token id_token auth auth_token authorization
  key apikey api_key secret client_secret streamkey stream_key`` (RTMP publish keys);
- signatures of pre-signed addresses: ``signature sig x-amz-signature x-amz-credential
  x-amz-security-token x-goog-signature x-goog-credential`` (whoever holds one can fetch the
  object until it expires);
- sessions: ``session sessionid session_id sid jsessionid phpsessid``;
- and any name containing ``password``, ``passwd``, ``secret``, ``token``, ``signature`` or
  ``credential`` (``camera_password``, ``x-auth-token``).

Names are compared case-insensitively after percent-decoding. A credential value runs to the
next ``&`` (a ``#`` inside it is part of it); other values end at ``&`` or ``#``.

**Personal data** (:func:`mask_name`, :func:`mask_phone`) follows the display rule of Chinese
government portals: a name keeps its first character (the surname), a mobile number its first
three and last four digits. Both functions are idempotent, so a value masked by central and
masked again by a big screen stays the same.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import unquote

MASK = "***"

CREDENTIAL_PARAMS = frozenset({
    "password", "passwd", "pwd", "pass", "pw", "psw", "passphrase",
    "user", "username", "user_name", "usr", "uname", "login",
    "token", "access_token", "refresh_token", "id_token", "auth", "auth_token", "authorization",
    "key", "apikey", "api_key", "secret", "client_secret", "streamkey", "stream_key",
    "signature", "sig", "x-amz-signature", "x-amz-credential", "x-amz-security-token",
    "x-goog-signature", "x-goog-credential",
    "session", "sessionid", "session_id", "sid", "jsessionid", "phpsessid",
})
_CREDENTIAL_STEMS = ("password", "passwd", "secret", "token", "signature", "credential")
# In free text a bare ``name=value`` (not after ``?``/``&``) is masked only for names that are
# secrets in any context; ``user=`` or ``key=`` in a log sentence is ordinary information.
_SECRET_WORDS = frozenset({"password", "passwd", "pwd", "passphrase", "token", "access_token",
                           "refresh_token", "id_token", "auth_token", "authorization", "apikey",
                           "api_key", "secret", "client_secret", "streamkey", "stream_key",
                           "signature"})

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
# A host: an IP-literal in brackets, or name characters (letters of any script, digits, ``.``,
# ``-``, ``_``, ``~`` and percent-escapes). RFC 3986's sub-delimiters (``!$&'()*+,;=``) are left
# out on purpose: no real camera or server name has them, and passwords often do.
_HOST = r"(?:\[[0-9A-Za-z:.%_~-]*\]|[\w.~%-]+)"
_HOST_AFTER_AT = re.compile(rf"{_HOST}(?::\d{{0,5}})?(?=[/?#]|\Z)")
_HOSTPORT = re.compile(rf"(?:{_HOST})?(?::\d{{0,5}})?")
_PATH_PARAM = re.compile(r"(?<=[/;&])([^/;&=?#]+)=([^/;&?#]*)")


def is_credential_param(name: str) -> bool:
    """Is ``name`` (a query, fragment or path parameter) one whose value is a secret?"""
    key = _param_key(name)
    return key in CREDENTIAL_PARAMS or any(stem in key for stem in _CREDENTIAL_STEMS)


def _param_key(name: str) -> str:
    key = unquote(name, errors="replace").strip().lower()
    if key.startswith("amp;"):  # ``&amp;password=`` in HTML-escaped text
        key = key[4:]
    return key.removesuffix("[]")


def _split(url: str) -> tuple[str, str | None, str, str] | None:
    """``(scheme://, userinfo or None, host[:port], rest)``, or None when no host is found."""
    match = _SCHEME.match(url)
    prefix = match.group() if match else ""
    rest = url[len(prefix):]
    if not prefix and rest.startswith("//"):
        prefix, rest = "//", rest[2:]
    at = rest.rfind("@")
    while at >= 0:
        host = _HOST_AFTER_AT.match(rest, at + 1)
        if host:
            return prefix, rest[:at], host.group(), rest[host.end():]
        at = rest.rfind("@", 0, at)
    end = len(rest)
    for sep in "/?#":
        found = rest.find(sep)
        if 0 <= found < end:
            end = found
    authority = rest[:end]
    if "@" in authority or not _HOSTPORT.fullmatch(authority):
        return None
    return prefix, None, authority, rest[end:]


def _tail(rest: str, strip: bool) -> str:
    """Path, query and fragment with credential values masked (or, ``strip``, removed)."""
    cut = len(rest)
    for sep in "?#":
        found = rest.find(sep)
        if 0 <= found < cut:
            cut = found
    path = _PATH_PARAM.sub(
        lambda m: f"{m.group(1)}={'' if strip else MASK}" if is_credential_param(m.group(1))
        and m.group(2) else m.group(0), rest[:cut])
    if cut == len(rest):
        return path
    sections: dict[str, list[str]] = {"?": [], "#": []}
    section = rest[cut]
    seen = {section}
    pos = cut + 1
    size = len(rest)
    next_hash = rest.find("#", pos)  # kept ahead of pos: one scan, not one per parameter
    while True:
        next_amp = rest.find("&", pos)
        next_amp = size if next_amp < 0 else next_amp
        if 0 <= next_hash < pos:
            next_hash = rest.find("#", pos)
        stop = min(next_amp, next_hash) if next_hash >= 0 else next_amp
        piece = rest[pos:stop]
        name, eq, _value = piece.partition("=")
        if eq and is_credential_param(name):
            stop = next_amp  # the secret may hold a '#'
            if not strip:
                sections[section].append(f"{name}={MASK}")
        else:
            sections[section].append(piece)
        if stop >= size:
            break
        if rest[stop] == "#":
            section = "#"
            seen.add(section)
        pos = stop + 1
    out = path
    for mark in "?#":
        if mark in seen and (sections[mark] or not strip):
            out += mark + "&".join(sections[mark])
    return out


def mask_url(url: Any) -> str:
    """``rtsp://admin:P@ss@10.1.2.3:554/ch1?token=x`` → ``rtsp://***@10.1.2.3:554/ch1?token=***``.

    Scheme, host, port and path stay (they are what support needs); the user information and
    the values of credential parameters become ``***``. Never raises: an address in which no
    host can be found comes back as ``scheme://***``. Idempotent.
    """
    text = "" if url is None else str(url)
    if not text:
        return ""
    parts = _split(text)
    if parts is None:
        match = _SCHEME.match(text)
        return (match.group() if match else "") + MASK
    prefix, userinfo, hostport, rest = parts
    # An empty user part (``udp://@239.0.0.1:1234``, VLC's multicast form) hides nothing.
    shown = "" if userinfo is None else (MASK + "@" if userinfo else "@")
    return prefix + shown + hostport + _tail(rest, False)


def strip_url_credentials(url: Any) -> str:
    """``rtsp://admin:pw@host/x?token=t&ch=1`` → ``rtsp://host/x?ch=1``: for roles that must not
    learn the credentials (central's viewer). An address without a recognisable host becomes
    ``""`` — nothing of it is worth giving away."""
    text = "" if url is None else str(url)
    parts = _split(text) if text else None
    if parts is None:
        return ""
    prefix, _userinfo, hostport, rest = parts
    return prefix + hostport + _tail(rest, True)


_URL_IN_TEXT = re.compile(r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*://[^\s\"'<>`]*")
_TRAILING = ".,;:!)]}"
_PARAM_IN_TEXT = re.compile(r"(?P<lead>[?&;]|(?<![\w.%\[\]-]))(?P<name>[A-Za-z_][\w.%\[\]-]*)="
                            r"(?P<value>[^&\s\"'<>,;)\]}]+)")
# Values: escapes or anything but the closing quote and a backslash, so no input makes the
# pattern backtrack (``(?:\\.|.)*`` would, exponentially, on a run of backslashes).
_QUOTED_PAIR = re.compile(r"(?P<key>[\"'](?P<name>[\w.-]+)[\"']\s*[:=]\s*)"
                          r"(?:\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*')")
_AUTH_HEADER = re.compile(r"(?i)(?P<lead>\bauthorization\s*[:=]\s*(?:bearer|basic|digest)\s+"
                          r"|\bbearer\s+)(?P<value>[A-Za-z0-9._~+/=-]{8,})")


def _is_secret_word(name: str) -> bool:
    key = _param_key(name)
    return key in _SECRET_WORDS or any(stem in key for stem in _CREDENTIAL_STEMS)


def _mask_url_match(match: re.Match[str]) -> str:
    url = match.group()
    trail = len(url) - len(url.rstrip(_TRAILING))
    if trail:
        return mask_url(url[:-trail]) + url[-trail:]
    return mask_url(url)


def _mask_param(match: re.Match[str]) -> str:
    name = match.group("name")
    secret = is_credential_param(name) if match.group("lead") else _is_secret_word(name)
    return f"{match.group('lead')}{name}={MASK}" if secret else match.group()


def _mask_quoted(match: re.Match[str]) -> str:
    if not _is_secret_word(match.group("name")):
        return match.group()
    quote = match.group()[len(match.group("key"))]
    return f"{match.group('key')}{quote}{MASK}{quote}"


def mask_text(text: Any) -> str:
    """Every address in ``text`` (a log line, an error message, a crash report, FFmpeg's or
    libVLC's words) passed through :func:`mask_url`; also ``?token=…``-style parameters outside
    addresses, ``"password": "…"`` pairs and ``Authorization``/``Bearer`` values. Idempotent."""
    out = "" if text is None else str(text)
    if not out:
        return out
    if "://" in out:
        out = _URL_IN_TEXT.sub(_mask_url_match, out)
    if "=" in out:
        out = _PARAM_IN_TEXT.sub(_mask_param, out)
    if "'" in out or '"' in out:
        out = _QUOTED_PAIR.sub(_mask_quoted, out)
    if "earer" in out or "uthorization" in out or "EARER" in out or "UTHORIZATION" in out:
        out = _AUTH_HEADER.sub(lambda m: m.group("lead") + MASK, out)
    return out


def mask_name(name: Any) -> str:
    """``张建国`` → ``张**``, ``张`` → ``张*``: the first character (the surname) stays so a
    demonstration still reads naturally; at least one ``*`` always follows, so a one-character
    name is visibly masked too (it shows nothing beyond the surname)."""
    text = "" if name is None else str(name).strip()
    if not text:
        return ""
    return text[0] + "*" * max(1, len(text) - 1)


def mask_phone(phone: Any) -> str:
    """``13812340000`` → ``138****0000``; at least four characters are always hidden.

    Eleven characters or more (mobile numbers, landlines with area code): the first three and
    the last four stay. Shorter numbers keep at most their last four and never more than leaves
    four hidden (``81234567`` → ``****4567``, ``12345`` → ``****5``, ``110`` → ``***``) — keeping
    three and four of an eight-digit number would show seven of its eight digits.
    """
    text = "" if phone is None else str(phone).strip()
    n = len(text)
    if n >= 11:
        return text[:3] + "*" * (n - 7) + text[-4:]
    shown = max(0, min(4, n - 4))
    return "*" * (n - shown) + text[n - shown:]


class MaskingFormatter(logging.Formatter):
    """A formatter whose every line (message, arguments, traceback, stack) went through
    :func:`mask_text`: the last step before a log line reaches a file or a terminal."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_text(super().format(record))


class MaskingFilter(logging.Filter):
    """Masks a record's message (with its arguments) and traceback in place, so every handler
    after it, and anything holding the record, sees the masked text."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: let the handler report it as usual
            return True
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        return True
