"""Why a stream does not play, in words an operator understands (Qt-free).

libVLC says little more than "your input can't be opened", so when a player fails the worker
asks the source itself: does the name resolve, does the port answer, what does the server say.
FFmpeg errors are mapped to the same words. No reason ever contains credentials.
"""

from __future__ import annotations

import errno
import socket
import ssl
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from common.masking import mask_text, mask_url

SCHEMES = ("http", "https", "rtsp", "rtsps", "rtmp", "udp", "rtp", "srt", "file", "hls")
MAX_URL = 2048


@dataclass(frozen=True)
class Diagnosis:
    reason: str
    offline: bool  # the source refused or is absent (as opposed to a transient stall)


def validate_url(url: str) -> str | None:
    """A reason why ``url`` cannot be a camera stream, or None if it is worth trying."""
    if not url or not url.strip():
        return "this camera has no stream address"
    if len(url) > MAX_URL:
        return f"the stream address is too long ({len(url)} characters)"
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return "the stream address contains control characters"
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in SCHEMES:
        shown = scheme[:16] or "none"
        return f"unsupported address type ({shown}); use rtsp, http(s), udp, srt or file"
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "the stream address is malformed"
    if scheme == "file":
        return None
    try:
        host = parts.hostname
        _ = parts.port
    except ValueError:
        return "the stream address has an invalid port"
    if not host and scheme not in ("udp", "rtp"):
        return "the stream address has no host"
    return None


def http_status_reason(status: int, phrase: str = "") -> str:
    words = {401: "login required or wrong credentials", 403: "access denied",
             404: "no such stream on the server", 500: "server error",
             502: "bad gateway", 503: "camera or service unavailable",
             504: "gateway timeout"}.get(status, "")
    text = f"HTTP {status}"
    if phrase:
        text += f" {phrase.strip()[:40]}"
    return f"{text} ({words})" if words else text


def _socket_reason(exc: OSError, host: str, port: int) -> str:
    if isinstance(exc, socket.gaierror):
        return f"host name {host[:60]} not found (DNS)"
    if isinstance(exc, TimeoutError | socket.timeout):
        return f"no answer from {host[:60]}:{port} (timed out)"
    code = exc.errno
    if code == errno.ECONNREFUSED:
        return f"connection refused by {host[:60]}:{port}"
    if code in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        return f"network unreachable for {host[:60]}"
    if code == errno.ECONNRESET:
        return f"connection reset by {host[:60]}:{port}"
    return f"cannot connect to {host[:60]}:{port} ({exc.strerror or exc})"


def diagnose(url: str, timeout: float = 3.0) -> Diagnosis:
    """Ask the source why it does not play. Blocking: call it off the UI thread."""
    invalid = validate_url(url)
    if invalid:
        return Diagnosis(invalid, offline=True)
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "file":
        path = Path(urllib.parse.unquote(parts.path))
        if not path.exists():
            return Diagnosis("the video file does not exist", offline=True)
        if not path.is_file():
            return Diagnosis("the address is not a video file", offline=True)
        return Diagnosis("the file is not a playable video", offline=True)
    host = parts.hostname or ""
    if scheme in ("udp", "rtp", "srt", "rtmp"):
        return Diagnosis(f"no video received from {scheme}://{host[:60]}", offline=False)
    default_port = {"http": 80, "hls": 80, "https": 443, "rtsp": 554, "rtsps": 322}[scheme]
    port = parts.port or default_port
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        if isinstance(exc, UnicodeError):
            return Diagnosis("the host name is not valid", offline=True)
        return Diagnosis(_socket_reason(exc, host, port), offline=True)
    family, kind, proto, _name, address = infos[0]
    try:
        with socket.socket(family, kind, proto) as sock:
            sock.settimeout(timeout)
            sock.connect(address)
            if scheme in ("https", "rtsps"):
                context = ssl.create_default_context()
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
                with context.wrap_socket(sock, server_hostname=host) as tls:
                    return _ask(tls, scheme, parts, host)
            return _ask(sock, scheme, parts, host)
    except OSError as exc:
        return Diagnosis(_socket_reason(exc, host, port), offline=True)


def _ask(sock: socket.socket, scheme: str, parts: urllib.parse.SplitResult,
         host: str) -> Diagnosis:
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    if scheme.startswith("rtsp"):
        target = urllib.parse.urlunsplit((parts.scheme, parts.netloc.rsplit("@", 1)[-1],
                                          parts.path or "/", parts.query, ""))
        request = f"DESCRIBE {target} RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\n\r\n"
    else:
        request = (f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: KitchenWatch-probe\r\n"
                   "Connection: close\r\n\r\n")
    sock.sendall(request.encode("utf-8", "replace"))
    head = b""
    while b"\r\n\r\n" not in head and len(head) < 8192:
        chunk = sock.recv(2048)
        if not chunk:
            break
        head += chunk
    if not head:
        return Diagnosis(f"{host[:60]} closed the connection without answering", offline=True)
    first, _, rest = head.partition(b"\r\n")
    fields = first.decode("latin-1", "replace").split(" ", 2)
    if len(fields) < 2 or not fields[1].isdigit():
        return Diagnosis("the server did not answer as a video server", offline=True)
    status = int(fields[1])
    phrase = fields[2] if len(fields) > 2 else ""
    if status >= 400:
        reason = http_status_reason(status, phrase)
        return Diagnosis(reason.replace("HTTP", "RTSP") if scheme.startswith("rtsp") else
                         reason, offline=True)
    if scheme.startswith("http"):
        headers = rest.decode("latin-1", "replace").lower()
        for line in headers.split("\r\n"):
            if line.startswith("content-type:"):
                kind = line.split(":", 1)[1].strip()
                if kind.startswith(("text/", "application/json")):
                    return Diagnosis(f"the address serves {kind[:30]}, not video", offline=True)
    return Diagnosis("the server answers but sends no playable video", offline=False)


def rtsp_refused_tcp(exc: BaseException) -> bool:
    """The RTSP server answered SETUP over TCP with 461 (FFmpeg: "Protocol not supported")."""
    text = str(exc).lower()
    return "461" in text or "protocol not supported" in text or \
        getattr(exc, "errno", None) == errno.ENOPROTOOPT


def ffmpeg_reason(exc: BaseException, url: str) -> Diagnosis:
    """Words for an exception raised by PyAV (FFmpeg) while opening or reading ``url``."""
    text = str(getattr(exc, "strerror", None) or exc)
    text = mask_text(text.replace(url, mask_url(url)))  # FFmpeg may print it re-encoded
    lowered = text.lower()
    for code in (400, 401, 403, 404):
        if f"{code}" in lowered:
            return Diagnosis(http_status_reason(code), offline=True)
    if "5xx" in lowered or "4xx" in lowered or "server returned" in lowered:
        # FFmpeg lumps these together; the server itself says which one it was.
        return diagnose_or(url, "the server refused the stream")
    errno_code = getattr(exc, "errno", None)
    if errno_code == errno.ECONNREFUSED or "connection refused" in lowered:
        return diagnose_or(url, "connection refused")
    if errno_code == errno.ETIMEDOUT or "timed out" in lowered or "timeout" in lowered:
        return Diagnosis("no answer from the source (timed out)", offline=False)
    if "no such file" in lowered or errno_code == errno.ENOENT:
        return Diagnosis("the video file does not exist", offline=True)
    if "invalid data" in lowered:
        return Diagnosis("the source does not send a video format this console can read",
                         offline=True)
    if rtsp_refused_tcp(exc):
        return Diagnosis("the camera refused the RTSP transport (461)", offline=True)
    if "protocol not found" in lowered:
        return Diagnosis("unsupported address type", offline=True)
    if "end of file" in lowered:
        return Diagnosis("the source ended the stream", offline=False)
    if "name or service not known" in lowered or "resolve" in lowered:
        return diagnose_or(url, "host name not found (DNS)")
    return Diagnosis(f"the stream failed: {text[:120]}", offline=False)


def diagnose_or(url: str, fallback: str) -> Diagnosis:
    """:func:`diagnose`, falling back to ``fallback`` when asking fails or says nothing new."""
    try:
        found = diagnose(url, timeout=2.0)
    except Exception:  # diagnosing must never be the thing that breaks
        return Diagnosis(fallback, offline=True)
    if found.reason.startswith("the server answers but"):
        return Diagnosis(fallback, offline=True)
    return found


def explain(url: str, timeout: float = 2.0) -> str:
    """The reason in words (older callers)."""
    return diagnose(url, timeout).reason
