"""The evidence pack (证据包) of one alarm and its task, as a PDF the operator saves.

Collects what the cache holds (:mod:`console.alarms.context`) and what only central has (the
AI snapshot, the readings around the alarm, the photos field staff attached to the task's
steps), then lets :func:`widgets.evidence_pdf.export_evidence_pdf` lay it out. With the server
away the pack is still written from the cache, without the pictures it could not fetch, and
the operator is told which parts are missing.

Every picture is fetched through :meth:`ApiClient.fetch_bytes`, which accepts only central's
own ``/media/<sha256>`` references: an attachment or evidence address that points anywhere
else is refused before any request (the operator's token stays home) and named in
``missing`` with the reason in the operator's language.
"""

from __future__ import annotations

import contextlib
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QImage

from common.masking import mask_url
from console.alarms.context import AlarmContext
from console.media.errors import fetch_failure_text
from console.playback.ledger import ExportLedger
from console.sync.client import ApiClient, SyncError
from domain.clock import utcnow
from widgets import labels
from widgets.evidence_pdf import EvidencePack
from widgets.gauges import GaugeLimits
from widgets.models.rows import AlarmRow, BusinessCard, TaskEventRow, TaskRow, parse_ts

log = logging.getLogger("kitchenwatch.console.evidence")

TREND_BEFORE = timedelta(hours=6)  # the readings leading up to the alarm
TREND_AFTER = timedelta(hours=2)
MAX_ATTACHMENTS = 12
#: Task steps whose photos show the kitchen after the business put things right.
AFTER_STEPS = frozenset({"rectify", "submit_review", "close"})




@dataclass
class Collected:
    pack: EvidencePack
    missing: list[str] = field(default_factory=list)  # what could not be fetched, in words


def pack_file_name(business_name: str, business_id: str, alarm_id: str) -> str:
    """``evidence-<business>-<alarm id>.pdf`` without characters file systems refuse."""
    name = re.sub(r'[\\/:*?"<>|\s]+', "_", business_name).strip("_") or business_id
    prefix = QCoreApplication.translate("EvidenceExport", "evidence")
    return f"{prefix}-{name}-{alarm_id}.pdf"


def sensor_title(sensor: dict[str, Any] | None) -> str:
    """``Special room · 凉菜间``: what the trend chart is of."""
    if not sensor:
        return ""
    parts = (labels.sensor_kind(str(sensor.get("kind", ""))), str(sensor.get("location", "")))
    return " · ".join(p for p in parts if p)


def readings_path(sensor_id: str, alarm: dict[str, Any], now: datetime) -> str:
    opened = parse_ts(alarm.get("opened_at")) or now
    end = parse_ts(alarm.get("closed_at")) or parse_ts(alarm.get("last_seen_at")) or now
    start, stop = opened - TREND_BEFORE, min(now, max(end, opened) + TREND_AFTER)
    return (f"/api/sensors/{quote(sensor_id, safe='')}/readings?from="
            f"{quote(start.isoformat(), safe='')}&to={quote(stop.isoformat(), safe='')}"
            "&max_points=1500")


def exported_clips(ledger: ExportLedger, alarm_id: str
                   ) -> tuple[list[tuple[str, str, str, str]], list[tuple[str, bytes]]]:
    """The clips exported on this PC for the alarm (camera, range, SHA-256, file) and their
    key frames, for the pack."""
    rows, frames = [], []
    for clip in ledger.for_alarm(alarm_id):
        a = datetime.fromisoformat(clip.start).astimezone()
        b = datetime.fromisoformat(clip.end).astimezone()
        rows.append((clip.camera_name or clip.camera_id,
                     f"{a:%Y-%m-%d %H:%M:%S} – {b:%H:%M:%S}", clip.sha256, Path(clip.path).name))
        for path in clip.frames:
            with contextlib.suppress(OSError):
                frames.append((f"{a:%H:%M:%S}", Path(path).read_bytes()))
    return rows, frames


async def collect(ctx: AlarmContext, client: ApiClient, *, generated_by: str,
                  mask_personal: bool,
                  snapshot: bytes | QImage | None = None,
                  ledger: ExportLedger | None = None) -> Collected:
    """Build the pack; fetch failures are listed in ``missing``, never raised."""
    missing: list[str] = []
    alarm = AlarmRow.from_payload(ctx.alarm, business_name=ctx.business_name,
                                  district_name=ctx.district_name, place=ctx.place)
    card = None
    if ctx.business is not None:
        card = BusinessCard.from_payload(ctx.business, grid=ctx.grid,
                                         district_name=ctx.district_name,
                                         street_name=ctx.street_name,
                                         previous_alarms=ctx.previous_alarms,
                                         open_tasks=ctx.open_tasks)
    task = TaskRow.from_payload(ctx.task, business_name=ctx.business_name,
                                district_name=ctx.district_name) if ctx.task else None
    events = [TaskEventRow.from_payload(e) for e in ctx.events]

    if snapshot is None and alarm.evidence_url:
        try:
            snapshot = await client.fetch_bytes(alarm.evidence_url)
        except SyncError as exc:
            log.info("evidence image not fetched: %s", exc)
            missing.append(QCoreApplication.translate("EvidenceExport",
                                                      "the alarm's evidence image")
                           + f" ({fetch_failure_text(exc)})")

    points: list[Any] = []
    limits = None
    if alarm.sensor_id:
        sensor = ctx.sensor or {}
        limits = GaugeLimits.from_params(sensor.get("params"), str(sensor.get("kind", "")))
        try:
            body = await client.request("GET", readings_path(alarm.sensor_id, ctx.alarm,
                                                             utcnow()))
            points = list(body.get("points", []))
        except SyncError as exc:
            log.info("readings of %s not fetched: %s", alarm.sensor_id, exc)
            missing.append(QCoreApplication.translate("EvidenceExport", "the sensor trend"))

    attachments: dict[str, Any] = {}
    urls = [e.attachment_url for e in events if e.attachment_url]
    if task is not None and task.evidence_url:
        urls.insert(0, task.evidence_url)
    for url in dict.fromkeys(urls[:MAX_ATTACHMENTS]):
        try:
            attachments[url] = await client.fetch_bytes(url)
        except SyncError as exc:
            log.info("attachment not fetched: %s", exc)
            missing.append(QCoreApplication.translate("EvidenceExport", "photo %1")
                           .replace("%1", mask_url(url).rsplit("/", 1)[-1][:16])
                           + f" ({fetch_failure_text(exc)})")

    before: list[tuple[str, bytes]] = []
    after: list[tuple[str, bytes]] = []
    if task is not None and task.evidence_url in attachments:
        before.append((QCoreApplication.translate("EvidenceExport", "When dispatched"),
                       attachments[task.evidence_url]))
    for event in events:
        if event.attachment_url in attachments:
            target = after if event.action in AFTER_STEPS else before
            target.append((labels.task_action(event.action), attachments[event.attachment_url]))

    clips, clip_frames = exported_clips(ledger or ExportLedger(), alarm.id)
    pack = EvidencePack(
        alarm=alarm, business=card, task=task, events=events, snapshot=snapshot,
        trend_points=points, trend_limits=limits,
        trend_title=sensor_title(ctx.sensor),
        before_photos=before, after_photos=after, attachments=attachments,
        generated_by=generated_by, generated_at=utcnow(), mask_personal=mask_personal,
        clips=clips, clip_frames=clip_frames)
    return Collected(pack, missing)
