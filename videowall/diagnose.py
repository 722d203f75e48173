"""Why a stream failed, in words an operator can act on.

libVLC only says "error"; the operator needs to know whether the camera refused the connection,
the platform answered 404, or the address does not resolve. This checks the address directly
(off the UI thread, with a short timeout) and names the cause.
"""

from __future__ import annotations

import http.client
import socket
from concurrent.futures import Future, ThreadPoolExecutor
from urllib.parse import urlsplit

_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="diagnose")
DEFAULT_PORTS = {"http": 80, "https": 443, "rtsp": 554, "rtmp": 1935}


def explain(url: str, timeout: float = 2.0) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return "the address is malformed"
    scheme = parts.scheme.lower()
    if scheme == "file":
        return "the file does not exist or cannot be read"
    try:
        host, port = parts.hostname, parts.port or DEFAULT_PORTS.get(scheme)
    except ValueError:
        return "the address has an invalid port"
    if not host or port is None:
        return "the address has no host"
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return f"host name {host} cannot be resolved"
    try:
        with socket.create_connection(infos[0][4][:2], timeout=timeout):
            pass
    except ConnectionRefusedError:
        return f"connection refused by {host}:{port} (nothing listening)"
    except TimeoutError:
        return f"no answer from {host}:{port} within {timeout:.0f} s"
    except OSError as exc:
        return f"cannot connect to {host}:{port}: {exc.strerror or exc}"
    if scheme not in ("http", "https"):
        return "the server accepted the connection but sent no playable video"
    conn_cls = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
    conn = conn_cls(host, port, timeout=timeout)
    try:
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        conn.request("GET", path)
        resp = conn.getresponse()
        if resp.status >= 400:
            return f"the server answered HTTP {resp.status} {resp.reason}"
        return "the server answered but the stream could not be decoded"
    except (OSError, http.client.HTTPException) as exc:
        return f"the server broke off the request: {exc}"
    finally:
        conn.close()


def explain_async(url: str) -> Future[str]:
    return _POOL.submit(explain, url)
