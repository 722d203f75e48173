"""Small helpers the benchmarks share (not a test; stdlib only, no Qt).

Each benchmark prints human lines through :func:`say` and talks to central over loopback with
:func:`post_json`, as a device or a console would.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any


def say(message: str) -> None:
    """One human line, flushed at once (the benchmarks run for minutes)."""
    print(message, flush=True)


def post_json(url: str, body: dict[str, Any], token: str | None = None,
              timeout: float = 15.0) -> dict[str, Any]:
    """POST ``body`` as JSON (with a bearer token when given); the JSON answer."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, json.dumps(body).encode(), headers, method="POST")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.load(response)
