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


def stop_on_sigterm() -> None:
    """A SIGTERM (a timeout, a wrapper's Ctrl+C) unwinds the benchmark, so that central and
    the simulator are stopped by its ``finally``. Inside the Qt loop an exception raised by a
    signal handler would be swallowed by the slot that happens to run: stop the loop instead
    (``run_until_complete`` then raises)."""
    import asyncio
    import signal

    def on_term(*_args: object) -> None:
        try:
            loop = asyncio.get_event_loop()
        except RuntimeError:
            loop = None
        if loop is not None and loop.is_running():
            loop.stop()
        else:
            raise SystemExit(143)

    signal.signal(signal.SIGTERM, on_term)
