"""The demo's recording policies: alarm clips (10 s pre-roll, 20 s post-roll) for the cameras
of the first kitchens of the demo city, and two of them recorded around the clock.

Set through central's own action (``recording.policy``, as the admin) with the simulator's
client, so the demo exercises the path an administrator takes. A few kitchens, not the whole
city: each recorded camera is one ``ffmpeg -c copy`` child on the demo machine.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import aiohttp

from simulator.client import CentralClient

ALARM_BUSINESSES = 4
CONTINUOUS_CAMERAS = 2


async def _seed(central_url: str, password: str) -> dict[str, list[str]]:
    async with aiohttp.ClientSession() as session:
        admin = CentralClient(session, central_url, "admin", password)
        rows, _ = await admin.changes(0)
        cameras = sorted((r["payload"] for r in rows if r["entity"] == "camera"
                          and (r["payload"].get("main_url") or r["payload"].get("sub_url"))),
                         key=lambda c: (c["business_id"], c["id"]))
        businesses = list(dict.fromkeys(c["business_id"] for c in cameras))[:ALARM_BUSINESSES]
        continuous = [c["id"] for c in cameras if c["business_id"] in businesses][
            :CONTINUOUS_CAMERAS]

        async def policy(payload: dict[str, Any]) -> None:
            await admin.request("POST", "/api/actions", json={
                "idem_key": uuid.uuid4().hex, "kind": "recording.policy", "payload": payload})

        for business_id in businesses:
            await policy({"mode": "alarm", "business_id": business_id})
        for camera_id in continuous:
            await policy({"mode": "continuous", "camera_id": camera_id})
        return {"alarm_businesses": businesses, "continuous_cameras": continuous}


def seed_policies(central_url: str, password: str) -> dict[str, list[str]]:
    """Create the demo's policies; what was chosen (for the log)."""
    return asyncio.run(_seed(central_url, password))
