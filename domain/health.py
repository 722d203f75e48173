"""A camera's stream health as the protocol carries it (``camera.health``).

Consoles report what their wall sees; central stores it on the camera and raises or clears a
``device_offline`` alarm (subtype = the health) from it.
"""

from __future__ import annotations

import enum


class CameraHealth(enum.StrEnum):
    ONLINE = "online"  # the media platform says the device is up (no picture judged)
    PLAYING = "playing"  # a wall decodes moving pictures
    OFFLINE = "offline"
    FROZEN = "frozen"  # the picture stopped changing
    BLACK = "black"  # the picture is black (lens covered, camera dark)
    STALLED = "stalled"  # a viewer's own link is reconnecting: no verdict on the camera
    UNKNOWN = "unknown"


#: Verdicts that clear a camera's ``device_offline`` alarm.
HEALTHY: frozenset[CameraHealth] = frozenset({CameraHealth.ONLINE, CameraHealth.PLAYING})
#: Verdicts that raise it.
ALARMING: frozenset[CameraHealth] = frozenset({CameraHealth.OFFLINE, CameraHealth.FROZEN,
                                                CameraHealth.BLACK})
#: Everything central accepts in ``camera.health`` and ingest.
CAMERA_HEALTH: frozenset[str] = frozenset(health.value for health in CameraHealth)

#: A wall tile's state (``videowall.StreamState`` value) → the health a console reports;
#: connecting / idle are no verdict and report nothing.
HEALTH_OF_TILE_STATE: dict[str, CameraHealth] = {
    "playing": CameraHealth.PLAYING, "offline": CameraHealth.OFFLINE,
    "frozen": CameraHealth.FROZEN, "black": CameraHealth.BLACK,
    "reconnecting": CameraHealth.STALLED,
}
