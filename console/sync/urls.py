"""The one place where the console turns a central-relative reference into an address it
will send its bearer token to.

Why: ``attachment_url`` and ``evidence_url`` are text that field staff (or anybody who can
write an action) choose. The console used to fetch ``base_url + reference`` with the
operator's token, so ``.attacker.example/x.jpg`` became
``https://central.example.gov.cn.attacker.example/x.jpg`` and the token went there. Every
request of :class:`console.sync.client.ApiClient` (and the media spool's upload) is built
here, and anything that is not plainly a path on central's own origin is refused before a
socket is opened:

- the reference must start with a single ``/`` (no ``//host``, ``.host``, ``@host``,
  ``http://host/``, no relative path);
- only unreserved ASCII characters and well-formed ``%XX`` escapes; no control characters,
  no white space, no back-slashes, no ``@``, no fragment;
- no ``.`` or ``..`` segment, also not percent-encoded (``%2e%2e``), no encoded ``/`` or
  ``\\`` (``%2f``, ``%5c``) and no double encoding (``%252e``) in the path;
- the joined address is parsed again and must have exactly the origin (scheme, host, port)
  of the server and lie under its base path;
- media references (:func:`central_media_url`) must be exactly
  ``/media/<64 hex>.jpg|png|mp4|ts``: the only things central stores and serves (evidence
  images, and the clips AI boxes attach to their events).

Qt-free; the caller turns :class:`RefusedReference` into a message in the user's language.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from yarl import URL

MAX_REFERENCE_LENGTH = 2048
MEDIA_REFERENCE = re.compile(r"/media/[0-9a-f]{64}\.(?:jpg|png|mp4|ts)")

# RFC 3986 unreserved characters, sub-delimiters harmless in a path, and "%" for escapes.
_PATH_CHARS = re.compile(r"[A-Za-z0-9\-._~%!$&'()*+,;=:/]*")
# The query may also hold "/" and "?" (RFC 3986 allows both there).
_QUERY_CHARS = re.compile(r"[A-Za-z0-9\-._~%!$&'()*+,;=:/?]*")
_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
# What a decoded path segment must not contain: separators, control characters, escapes.
_BAD_DECODED = re.compile(r"[/\\%\x00-\x1f\x7f]")


class RefusedReference(ValueError):
    """A reference that is not a path on central's own origin; never fetched.

    ``reason`` says what is wrong in English (logs); ``reference`` is the refused text,
    shortened and with control characters escaped so it is safe to log.
    """

    def __init__(self, reference: object, reason: str) -> None:
        self.reference = safe_for_log(reference)
        self.reason = reason
        super().__init__(f"refused address {self.reference}: {reason}")


def safe_for_log(reference: object, limit: int = 200) -> str:
    """``repr`` of the reference, at most ``limit`` characters (escapes control characters)."""
    text = repr(reference)
    return text if len(text) <= limit else text[:limit] + "…"


def _check_path(path: str, reference: str) -> None:
    if not _PATH_CHARS.fullmatch(path):
        raise RefusedReference(reference, "characters a central path never has")
    if _ESCAPE.search(path):
        raise RefusedReference(reference, "a malformed percent escape")
    for segment in path.split("/")[1:]:
        try:
            decoded = unquote(segment, errors="strict")
        except UnicodeDecodeError:
            raise RefusedReference(reference, "an escape that is not UTF-8") from None
        if decoded in (".", ".."):
            raise RefusedReference(reference, "a '.' or '..' segment")
        if _BAD_DECODED.search(decoded):
            raise RefusedReference(reference, "an encoded separator, control character or "
                                              "double encoding in the path")


def central_url(base_url: str, reference: str) -> URL:
    """``base_url`` + ``reference`` when ``reference`` is a path (and optional query) on
    central's own origin; otherwise :class:`RefusedReference`.

    ``base_url`` is the normalised server address (``http(s)://host[:port][/prefix]``).
    The result is an already-encoded :class:`yarl.URL`, so aiohttp sends exactly the
    checked text (no re-encoding, no ``..`` resolution behind our back).
    """
    if not isinstance(reference, str):
        raise RefusedReference(reference, "not text")
    if not reference:
        raise RefusedReference(reference, "empty")
    if len(reference) > MAX_REFERENCE_LENGTH:
        raise RefusedReference(reference, f"longer than {MAX_REFERENCE_LENGTH} characters")
    if not reference.startswith("/") or reference.startswith("//"):
        raise RefusedReference(reference, "not a path on the central server (it must start "
                                          "with a single '/')")
    if not reference.isascii():
        raise RefusedReference(reference, "characters a central path never has")
    path, question, query = reference.partition("?")
    _check_path(path, reference)
    if question and (not _QUERY_CHARS.fullmatch(query) or _ESCAPE.search(query)):
        raise RefusedReference(reference, "characters a central query never has")

    base = URL(base_url, encoded=True)
    if base.scheme not in ("http", "https") or not base.host or base.user is not None \
            or base.password is not None or base.query_string or base.fragment:
        raise RefusedReference(reference, f"the server address {base_url!r} is not a plain "
                                          "http(s) origin")
    prefix = base.raw_path.rstrip("/")
    joined = URL(f"{base.origin()}{prefix}{reference}", encoded=True)
    if joined.origin() != base.origin() or not joined.raw_path.startswith(prefix + "/"):
        raise RefusedReference(reference, "it leads off the central server")
    return joined


def central_media_url(base_url: str, reference: str) -> URL:
    """:func:`central_url` for a stored image: only ``/media/<sha256>.jpg|png``."""
    if not isinstance(reference, str) or not MEDIA_REFERENCE.fullmatch(reference):
        raise RefusedReference(reference, "not a central media reference "
                                          "(/media/<sha256>.jpg or .png)")
    return central_url(base_url, reference)
