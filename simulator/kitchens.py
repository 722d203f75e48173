"""The simulated kitchens' activity against central: sensor readings, AI violation events and
field staff working the tasks dispatched to them."""

from __future__ import annotations

import asyncio
import base64
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiohttp

from domain.alarms import AiViolation
from domain.tasks import FIELD_NEXT_STEP
from simulator.ai_clips import CLIP_SECONDS, FORMATS, ClipError, cut_clip
from simulator.client import CentralClient, CentralError
from simulator.media import CLIP_COUNT, SECONDS, MediaSet, clip_for
from simulator.moments import Moment, Moments, delay_until, evidence_jpeg
from simulator.sensors import CabinetSensor, RoomSensor

log = logging.getLogger("kitchenwatch.sim.kitchens")

AI_VIOLATIONS = [str(violation) for violation in AiViolation]
CLIP_SHARE = 1 / 3  # of AI events that bring the box's own clip, as some real boxes do
# task state → the field action that moves it on
FIELD_STEPS = FIELD_NEXT_STEP


@dataclass
class KitchenSettings:
    speed: float = 1.0
    breach_rate_per_hour: float = 0.5  # per special room
    invalid_cycle_rate: float = 0.15
    ai_per_hour: float = 6.0  # for the whole city
    field_delay_s: float = 20.0
    sensors: bool = True
    ai: bool = True
    field_staff: bool = True
    password: str = ""
    seed: int = 11


@dataclass
class Registry:
    cameras: dict[str, dict[str, Any]] = field(default_factory=dict)
    sensors: dict[str, dict[str, Any]] = field(default_factory=dict)
    tasks: dict[str, dict[str, Any]] = field(default_factory=dict)
    cursor: int = 0

    def apply(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        changed_tasks = []
        for row in rows:
            target = {"camera": self.cameras, "sensor": self.sensors,
                      "task": self.tasks}.get(row["entity"])
            if target is None:
                continue
            if row["deleted"]:
                target.pop(row["id"], None)
            else:
                target[row["id"]] = row["payload"]
                if row["entity"] == "task":
                    changed_tasks.append(row["payload"])
        return changed_tasks


class Kitchens:
    """Runs until cancelled; survives central going away and coming back."""

    def __init__(self, central_url: str, media: MediaSet, settings: KitchenSettings,
                 session: aiohttp.ClientSession) -> None:
        self.settings = settings
        self.media = media
        self.session = session
        self.central_url = central_url
        self.gateway = CentralClient(session, central_url, "gateway", settings.password)
        self.watcher = CentralClient(session, central_url, "admin", settings.password)
        self.registry = Registry()
        self.rng = random.Random(settings.seed)
        self.rooms: dict[str, RoomSensor] = {}
        self.cabinets: dict[str, CabinetSensor] = {}
        self._field_clients: dict[str, CentralClient] = {}
        self._task_due: dict[str, float] = {}
        self._t0 = time.monotonic()
        self.moments = Moments(media)
        # seconds into a clip that its viewers see now (set by the stream server), or None
        self.playhead: Callable[[int], float | None] = lambda clip: None

    def sim_now(self) -> float:
        return (time.monotonic() - self._t0) * self.settings.speed

    async def run(self) -> None:
        await self.refresh()
        jobs = [self._refresh_loop()]
        if self.settings.sensors:
            jobs.append(self._sensor_loop())
        if self.settings.ai:
            jobs.append(self._ai_loop())
        if self.settings.field_staff:
            jobs.append(self._field_loop())
        await asyncio.gather(*jobs)

    async def refresh(self) -> None:
        rows, self.registry.cursor = await self.watcher.changes(self.registry.cursor)
        for task in self.registry.apply(rows):
            self._task_due.setdefault(task["id"], time.monotonic() + self.settings.field_delay_s)
        for sid, sensor in self.registry.sensors.items():
            rng = random.Random(f"{self.settings.seed}-{sid}")
            if sensor["kind"] == "disinfection_cabinet" and sid not in self.cabinets:
                self.cabinets[sid] = CabinetSensor(sid, rng)
            elif sensor["kind"] != "disinfection_cabinet" and sid not in self.rooms:
                self.rooms[sid] = RoomSensor(sid, rng)

    async def _refresh_loop(self) -> None:
        while True:
            await asyncio.sleep(1.0)
            try:
                await self.refresh()
            except (CentralError, aiohttp.ClientError, OSError) as exc:
                log.warning("registry refresh failed: %s", exc)

    def force_breach(self, sensor_id: str, value: float, seconds: float) -> bool:
        room = self.rooms.get(sensor_id)
        if room is None:
            return False
        room.force_breach(self.sim_now(), value, seconds * self.settings.speed)
        return True

    def readings(self, dt: float) -> list[dict[str, Any]]:
        now = self.sim_now()
        ts = datetime.now(UTC).isoformat()
        out = []
        for sid, room in self.rooms.items():
            temp, humidity = room.sample(now, self.settings.breach_rate_per_hour, dt)
            out.append({"sensor_id": sid, "ts": ts, "value": temp, "humidity": humidity})
        for sid, cabinet in self.cabinets.items():
            out.append({"sensor_id": sid, "ts": ts,
                        "value": cabinet.sample(now, self.settings.invalid_cycle_rate)})
        return out

    async def _sensor_loop(self) -> None:
        interval = 2.0
        while True:
            batch = self.readings(interval * self.settings.speed)
            if batch:
                try:
                    result = await self.gateway.request("POST", "/api/readings",
                                                        json={"readings": batch})
                    if result.get("rejected"):
                        log.warning("central rejected readings: %s", result["rejected"][:3])
                except (CentralError, aiohttp.ClientError, OSError) as exc:
                    log.warning("posting readings failed: %s", exc)
            await asyncio.sleep(interval)

    async def evidence(self, camera_id: str, violation: str, moment: Moment | None = None,
                       when: datetime | None = None) -> tuple[bytes, dict[str, float]]:
        """The snapshot and box of an AI event: the camera's own clip at a moment showing the
        violation, the box around the violator (clips without a timeline: a guess)."""
        when = when or datetime.now(UTC)
        moment = moment or self.moments.pick(clip_for(camera_id), violation, self.rng)
        if moment is not None:
            return await evidence_jpeg(moment, when), dict(moment.box)
        jpeg = self.media.snapshot(clip_for(camera_id)).read_bytes()
        box = {"x": round(self.rng.uniform(0.1, 0.6), 3), "y": round(self.rng.uniform(0.1, 0.5), 3),
               "w": round(self.rng.uniform(0.12, 0.3), 3),
               "h": round(self.rng.uniform(0.15, 0.35), 3)}
        return jpeg, box

    async def post_ai(self, camera_id: str, violation: str, moment: Moment | None = None,
                      with_clip: bool | None = None) -> dict[str, Any]:
        """One AI event; ``with_clip`` None: the box's clip comes along with
        :data:`CLIP_SHARE`, cut around the moment when there is one."""
        when = datetime.now(UTC)
        jpeg, box = await self.evidence(camera_id, violation, moment, when)
        extra: dict[str, str] = {}
        if with_clip if with_clip is not None else self.rng.random() < CLIP_SHARE:
            latest = max(0.0, SECONDS - CLIP_SECONDS - 1)
            start = (min(latest, max(0.0, moment.at - CLIP_SECONDS / 2)) if moment is not None
                     else self.rng.uniform(0.0, latest))
            try:
                data = await cut_clip(self.media.clip(clip_for(camera_id), "main"), start,
                                      self.rng.choice(FORMATS))
                extra["clip_b64"] = base64.b64encode(data).decode()
            except (ClipError, OSError, TimeoutError) as exc:
                log.warning("AI event sent without its clip: %s", exc)
        return await self.gateway.request("POST", "/api/events/ai", json={
            "camera_id": camera_id, "violation": violation,
            "ts": when.isoformat(),
            "confidence": round(self.rng.uniform(0.6, 0.98), 2),
            "box": box, "snapshot_jpeg_b64": base64.b64encode(jpeg).decode(), **extra})

    async def _ai_loop(self) -> None:
        while True:
            rate = max(self.settings.ai_per_hour * self.settings.speed, 1e-6)
            await asyncio.sleep(self.rng.expovariate(rate / 3600))
            if not self.registry.cameras:
                continue
            camera_id = self.rng.choice(sorted(self.registry.cameras))
            clip = clip_for(camera_id)
            moment = self.moments.pick(clip, None, self.rng)
            if moment is not None:
                # raised when the violator is in the picture the wall shows, not before
                await asyncio.sleep(delay_until(moment, self.playhead(clip)))
            violation = moment.violation if moment else self.rng.choice(AI_VIOLATIONS)
            try:
                await self.post_ai(camera_id, violation, moment)
            except (CentralError, aiohttp.ClientError, OSError) as exc:
                log.warning("posting an AI event failed: %s", exc)

    async def _field_client(self, username: str) -> CentralClient:
        client = self._field_clients.get(username)
        if client is None:
            client = CentralClient(self.session, self.central_url, username,
                                   self.settings.password)
            try:
                await client.request("GET", "/api/health")
            except CentralError:
                client = self.watcher  # not a demo account: act as the administrator
            self._field_clients[username] = client
        return client

    async def _field_loop(self) -> None:
        while True:
            await asyncio.sleep(0.5)
            now = time.monotonic()
            for task_id, task in list(self.registry.tasks.items()):
                action = FIELD_STEPS.get(task["state"])
                if action is None or now < self._task_due.get(task_id, now):
                    continue
                try:
                    await self._advance(task, action)
                except CentralError as exc:
                    log.info("field step %s on task %s refused: %s", action, task_id, exc)
                except (aiohttp.ClientError, OSError) as exc:
                    log.warning("field step failed: %s", exc)
                    continue
                self._task_due[task_id] = now + self.settings.field_delay_s

    async def _advance(self, task: dict[str, Any], action: str) -> None:
        client = await self._field_client(task.get("assignee") or "admin")
        payload: dict[str, Any] = {"task_id": task["id"], "action": action,
                                   "expected_version": task["version"]}
        if action == "rectify":
            photo = self.media.snapshot(self.rng.randrange(CLIP_COUNT)).read_bytes()
            uploaded = await client.request("POST", "/api/media", data=photo,
                                            headers={"Content-Type": "image/jpeg"})
            payload["attachment_url"] = uploaded["url"]
            payload["note"] = "已整改，上传整改照片"
        elif action == "accept":
            payload["note"] = "已接单"
        elif action == "arrive":
            payload["note"] = "已到达现场检查"
        else:
            payload["note"] = "整改完成，申请复核"
        idem = f"sim-{task['id']}-{task['version']}-{action}"
        result = await client.request("POST", "/api/actions", json={
            "idem_key": idem[:64], "kind": "task.transition", "payload": payload})
        updated = result.get("result", {}).get("task")
        if updated:
            self.registry.tasks[updated["id"]] = updated
