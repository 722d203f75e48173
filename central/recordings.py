"""Recordings: the recorders' side (plan, index, prune, status) and playback (index, segments
with HTTP ranges, one continuous clip for a time range).

Recorders are ``device`` principals (or admin): they ask what to record (``GET
/api/recorder/plan``), index each finished segment (``POST /api/recordings/segments``), ask which
files to delete (``POST /api/recordings/prune``: central decides, so an evidence lock is honoured
in the same transaction that deletes the index rows) and report a full disk (``POST
/api/recordings/status``, an alarm of kind ``recorder`` per camera that stopped recording).

Playback is for the office and the demonstration viewer, scoped like cameras: a district user
sees their district's recordings only (404 for any other), field staff never see any. A segment
is served from the file its recorder wrote, with ``Range`` support (206/416 by aiohttp's
``FileResponse``); ``clip.m3u8`` is an HLS playlist over a time range's segments and
``clip.ts`` the same segments as one MPEG-TS stream, both without re-encoding.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web
from sqlalchemy import and_, delete, or_, select
from sqlalchemy.orm import Session

from central.alarms import apply_decision
from central.context import CONFIG, DB, principal_of
from central.errors import ApiError, invalid, not_found, read_object
from central.rules import Decision
from central.schemas import recordings as schema
from central.schemas.common import validate, validate_query
from central.scope import INGESTS, Principal
from db.models import Camera, RecordingLock, RecordingPolicy, RecordingSegment
from domain.alarms import AlarmKind, Severity
from domain.clock import utcnow
from domain.recordings import RecordingMode
from domain.roles import Role

routes = web.RouteTableDef()

#: Who may watch recordings: the office and the demonstration viewer (field staff never).
WATCHES_RECORDINGS = frozenset({Role.ADMIN, Role.OPERATOR, Role.DISTRICT, Role.VIEWER})
#: Two segments closer than this are one recorded range (a key-frame cut is not a gap).
GAP_TOLERANCE = timedelta(seconds=2)
MAX_RANGE = timedelta(days=31)
DISK_FULL = "disk_full"


def _iso(ts: datetime) -> str:
    return ts.isoformat().replace("+00:00", "Z")


# --------------------------------------------------------------------------- the plan


def _specificity(policy: RecordingPolicy) -> int:
    return 3 if policy.camera_id else 2 if policy.business_id else 1 if policy.district_id else 0


def _applies(policy: RecordingPolicy, camera: Camera) -> bool:
    if policy.camera_id:
        return policy.camera_id == camera.id
    if policy.business_id:
        return policy.business_id == camera.business_id
    if policy.district_id:
        return policy.district_id == camera.district_id
    return True


def plan(session: Session, principal: Principal, now: datetime) -> dict[str, Any]:
    """Every camera in the caller's scope that some live policy records, with its modes.

    For each mode the most specific policy wins (camera over business over district over the
    city); on-demand policies count until their ``until``."""
    policies = [p for p in session.scalars(select(RecordingPolicy))
                if p.until is None or p.until > now]
    if not policies:
        return {"cameras": [], "now": _iso(now)}
    stmt = select(Camera)
    scope = principal.district_scope
    if scope is not None:
        stmt = stmt.where(Camera.district_id == scope)
    if not any(_specificity(p) < 3 for p in policies):
        stmt = stmt.where(Camera.id.in_({p.camera_id for p in policies}))
    cameras = []
    for camera in session.scalars(stmt.order_by(Camera.id)):
        modes: dict[str, dict[str, Any]] = {}
        chosen: dict[str, RecordingPolicy] = {}
        for policy in policies:
            if _applies(policy, camera):
                best = chosen.get(policy.mode)
                if best is None or _specificity(policy) > _specificity(best):
                    chosen[policy.mode] = policy
        for mode, policy in chosen.items():
            modes[mode] = {"retention_days": policy.retention_days, "pre_s": policy.pre_s,
                           "post_s": policy.post_s,
                           "until": _iso(policy.until) if policy.until else None}
        if modes:
            cameras.append({"camera_id": camera.id, "district_id": camera.district_id,
                            "url": camera.main_url or camera.sub_url, "modes": modes})
    return {"cameras": cameras, "now": _iso(now)}


@routes.get("/api/recorder/plan")
async def get_plan(request: web.Request) -> web.Response:
    principal = await principal_of(request, INGESTS, "record video")
    validate_query(schema.PlanQuery, request.query)
    now = utcnow()
    return web.json_response(await request.app[DB].read(lambda s: plan(s, principal, now)))


# --------------------------------------------------------------------------- the index


def _camera_in_scope(session: Session, principal: Principal, camera_id: str) -> Camera:
    camera = session.get(Camera, camera_id)
    if camera is None or not principal.in_district(camera.district_id):
        raise not_found("camera", camera_id)
    return camera


def index_segments(session: Session, principal: Principal,
                   body: schema.SegmentsBody) -> dict[str, Any]:
    """Insert the segments not indexed yet (a repeat after a lost reply changes nothing)."""
    ids = [seg.id for seg in body.segments]
    known = set(session.scalars(select(RecordingSegment.id)
                                .where(RecordingSegment.id.in_(ids)))) if ids else set()
    accepted = 0
    for index, seg in enumerate(body.segments):
        if seg.id in known:
            continue
        try:
            camera = _camera_in_scope(session, principal, seg.camera_id)
        except ApiError as exc:
            raise ApiError(404, "not_found", f"segments[{index}].camera_id: {exc.message}") \
                from None
        if seg.end <= seg.start:
            raise invalid(f"segments[{index}].end: {_iso(seg.end)} is not after the start "
                          f"{_iso(seg.start)}")
        known.add(seg.id)
        session.add(RecordingSegment(
            id=seg.id, recorder=body.recorder, camera_id=camera.id,
            district_id=camera.district_id, start=seg.start, end=seg.end, bytes=seg.bytes,
            codec=seg.codec, path=seg.path, reason=seg.reason,
            expires_at=seg.end + timedelta(days=seg.retention_days)))
        accepted += 1
    return {"accepted": accepted}


@routes.post("/api/recordings/segments")
async def post_segments(request: web.Request) -> web.Response:
    principal = await principal_of(request, INGESTS, "index recordings")
    body = await read_object(request, request.app[CONFIG].max_body_bytes,
                             '{"recorder", "segments": [...]}')
    parsed = validate(schema.SegmentsBody, body)
    return web.json_response(
        await request.app[DB].write(lambda s: index_segments(s, principal, parsed)))


def _locked_ranges(session: Session, camera_ids: Sequence[str] | None = None
                   ) -> dict[str, list[tuple[datetime, datetime]]]:
    stmt = select(RecordingLock.camera_id, RecordingLock.start, RecordingLock.end)
    if camera_ids is not None:
        stmt = stmt.where(RecordingLock.camera_id.in_(camera_ids))
    out: dict[str, list[tuple[datetime, datetime]]] = {}
    for camera_id, start, end in session.execute(stmt):
        out.setdefault(camera_id, []).append((start, end))
    return out


def _is_locked(locks: dict[str, list[tuple[datetime, datetime]]],
               seg: RecordingSegment) -> bool:
    return any(start < seg.end and seg.start < end for start, end in locks.get(seg.camera_id, ()))


def prune(session: Session, principal: Principal, body: schema.PruneBody,
          now: datetime) -> dict[str, Any]:
    """Delete (from the index) this recorder's expired segments, then its oldest ones until
    ``free_bytes`` are freed; never one that overlaps an evidence lock. The recorder deletes the
    files after this commits, so the index never names a file that is gone."""
    scope = principal.district_scope
    mine = select(RecordingSegment).where(RecordingSegment.recorder == body.recorder)
    if scope is not None:
        mine = mine.where(RecordingSegment.district_id == scope)
    locks = _locked_ranges(session)
    chosen: list[RecordingSegment] = []
    taken: set[str] = set()
    locked_bytes = 0
    freed = 0
    expired = mine.where(RecordingSegment.expires_at < now).order_by(RecordingSegment.expires_at)
    oldest = mine.order_by(RecordingSegment.start)
    for stmt, enough in ((expired, None), (oldest, body.free_bytes)):
        if enough is not None and freed >= enough:
            break
        # Locked segments are skipped, not counted as progress: page past them.
        for seg in session.scalars(stmt.limit(body.limit + len(taken) + 10_000)):
            if seg.id in taken:
                continue
            if _is_locked(locks, seg):
                locked_bytes += seg.bytes
                continue
            chosen.append(seg)
            taken.add(seg.id)
            freed += seg.bytes
            if len(chosen) >= body.limit or (enough is not None and freed >= enough):
                break
        if len(chosen) >= body.limit:
            break
    if chosen:
        session.execute(delete(RecordingSegment)
                        .where(RecordingSegment.id.in_([seg.id for seg in chosen])))
    return {"deleted": [{"id": seg.id, "path": seg.path, "bytes": seg.bytes} for seg in chosen],
            "locked_bytes": locked_bytes}


@routes.post("/api/recordings/prune")
async def post_prune(request: web.Request) -> web.Response:
    principal = await principal_of(request, INGESTS, "prune recordings")
    body = await read_object(request, 64 * 1024, '{"recorder", "free_bytes"}')
    parsed = validate(schema.PruneBody, body)
    now = utcnow()
    return web.json_response(
        await request.app[DB].write(lambda s: prune(s, principal, parsed, now)))


def recorder_status(session: Session, principal: Principal,
                    body: schema.RecorderStatus) -> dict[str, Any]:
    """Open (disk full) or clear the ``recorder``/``disk_full`` alarm of each camera named."""
    changed = 0
    for camera_id in dict.fromkeys(body.camera_ids):
        camera = session.get(Camera, camera_id)
        if camera is None or not principal.in_district(camera.district_id):
            continue  # a camera deleted meanwhile: nothing to tell anyone about
        message = (f"Recording of {camera.name} stopped: the disk of recorder {body.recorder} "
                   f"is full" + (f" ({body.message})" if body.message else ""))
        decision = Decision(AlarmKind.RECORDER, DISK_FULL, body.disk_full, Severity.MAJOR,
                            message=message if body.disk_full else "")
        if apply_decision(session, decision, district_id=camera.district_id,
                          business_id=camera.business_id, camera_id=camera.id) is not None:
            changed += 1
    return {"changed": changed}


@routes.post("/api/recordings/status")
async def post_status(request: web.Request) -> web.Response:
    principal = await principal_of(request, INGESTS, "report recorder status")
    body = await read_object(request, 1024 * 1024, '{"recorder", "disk_full", "camera_ids"}')
    parsed = validate(schema.RecorderStatus, body)
    return web.json_response(
        await request.app[DB].write(lambda s: recorder_status(s, principal, parsed)))


# --------------------------------------------------------------------------- playback


@dataclass(frozen=True)
class Found:
    """Segments of one camera overlapping a time range, oldest first, with its locks."""

    segments: list[RecordingSegment]
    locks: list[RecordingLock]


def _watchable_camera(session: Session, principal: Principal, camera_id: str) -> Camera:
    camera = session.get(Camera, camera_id)
    if camera is None or not principal.can_see("camera", camera.district_id):
        raise not_found("camera", camera_id)
    return camera


def find(session: Session, principal: Principal, camera_id: str, start: datetime,
         end: datetime) -> Found:
    """The camera's segments and locks in [start, end). The camera is looked up first (404
    outside the scope), then the range is checked: the description cannot state "to after
    from", like the sensor readings' range."""
    _watchable_camera(session, principal, camera_id)
    if end <= start:
        raise ApiError(400, "bad_request", "query parameter to: must be after from")
    if end - start > MAX_RANGE:
        raise ApiError(400, "bad_request",
                       f"query parameter to: at most {MAX_RANGE.days} days after from")
    segments = list(session.scalars(
        select(RecordingSegment)
        .where(RecordingSegment.camera_id == camera_id, RecordingSegment.start < end,
               RecordingSegment.end > start)
        .order_by(RecordingSegment.start)))
    locks = list(session.scalars(
        select(RecordingLock).where(RecordingLock.camera_id == camera_id,
                                    RecordingLock.start < end, RecordingLock.end > start)
        .order_by(RecordingLock.start)))
    return Found(segments, locks)


def ranges_of(segments: Sequence[RecordingSegment]) -> list[tuple[datetime, datetime]]:
    """Recorded ranges: segments closer than :data:`GAP_TOLERANCE` are joined."""
    out: list[tuple[datetime, datetime]] = []
    for seg in segments:
        if out and seg.start - out[-1][1] <= GAP_TOLERANCE:
            out[-1] = (out[-1][0], max(out[-1][1], seg.end))
        else:
            out.append((seg.start, seg.end))
    return out


def gaps_of(ranges: Sequence[tuple[datetime, datetime]], start: datetime,
            end: datetime) -> list[tuple[datetime, datetime]]:
    gaps, cursor = [], start
    for r_start, r_end in ranges:
        if r_start > cursor:
            gaps.append((cursor, min(r_start, end)))
        cursor = max(cursor, r_end)
    if cursor < end:
        gaps.append((cursor, end))
    return gaps


def _query(request: web.Request) -> schema.RecordingsQuery:
    query: schema.RecordingsQuery = validate_query(schema.RecordingsQuery, request.query)
    return query


@routes.get("/api/recordings")
async def get_recordings(request: web.Request) -> web.Response:
    principal = await principal_of(request, WATCHES_RECORDINGS, "watch recordings")
    query = _query(request)
    found = await request.app[DB].read(
        lambda s: find(s, principal, query.camera, query.from_, query.to))
    ranges = ranges_of(found.segments)
    lock_ranges = {found_lock.id: (found_lock.start, found_lock.end) for found_lock in found.locks}
    return web.json_response({
        "camera_id": query.camera,
        "segments": [{"id": seg.id, "start": _iso(seg.start), "end": _iso(seg.end),
                      "bytes": seg.bytes, "codec": seg.codec, "reason": seg.reason,
                      "locked": any(a < seg.end and seg.start < b
                                    for a, b in lock_ranges.values())}
                     for seg in found.segments],
        "ranges": [{"start": _iso(a), "end": _iso(b)} for a, b in ranges],
        "gaps": [{"start": _iso(a), "end": _iso(b)}
                 for a, b in gaps_of(ranges, query.from_, query.to)],
        "locks": [{"id": lock.id, "start": _iso(lock.start), "end": _iso(lock.end),
                   "reason": lock.reason, "created_by": lock.created_by}
                  for lock in found.locks],
    })


def segment_file(root: Path, seg: RecordingSegment) -> Path:
    """The segment's file, refused if its stored path would lead outside its recorder's root."""
    base = (root / seg.recorder).resolve()
    path = (base / seg.path).resolve()
    if not path.is_relative_to(base):
        raise not_found("recording", seg.id)
    return path


def _segments_on_disk(request: web.Request, segments: Sequence[RecordingSegment]) -> list[Path]:
    root = request.app[CONFIG].recordings_dir
    files = [segment_file(root, seg) for seg in segments]
    return [f for f in files if f.is_file()]


_CLIP_TYPES = {"ts": "video/mp2t", "m3u8": "application/vnd.apple.mpegurl"}


@routes.get(r"/api/recordings/clip.{ext:(m3u8|ts)}")
async def get_clip(request: web.Request) -> web.StreamResponse:
    """One continuous clip for a time range: an HLS playlist over the segments or the segments
    concatenated as one MPEG-TS stream. 404 when nothing was recorded in the range.

    The playlist links each segment by path alone: a client fetches them with the same
    ``Authorization`` header (ffmpeg ``-headers``, hls.js ``xhrSetup``). It never embeds the
    caller's token — a playlist is a file players cache and users save, and a token in it would
    outlive the moment. A player that cannot send a header opens a signed address
    (:mod:`central.playback_links`) instead."""
    principal = await principal_of(request, WATCHES_RECORDINGS, "watch recordings")
    query = _query(request)
    found = await request.app[DB].read(
        lambda s: find(s, principal, query.camera, query.from_, query.to))
    if not found.segments:
        raise ApiError(404, "not_found", f"no recording of camera {query.camera} between "
                                         f"{_iso(query.from_)} and {_iso(query.to)}")
    ext = request.match_info["ext"]
    if ext == "m3u8":
        longest = max((seg.end - seg.start).total_seconds() for seg in found.segments)
        lines = ["#EXTM3U", "#EXT-X-VERSION:3", f"#EXT-X-TARGETDURATION:{int(longest) + 1}",
                 "#EXT-X-MEDIA-SEQUENCE:0", "#EXT-X-PLAYLIST-TYPE:VOD"]
        previous: RecordingSegment | None = None
        for seg in found.segments:
            if previous is not None and seg.start - previous.end > GAP_TOLERANCE:
                lines.append("#EXT-X-DISCONTINUITY")
            lines.append(f"#EXT-X-PROGRAM-DATE-TIME:{_iso(seg.start)}")
            lines.append(f"#EXTINF:{(seg.end - seg.start).total_seconds():.3f},")
            lines.append(f"/api/recordings/{seg.id}.ts")
            previous = seg
        lines.append("#EXT-X-ENDLIST")
        return web.Response(text="\n".join(lines) + "\n", content_type=_CLIP_TYPES[ext],
                            headers={"Cache-Control": "private, no-store"})
    return await stream_ts(request, found.segments)


async def stream_ts(request: web.Request,
                    segments: Sequence[RecordingSegment]) -> web.StreamResponse:
    """The segments' files as one MPEG-TS stream, without re-encoding (``clip.ts`` and the
    signed playback address of :mod:`central.playback_links`)."""
    files = _segments_on_disk(request, segments)
    sizes = [f.stat().st_size for f in files]
    total = sum(sizes)
    first, last = byte_range(request.headers.get("Range", ""), total)
    headers = {"Content-Type": _CLIP_TYPES["ts"], "Cache-Control": "private, no-store",
               "Accept-Ranges": "bytes"}
    status = 200
    if (first, last) != (0, total - 1) and request.headers.get("Range"):
        status = 206
        headers["Content-Range"] = f"bytes {first}-{last}/{total}"
    response = web.StreamResponse(status=status, headers=headers)
    response.content_length = max(0, last - first + 1)
    await response.prepare(request)
    loop = asyncio.get_running_loop()
    offset = 0
    for path, size in zip(files, sizes, strict=True):
        lo, hi = max(first - offset, 0), min(last - offset, size - 1)
        offset += size
        if lo > hi:
            continue
        with contextlib.suppress(FileNotFoundError), open(path, "rb") as fh:
            fh.seek(lo)
            left = hi - lo + 1
            while left > 0 and (chunk := await loop.run_in_executor(
                    None, fh.read, min(256 * 1024, left))):
                left -= len(chunk)
                await response.write(chunk)
    await response.write_eof()
    return response


def byte_range(header: str, total: int) -> tuple[int, int]:
    """``(first, last)`` of a single ``Range: bytes=`` request over ``total`` bytes (the whole
    when absent or not a single range); 416 when it starts beyond the end. A player seeks in
    a clip with it (libVLC treats an HTTP input with ranges as seekable)."""
    whole = (0, total - 1)
    if not header.startswith("bytes=") or "," in header:
        return whole
    a, _, b = header[6:].strip().partition("-")
    try:
        if not a:
            n = int(b)
            return (max(total - n, 0), total - 1) if n > 0 else whole
        first = int(a)
        last = min(int(b), total - 1) if b else total - 1
    except ValueError:
        return whole
    if first >= total or first > last:
        raise web.HTTPRequestRangeNotSatisfiable(headers={"Content-Range": f"bytes */{total}"})
    return first, last


@routes.get(r"/api/recordings/{segment:[A-Za-z0-9][A-Za-z0-9_-]*}.ts")
@routes.get(r"/api/recordings/{segment:[A-Za-z0-9][A-Za-z0-9_-]*}")
async def get_segment(request: web.Request) -> web.StreamResponse:
    """One segment file, with ``Range`` (206, ``Content-Range``; 416 outside the file). The
    ``.ts`` form is what playlists link: FFmpeg's HLS reader takes only media extensions."""
    principal = await principal_of(request, WATCHES_RECORDINGS, "watch recordings")
    ident = request.match_info["segment"]

    def work(session: Session) -> RecordingSegment:
        seg = session.get(RecordingSegment, ident)
        if seg is None or not principal.can_see("camera", seg.district_id):
            raise not_found("recording", ident)
        session.expunge(seg)
        return seg

    seg = await request.app[DB].read(work)
    path = segment_file(request.app[CONFIG].recordings_dir, seg)
    if not path.is_file():
        raise ApiError(404, "not_found", f"recording {ident} is indexed but its file is "
                                         f"missing on this server")
    return web.FileResponse(path, headers={"Content-Type": "video/mp2t",
                                           "Cache-Control": "private, max-age=3600"})


# --------------------------------------------------------------------------- actions


def active_demand(session: Session, camera_id: str, now: datetime) -> RecordingPolicy | None:
    return session.scalars(select(RecordingPolicy).where(
        RecordingPolicy.camera_id == camera_id, RecordingPolicy.mode == RecordingMode.DEMAND,
        or_(RecordingPolicy.until.is_(None), RecordingPolicy.until > now))).first()


def overlapping_locks(session: Session, camera_id: str, start: datetime,
                      end: datetime) -> list[RecordingLock]:
    return list(session.scalars(select(RecordingLock).where(and_(
        RecordingLock.camera_id == camera_id, RecordingLock.start < end,
        RecordingLock.end > start))))
