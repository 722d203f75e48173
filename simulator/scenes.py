"""Rendered demo kitchens: counters, stoves, sinks, steam, cooks walking between stations, a
rodent at night, and a timeline of who is where (numpy only; ffmpeg encodes and burns the OSD).

Why numpy frames piped to ffmpeg: measured on the 2-core demo machine, a 1280×720 frame here
costs ~3 ms (a static background per scene is drawn once; per frame only small sprites are
pasted and a few small regions blended), against ~25 ms for a QPainter frame (and Qt is not
allowed in the simulator) or a geq/overlay filter graph that re-evaluates every pixel. The
camera's on-screen display (date and time top-left, channel bottom-right, white with a dark
outline as Hikvision cameras draw it) is burnt in by ffmpeg's drawtext, so the glyphs are real
CJK text without a font rasteriser in Python.

Every motion is periodic in the clip length, so the last frame leads to the first and the
looped stream shows no jump (only the OSD clock starts over, as a recorded loop's would).
The timeline says per frame which cook is where, masked or not, hatted or not, and where the
rodent is; the simulator's AI events are drawn from it, so an alarm's box surrounds what is in
the picture at that moment.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Any

import numpy as np

W, H = 1280, 720
FLOOR_Y = 690          # where the cooks' feet are
COAT = (244, 246, 248)
SKIN = (226, 188, 160)


@dataclass(frozen=True)
class Scene:
    """One kitchen: its light (day, evening or night), its layout seed and its OSD."""

    light: str            # "day" | "evening" | "night"
    seed: int
    channel: str          # burnt bottom-right, as the camera's channel name
    clock: str            # scene's time of day at frame 0, "HH:MM:SS"
    cooks: int = 2


SCENES = [
    Scene("day", 1, "后厨操作间", "10:15:00", 3),
    Scene("day", 2, "热菜间", "11:32:10", 2),
    Scene("evening", 3, "后厨操作间", "18:46:30", 2),
    Scene("night", 4, "后厨操作间", "02:13:40", 0),
    Scene("day", 5, "面点间", "09:05:20", 2),
    Scene("evening", 6, "洗消间", "19:20:05", 2),
    Scene("day", 7, "凉菜间", "11:58:45", 3),
    Scene("night", 8, "库房", "03:41:15", 0),
]

LIGHT = {  # overall gain, colour tint (R, G, B) of the room light
    "day": (1.0, (1.0, 1.0, 1.0)),
    "evening": (0.72, (1.06, 0.93, 0.78)),
    "night": (0.085, (0.9, 0.95, 1.0)),
}


def _ellipse(h: int, w: int) -> np.ndarray:
    yy, xx = np.ogrid[:h, :w]
    cy, cx = (h - 1) / 2, (w - 1) / 2
    return (((yy - cy) / (h / 2)) ** 2 + ((xx - cx) / (w / 2)) ** 2) <= 1.0


def _fill(img: np.ndarray, alpha: np.ndarray, y: int, x: int, mask: np.ndarray,
          color: tuple[int, int, int]) -> None:
    h, w = mask.shape
    img[y:y + h, x:x + w][mask] = color
    alpha[y:y + h, x:x + w][mask] = 255


# -- sprites ------------------------------------------------------------------------------------
@dataclass
class Sprite:
    rgb: np.ndarray       # h×w×3 uint8
    alpha: np.ndarray     # h×w bool

    @property
    def size(self) -> tuple[int, int]:
        return self.rgb.shape[1], self.rgb.shape[0]


def cook_sprite(hat: bool, mask: bool, trousers: tuple[int, int, int]) -> Sprite:
    """A cook seen from the front: white coat, optional toque and mask (1280×720 scale)."""
    w, h = 130, 330
    rgb = np.zeros((h, w, 3), np.uint8)
    alpha = np.zeros((h, w), np.uint8)
    top = 0
    if hat:
        _fill(rgb, alpha, 6, 33, _ellipse(44, 64), (250, 250, 250))      # puffed top
        rgb[30:62, 40:90] = (236, 238, 240)
        alpha[30:62, 40:90] = 255
        rgb[56:62, 40:90] = (214, 216, 220)                               # hat band
    else:
        top = 30
        _fill(rgb, alpha, 46, 40, _ellipse(36, 50), (40, 32, 28))        # hair
    _fill(rgb, alpha, 52, 42, _ellipse(60, 46), SKIN)                    # face
    rgb[72:76, 52:60] = (40, 30, 30)
    rgb[72:76, 70:78] = (40, 30, 30)                                     # eyes
    if mask:
        _fill(rgb, alpha, 84, 44, _ellipse(28, 42), (170, 214, 236))     # blue mask
        rgb[86:88, 36:46] = rgb[86:88, 84:94] = (150, 190, 210)           # ear loops
    else:
        rgb[96:99, 57:73] = (150, 60, 60)                                # mouth
    rgb[108:118, 56:74] = SKIN                                           # neck
    alpha[108:118, 56:74] = 255
    body = np.zeros((130, 120), bool)
    body[10:, :] = True
    body[:10, 10:110] = True
    _fill(rgb, alpha, 114, 5, body, COAT)                                # coat
    rgb[124:240, 64:66] = (210, 212, 216)                                # placket
    for by in (140, 170, 200):
        rgb[by:by + 5, 56:61] = rgb[by:by + 5, 69:74] = (120, 120, 130)  # double buttons
    rgb[114:244, 0:14] = rgb[114:244, 116:130] = (232, 234, 238)          # sleeves
    alpha[114:244, 0:14] = alpha[114:244, 116:130] = 255
    rgb[236:254, 0:14] = rgb[236:254, 116:130] = SKIN                    # hands
    alpha[236:254, 0:14] = alpha[236:254, 116:130] = 255
    rgb[244:330, 20:62] = trousers
    rgb[244:330, 68:110] = trousers                                      # legs
    alpha[244:330, 20:62] = alpha[244:330, 68:110] = 255
    rgb[318:330, 14:62] = rgb[318:330, 68:116] = (30, 30, 30)             # shoes
    alpha[318:330, 14:62] = alpha[318:330, 68:116] = 255
    del top
    return Sprite(rgb, alpha > 0)


def rodent_sprite() -> Sprite:
    w, h = 70, 26
    rgb = np.zeros((h, w, 3), np.uint8)
    alpha = np.zeros((h, w), np.uint8)
    _fill(rgb, alpha, 6, 10, _ellipse(20, 44), (150, 140, 130))   # body (IR-lit grey)
    _fill(rgb, alpha, 8, 48, _ellipse(14, 18), (160, 150, 140))   # head
    _fill(rgb, alpha, 4, 52, _ellipse(8, 8), (175, 160, 150))     # ear
    rgb[12:14, 60:62] = (250, 250, 250)                           # eye shine
    rgb[16:18, 0:12] = (130, 120, 110)                            # tail
    alpha[16:18, 0:12] = 255
    return Sprite(rgb, alpha > 0)


def _steam_alpha() -> np.ndarray:
    yy, xx = np.mgrid[:90, :70]
    g = np.exp(-(((xx - 35) / 22.0) ** 2 + ((yy - 45) / 30.0) ** 2))
    return (g * 0.55).astype(np.float32)


STEAM = _steam_alpha()


# -- the room -----------------------------------------------------------------------------------
@dataclass
class Layout:
    """Where the stations are on this scene's back wall (x of each station's centre)."""

    stations: dict[str, int] = field(default_factory=dict)
    pots: list[tuple[int, int]] = field(default_factory=list)   # steam origins


def _background(scene: Scene) -> tuple[np.ndarray, Layout]:
    rng = random.Random(scene.seed)
    img = np.zeros((H, W, 3), np.float32)
    tile = np.array(rng.choice([(214, 222, 224), (222, 220, 210), (208, 218, 226)]), np.float32)
    img[:430] = tile
    img[:430:48, :] = tile * 0.85                                        # tile grout
    img[:430, ::48] = tile * 0.85
    floor = np.array(rng.choice([(150, 120, 100), (130, 132, 128), (160, 140, 118)]), np.float32)
    img[430:] = floor
    for y in range(430, H, 36):
        img[y:y + 2] = floor * 0.8
    # window on the back wall (sky by time of day)
    sky = {"day": (175, 210, 240), "evening": (232, 150, 110), "night": (20, 26, 48)}
    wx = rng.choice([60, 1000])
    img[50:190, wx:wx + 220] = (90, 94, 100)
    img[58:182, wx + 8:wx + 212] = sky[scene.light]
    img[58:182, wx + 108:wx + 112] = (90, 94, 100)
    layout = Layout()
    order = ["stove", "prep", "sink"]
    rng.shuffle(order)
    xs = [250, 640, 1030]
    for name, cx in zip(order, xs, strict=True):
        layout.stations[name] = cx
        # counter body (stainless steel) with a top edge
        x0, x1 = cx - 180, cx + 180
        steel = np.linspace(150, 200, 360, dtype=np.float32)[None, :, None]
        img[330:520, x0:x1] = steel
        img[322:334, x0:x1] = (215, 218, 222)
        img[400:404, x0 + 10:x1 - 10] = (120, 122, 126)                   # drawer line
        if name == "stove":
            img[200:300, x0 + 20:x1 - 20] = (110, 112, 118)               # hood
            img[196:204, x0 + 10:x1 - 10] = (150, 152, 158)
            for px in (cx - 95, cx + 95):
                img[292:322, px - 45:px + 45] = (60, 62, 66)              # wok / pot
                img[288:294, px - 50:px + 50] = (90, 92, 96)
                if scene.light != "night":
                    img[318:324, px - 30:px + 30] = (255, 150, 40)        # flame
                    layout.pots.append((px, 288))
        elif name == "sink":
            img[324:336, cx - 120:cx + 120] = (120, 128, 136)             # basin rim
            img[260:326, cx - 6:cx + 6] = (180, 184, 190)                 # tap
            img[260:270, cx - 6:cx + 40] = (180, 184, 190)
            img[60:130, cx - 150:cx + 150] = (200, 200, 196)              # shelf of bowls
            for bx in range(cx - 140, cx + 140, 40):
                img[96:126, bx:bx + 30] = (240, 240, 236)
        else:
            img[300:322, cx - 140:cx - 40] = (226, 196, 150)              # cutting board
            img[286:322, cx + 20:cx + 70] = (90, 160, 90)                 # greens box
            img[292:322, cx + 80:cx + 140] = (200, 80, 60)                # tomatoes box
            img[60:130, cx - 150:cx + 150] = (200, 200, 196)              # shelf of tubs
            for i, bx in enumerate(range(cx - 140, cx + 140, 56)):
                img[82:126, bx:bx + 44] = [(230, 230, 120), (120, 180, 230), (240, 240, 240),
                                          (230, 150, 120), (150, 220, 150)][i % 5]
    gain, tint = LIGHT[scene.light]
    img *= gain * np.array(tint, np.float32)
    if scene.light == "night":
        img[20:44, 560:650] = (40, 230, 90)                               # exit sign
        img[58:182, wx + 8:wx + 212] += (44, 40, 24)                      # street light
    return np.clip(img, 0, 255).astype(np.uint8), layout


# -- motion -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CookPlan:
    """A cook's loop: waypoints (x, dwell seconds, walk seconds) that add up to the clip."""

    ident: int
    route: tuple[tuple[int, float, float], ...]
    hat: bool
    unmasked: tuple[float, float] | None    # seconds of the loop with the mask pulled down
    trousers: tuple[int, int, int]
    depth: int                              # feet y offset (nearer cooks stand lower)


def _plans(scene: Scene, layout: Layout, seconds: float) -> list[CookPlan]:
    rng = random.Random(scene.seed * 7 + 1)
    names = list(layout.stations)
    plans = []
    for ident in range(scene.cooks):
        order = names[ident % 3:] + names[: ident % 3]
        dwell = seconds / len(order) - 2.0
        route = tuple((layout.stations[n] + rng.randint(-60, 60), dwell, 2.0) for n in order)
        # one cook per kitchen goes without a mask for a while; another without a hat
        unmasked = None
        if ident == 0:
            start = rng.choice([1.0, 8.0])
            unmasked = (start, start + 5.0)
        plans.append(CookPlan(ident, route, hat=not (ident == 1 and scene.seed % 2 == 0),
                              unmasked=unmasked,
                              trousers=rng.choice([(50, 52, 60), (70, 70, 74), (36, 40, 52)]),
                              depth=ident * 6))
    return plans


def _cook_x(plan: CookPlan, t: float, seconds: float) -> float:
    t %= seconds
    # rotate so cooks are spread over the loop
    t = (t + plan.ident * seconds / 5) % seconds
    legs = plan.route
    for i, (x, dwell, walk) in enumerate(legs):
        if t < dwell:
            return x
        t -= dwell
        nxt = legs[(i + 1) % len(legs)][0]
        if t < walk:
            f = t / walk
            f = f * f * (3 - 2 * f)
            return x + (nxt - x) * f
        t -= walk
    return legs[0][0]


@dataclass
class Renderer:
    """Draws frame n of one scene; ``timeline`` says what is in each frame."""

    scene: Scene
    fps: int
    seconds: int
    background: np.ndarray = field(init=False)
    layout: Layout = field(init=False)
    plans: list[CookPlan] = field(init=False)
    sprites: dict[tuple[bool, bool, tuple[int, int, int]], Sprite] = field(init=False)
    rodent: Sprite = field(init=False)

    def __post_init__(self) -> None:
        self.background, self.layout = _background(self.scene)
        self.plans = _plans(self.scene, self.layout, self.seconds)
        gain, tint = LIGHT[self.scene.light]
        self.sprites = {}
        for plan in self.plans:
            for masked in (True, False):
                sprite = cook_sprite(plan.hat, masked, plan.trousers)
                lit = sprite.rgb.astype(np.float32) * gain * np.array(tint, np.float32)
                self.sprites[(plan.hat, masked, plan.trousers)] = Sprite(
                    np.clip(lit, 0, 255).astype(np.uint8), sprite.alpha)
        self.rodent = rodent_sprite()

    @property
    def frames(self) -> int:
        return self.fps * self.seconds

    def _masked(self, plan: CookPlan, t: float) -> bool:
        if plan.unmasked is None:
            return True
        return not (plan.unmasked[0] <= t % self.seconds < plan.unmasked[1])

    def items(self, n: int) -> list[dict[str, Any]]:
        """What frame n shows, back to front: cooks and the rodent with their pixel boxes."""
        t = n / self.fps
        out: list[dict[str, Any]] = []
        for plan in sorted(self.plans, key=lambda p: p.depth):
            sprite = self.sprites[(plan.hat, self._masked(plan, t), plan.trousers)]
            w, h = sprite.size
            bob = round(2 * math.sin(2 * math.pi * t * 2))
            x = round(_cook_x(plan, t, self.seconds)) - w // 2
            y = FLOOR_Y + plan.depth - h + bob
            out.append({"kind": "cook", "id": plan.ident, "x": x, "y": y, "w": w, "h": h,
                        "masked": self._masked(plan, t), "hat": plan.hat})
        if self.scene.light == "night":
            # along the floor, in from the right, under the counters and back: one loop
            phase = (t / self.seconds) % 1.0
            w, h = self.rodent.size
            x = int(1180 - 1000 * (0.5 - 0.5 * math.cos(2 * math.pi * phase)))
            out.append({"kind": "rodent", "id": 100, "x": x, "y": 560 - h, "w": w, "h": h,
                        "facing": "right" if phase > 0.5 else "left"})
        return out

    def render(self, n: int, owners: np.ndarray | None = None) -> np.ndarray:
        """Frame n as H×W×3 RGB; ``owners`` (H×W int16, -1 = room) receives who owns each pixel."""
        t = n / self.fps
        frame = self.background.copy()
        if self.layout.pots:
            for i, (px, py) in enumerate(self.layout.pots):
                for puff in range(3):
                    phase = (t / 2.5 + puff / 3 + i * 0.17) % 1.0
                    y = int(py - 90 - phase * 150)
                    x = int(px - 35 + 12 * math.sin(2 * math.pi * (phase + i)))
                    a = STEAM * (1.0 - phase) * (LIGHT[self.scene.light][0])
                    region = frame[y:y + 90, x:x + 70].astype(np.float32)
                    region += (245.0 - region) * a[..., None]
                    frame[y:y + 90, x:x + 70] = region.astype(np.uint8)
        if self.scene.light == "night":
            # a passing car's headlights sweep the back wall through the window
            phase = (t / self.seconds) % 1.0
            cx = int(-300 + phase * (W + 600))
            x0, x1 = max(0, cx - 270), min(W, cx + 270)
            if x1 > x0:
                xs = np.arange(x0, x1, dtype=np.float32)
                band = np.exp(-(((xs - cx) / 90.0) ** 2))[None, :, None] * 150.0
                region = frame[40:430, x0:x1].astype(np.float32) + band
                frame[40:430, x0:x1] = np.clip(region, 0, 255).astype(np.uint8)
        for item in self.items(n):
            if item["kind"] == "cook":
                plan = self.plans[item["id"]]
                sprite = self.sprites[(plan.hat, item["masked"], plan.trousers)]
            else:
                sprite = self.rodent
                if item["facing"] == "right":
                    sprite = Sprite(sprite.rgb[:, ::-1], sprite.alpha[:, ::-1])
            self._paste(frame, sprite, item["x"], item["y"], owners, item["id"])
        return frame

    @staticmethod
    def _paste(frame: np.ndarray, sprite: Sprite, x: int, y: int, owners: np.ndarray | None,
               ident: int) -> None:
        w, h = sprite.size
        sx0, sy0 = max(0, -x), max(0, -y)
        x0, y0 = max(0, x), max(0, y)
        x1, y1 = min(W, x + w), min(H, y + h)
        if x1 <= x0 or y1 <= y0:
            return
        alpha = sprite.alpha[sy0:sy0 + y1 - y0, sx0:sx0 + x1 - x0]
        frame[y0:y1, x0:x1][alpha] = sprite.rgb[sy0:sy0 + y1 - y0, sx0:sx0 + x1 - x0][alpha]
        if owners is not None:
            owners[y0:y1, x0:x1][alpha] = ident

    # -- what the AI "sees" ---------------------------------------------------------------------
    def timeline(self) -> dict[str, Any]:
        frames = [self.items(n) for n in range(self.frames)]
        return {"fps": self.fps, "frames": self.frames, "size": [W, H],
                "light": self.scene.light, "channel": self.scene.channel,
                "clock": self.scene.clock, "items": frames,
                "events": self.events(frames)}

    def events(self, frames: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
        """One AI moment per episode: the middle frame where the violator stands clear of
        the others (so a box around them holds them and nobody else)."""
        episodes: dict[tuple[str, int], list[int]] = {}
        for n, items in enumerate(frames):
            for item in items:
                kinds = []
                if item["kind"] == "rodent":
                    kinds.append("rodent")
                elif not item["masked"]:
                    kinds.append("no_mask")
                if item["kind"] == "cook" and not item["hat"]:
                    kinds.append("no_chef_hat")
                if not kinds or not _clear(item, items):
                    continue
                for kind in kinds:
                    episodes.setdefault((kind, item["id"]), []).append(n)
        out = []
        for (kind, ident), ns in sorted(episodes.items()):
            # split into contiguous runs, one event per run of at least a second
            runs: list[list[int]] = [[ns[0]]]
            for n in ns[1:]:
                if n == runs[-1][-1] + 1:
                    runs[-1].append(n)
                else:
                    runs.append([n])
            for run in runs:
                if len(run) < self.fps:
                    continue
                n = run[len(run) // 2]
                item = next(i for i in frames[n] if i["id"] == ident)
                out.append({"violation": kind, "frame": n, "id": ident,
                            "first": run[0], "last": run[-1], "box": _norm_box(item)})
        return out


def _clear(item: dict[str, Any], items: list[dict[str, Any]]) -> bool:
    for other in items:
        if other is item:
            continue
        if other["x"] < item["x"] + item["w"] and item["x"] < other["x"] + other["w"] and \
                other["y"] < item["y"] + item["h"] and item["y"] < other["y"] + other["h"]:
            return False
    return item["x"] >= 0 and item["x"] + item["w"] <= W


def _norm_box(item: dict[str, Any]) -> dict[str, float]:
    pad = 6
    x0, y0 = max(0, item["x"] - pad), max(0, item["y"] - pad)
    x1, y1 = min(W, item["x"] + item["w"] + pad), min(H, item["y"] + item["h"] + pad)
    return {"x": round(x0 / W, 4), "y": round(y0 / H, 4), "w": round((x1 - x0) / W, 4),
            "h": round((y1 - y0) / H, 4)}
