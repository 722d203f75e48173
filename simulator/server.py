"""The simulated media platform: live camera streams by camera id, plus a control API for
fault injection and forced events (used by tests and demonstrations)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web

from common.aio import within
from simulator.hls import HlsManager
from simulator.media import SECONDS, MediaSet, clip_for
from simulator.streams import StreamHub

log = logging.getLogger("kitchenwatch.sim.server")
FAULTS = ("offline", "frozen", "black", "stall")
VARIANTS = ("sub", "main")

MEDIA = web.AppKey("media", MediaSet)
HUB = web.AppKey("hub", StreamHub)
HLS = web.AppKey("hls", HlsManager)
FAULT_MAP = web.AppKey("faults", dict)
CONTROL = web.AppKey("control", object)


def _source(app: web.Application, camera_id: str, variant: str) -> tuple[str, Any]:
    fault = app[FAULT_MAP].get(camera_id)
    clip: int | str = fault if fault in ("frozen", "black") else clip_for(camera_id)
    return f"{clip}-{variant}", app[MEDIA].clip(clip, variant)


def _variant(request: web.Request) -> tuple[str, str]:
    camera_id = request.match_info["camera_id"]
    variant = request.match_info["variant"]
    if variant not in VARIANTS or not camera_id or len(camera_id) > 64:
        raise web.HTTPNotFound(text="no such stream")
    return camera_id, variant


async def live_ts(request: web.Request) -> web.StreamResponse:
    app = request.app
    camera_id, variant = _variant(request)
    fault = app[FAULT_MAP].get(camera_id)
    if fault == "offline":
        raise web.HTTPServiceUnavailable(text=f"camera {camera_id} is offline")
    key, clip = _source(app, camera_id, variant)
    producer = await app[HUB].producer(key, clip)
    sub = producer.subscribe()
    response = web.StreamResponse(headers={"Content-Type": "video/mp2t",
                                           "Cache-Control": "no-cache"})
    await response.prepare(request)
    loop = asyncio.get_running_loop()
    try:
        while True:
            current = app[FAULT_MAP].get(camera_id)
            if current != fault:
                break  # the source changed: close, the player reconnects to the new one
            if current == "stall":
                await asyncio.sleep(0.2)
                continue
            try:
                chunk = await within(sub.queue.get(), 1.0)
            except TimeoutError:
                continue
            if chunk is None:
                break
            await response.write(chunk)
    except (ConnectionResetError, asyncio.CancelledError):
        pass
    finally:
        producer.unsubscribe(sub, loop.time())
    return response


async def hls_file(request: web.Request) -> web.StreamResponse:
    camera_id, variant = _variant(request)
    name = request.match_info["name"]
    if request.app[FAULT_MAP].get(camera_id) == "offline":
        raise web.HTTPServiceUnavailable(text=f"camera {camera_id} is offline")
    key, clip = _source(request.app, camera_id, variant)
    writer = await request.app[HLS].writer(key, clip)
    if not await writer.ensure():
        raise web.HTTPServiceUnavailable(text="stream not ready")
    if name == "index.m3u8":
        return web.Response(body=writer.playlist.read_bytes(),
                            content_type="application/vnd.apple.mpegurl",
                            headers={"Cache-Control": "no-cache"})
    if "/" in name or not name.endswith(".ts"):
        raise web.HTTPNotFound(text="no such segment")
    path = writer.dir / name
    if not path.exists():
        raise web.HTTPNotFound(text="segment expired")
    return web.FileResponse(path, headers={"Content-Type": "video/mp2t"})


async def set_fault(request: web.Request) -> web.Response:
    camera_id = request.match_info["camera_id"]
    try:
        body = await request.json()
    except ValueError:
        raise web.HTTPBadRequest(text="body must be JSON") from None
    fault = body.get("fault") if isinstance(body, dict) else "?"
    if fault is not None and fault not in FAULTS:
        raise web.HTTPBadRequest(text=f"fault must be one of {', '.join(FAULTS)} or null")
    faults = request.app[FAULT_MAP]
    if fault is None:
        faults.pop(camera_id, None)
    else:
        faults[camera_id] = fault
    log.info("camera %s fault -> %s", camera_id, fault)
    return web.json_response({"camera_id": camera_id, "fault": fault})


async def list_faults(request: web.Request) -> web.Response:
    return web.json_response(request.app[FAULT_MAP])


def _kitchens(request: web.Request) -> Any:
    kitchens = request.app[CONTROL]
    if kitchens is None:
        raise web.HTTPConflict(text="the simulator runs without central (--central not given)")
    return kitchens


async def force_breach(request: web.Request) -> web.Response:
    kitchens = _kitchens(request)
    sensor_id = request.match_info["sensor_id"]
    try:
        body = await request.json()
        value = float(body.get("value", 28.0))
        seconds = float(body.get("seconds", 600))
    except (ValueError, TypeError, AttributeError):
        raise web.HTTPBadRequest(text="body must be JSON {value, seconds}") from None
    if not kitchens.force_breach(sensor_id, value, seconds):
        raise web.HTTPNotFound(text=f"no special-room sensor {sensor_id}")
    return web.json_response({"sensor_id": sensor_id, "value": value, "seconds": seconds})


async def force_ai(request: web.Request) -> web.Response:
    kitchens = _kitchens(request)
    try:
        body = await request.json()
        camera_id, violation = body["camera_id"], body["violation"]
        with_clip = body.get("clip")
        if with_clip is not None and not isinstance(with_clip, bool):
            raise TypeError
    except (ValueError, KeyError, TypeError, AttributeError):
        raise web.HTTPBadRequest(text="body must be JSON {camera_id, violation, clip?: "
                                      "true|false}") from None
    from simulator.client import CentralError

    try:
        return web.json_response(await kitchens.post_ai(camera_id, violation,
                                                        with_clip=with_clip))
    except CentralError as exc:
        return web.json_response({"error": str(exc)}, status=exc.status)


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok", "producers": len(request.app[HUB].producers)})


async def _cleanup(app: web.Application) -> Any:
    yield
    await app[HUB].close()
    await app[HLS].close()


def create_app(media: MediaSet, kitchens: Any = None) -> web.Application:
    app = web.Application()
    app[CONTROL] = kitchens
    app[MEDIA] = media
    app[HUB] = StreamHub()
    if kitchens is not None:  # its AI events wait for their moment in the clip on the wall
        kitchens.playhead = lambda clip: app[HUB].playhead(clip, SECONDS)
    app[HLS] = HlsManager()
    app[FAULT_MAP] = {}
    app.cleanup_ctx.append(_cleanup)
    app.router.add_get("/live/{camera_id}/{variant}.ts", live_ts)
    app.router.add_get("/hls/{camera_id}/{variant}/{name}", hls_file)
    app.router.add_post("/control/cameras/{camera_id}", set_fault)
    app.router.add_get("/control/cameras", list_faults)
    app.router.add_post("/control/sensors/{sensor_id}", force_breach)
    app.router.add_post("/control/ai", force_ai)
    app.router.add_get("/health", health)
    return app
