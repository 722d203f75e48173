"""The operator's settings: one JSON file per user in the platform's config directory, every
value validated with a reason the operator can act on, and command-line options that override
the file for one run without changing it.

Why a JSON file of our own and not ``QSettings``: the command line needs the values before Qt
exists (the data directory decides where the log goes), support staff can read and send it, and
a value a newer console wrote is kept when an older one saves (unknown keys are preserved).
Window geometry and the login dialog's remembered address stay in ``QSettings``; passwords are
never in either (see :mod:`console.shell.credentials`).

:class:`Settings` is an immutable value; :class:`ConsoleSettings` is the live object the running
console shares (``session.settings``): the stored values, this run's overrides, and listeners
told which fields changed when the operator saves the dialog. Other parts read it directly, e.g.
the alarm sound player reads ``settings.sounds_enabled`` each time it would play.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs
from PySide6.QtCore import QCoreApplication

from videowall.wire import PlayerOptions

log = logging.getLogger("kitchenwatch.console.settings.model")

SETTINGS_VERSION = 1
LANGUAGES = ("zh_CN", "en")
PROTOCOLS = ("rtsp", "rtmp", "http-flv", "hls", "http-ts", "srt", "udp")
DEFAULT_PROTOCOL_ORDER = ("rtsp", "http-flv", "hls", "http-ts")
# Latency against smoothness is one knob: how much the player buffers (libVLC's
# network-caching). 300 ms is the wall's measured default for a healthy LAN.
LATENCY_PRESETS = {"low": 150, "balanced": 300, "smooth": 1000}
CACHING_RANGE_MS = (50, 10_000)
SEVERITY_RANGE = (1, 4)  # db.models.Severity: info .. critical
TOUR_DWELL_RANGE_S = (3, 3600)  # videowall.tour.MIN_DWELL_S .. an hour a page
# Finished history (closed alarms and tasks, patrol records, audit) the local cache keeps:
# at least a week (the console works offline on it), at most ten years.
CACHE_RETENTION_RANGE_DAYS = (7, 3650)
OFFICE_PROFILE_MODES = ("auto", "on", "off")
MAX_SCREENS = 8


def default_settings_path() -> Path:
    return Path(platformdirs.user_config_dir("kitchenwatch")) / "settings.json"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("kitchenwatch"))


class SettingsError(ValueError):
    """One refused value: ``field`` names the setting, ``reason`` says why in words."""

    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(f"{field_name}: {reason}")
        self.field = field_name
        self.reason = reason


# -- validators: value in, normalised value out, SettingsError with a reason otherwise --------

def _check_server_url(value: Any) -> str:
    if not isinstance(value, str):
        raise SettingsError("server_url", QCoreApplication.translate(
            "Settings", "server URL must be text"))
    url = value.strip()
    if not url:
        return ""  # ask at login (the login dialog remembers the last address)
    if not url.lower().startswith(("http://", "https://")):
        raise SettingsError("server_url", QCoreApplication.translate(
            "Settings", "server URL must start with http:// or https://"))
    parts = urlsplit(url)
    if not parts.hostname:
        raise SettingsError("server_url", QCoreApplication.translate(
            "Settings", "server URL has no host name: %1").replace("%1", url))
    if parts.username is not None or parts.password is not None:
        raise SettingsError("server_url", QCoreApplication.translate(
            "Settings", "server URL must not contain a user name or password; the login "
                        "dialog asks for them"))
    try:
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError:
        raise SettingsError("server_url", QCoreApplication.translate(
            "Settings", "server URL has an invalid port: %1").replace("%1", url)) from None
    if parts.query or parts.fragment:
        raise SettingsError("server_url", QCoreApplication.translate(
            "Settings", "server URL must not have a query or fragment (?… or #…)"))
    return url.rstrip("/")


def _check_bool(name: str) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        if isinstance(value, bool):
            return value
        raise SettingsError(name, QCoreApplication.translate(
            "Settings", "must be true or false, not %1").replace("%1", repr(value)))
    return check


def _probe_writable(directory: Path) -> None:
    """Create and delete a file in ``directory``: the only test that also holds for root,
    read-only mounts and network shares (``os.access`` is wrong on all three)."""
    handle, name = tempfile.mkstemp(prefix=".kw-write-test-", dir=directory)
    os.close(handle)
    os.unlink(name)


def check_data_dir(value: Any) -> str:
    """``""`` is the platform default; anything else must be an absolute directory this user
    can write, or one that can be created (validation never creates it)."""
    if not isinstance(value, str | os.PathLike):
        raise SettingsError("data_dir", QCoreApplication.translate(
            "Settings", "data directory must be a path"))
    text = os.fspath(value).strip()
    if not text:
        return ""
    path = Path(text).expanduser()
    if not path.is_absolute():
        raise SettingsError("data_dir", QCoreApplication.translate(
            "Settings", "data directory must be an absolute path, not %1").replace("%1", text))
    if path.exists():
        if not path.is_dir():
            raise SettingsError("data_dir", QCoreApplication.translate(
                "Settings", "data directory %1 is not a directory").replace("%1", str(path)))
        try:
            _probe_writable(path)
        except OSError as exc:
            raise SettingsError("data_dir", QCoreApplication.translate(
                "Settings", "data directory %1 is not writable: %2")
                .replace("%1", str(path)).replace("%2", exc.strerror or str(exc))) from None
        return str(path)
    ancestor = path.parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise SettingsError("data_dir", QCoreApplication.translate(
            "Settings", "data directory %1 cannot be created: %2 is not a directory")
            .replace("%1", str(path)).replace("%2", str(ancestor)))
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise SettingsError("data_dir", QCoreApplication.translate(
            "Settings", "data directory %1 is not writable: %2 does not let this user create "
                        "it").replace("%1", str(path)).replace("%2", str(ancestor)))
    return str(path)


def _check_protocol_order(value: Any) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise SettingsError("protocol_order", QCoreApplication.translate(
            "Settings", "protocol order must be a comma-separated list, e.g. rtsp,http-flv,hls"))
    order: list[str] = []
    for item in items:
        name = str(item).strip().lower()
        if not name:
            continue
        if name not in PROTOCOLS:
            raise SettingsError("protocol_order", QCoreApplication.translate(
                "Settings", "unknown stream protocol %1 (known: %2)")
                .replace("%1", repr(name)).replace("%2", ", ".join(PROTOCOLS)))
        if name in order:
            raise SettingsError("protocol_order", QCoreApplication.translate(
                "Settings", "stream protocol %1 is listed twice").replace("%1", name))
        order.append(name)
    if not order:
        raise SettingsError("protocol_order", QCoreApplication.translate(
            "Settings", "list at least one stream protocol"))
    return tuple(order)


def _check_caching(value: Any) -> int:
    if isinstance(value, str) and value.strip().lower() in LATENCY_PRESETS:
        return LATENCY_PRESETS[value.strip().lower()]
    low, high = CACHING_RANGE_MS
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise SettingsError("network_caching_ms", QCoreApplication.translate(
            "Settings", "network caching must be a number of milliseconds"))
    try:
        number = int(value)
    except ValueError:
        raise SettingsError("network_caching_ms", QCoreApplication.translate(
            "Settings", "network caching must be a number of milliseconds or one of low, "
                        "balanced, smooth, not %1").replace("%1", repr(value))) from None
    if not low <= number <= high:
        raise SettingsError("network_caching_ms", QCoreApplication.translate(
            "Settings", "network caching must be between %1 and %2 ms, not %3")
            .replace("%1", str(low)).replace("%2", str(high)).replace("%3", str(number)))
    return number


def _check_severity(value: Any) -> int:
    low, high = SEVERITY_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SettingsError("popup_min_severity", QCoreApplication.translate(
            "Settings", "popup severity must be a whole number from %1 (info) to %2 "
                        "(critical), not %3")
            .replace("%1", str(low)).replace("%2", str(high)).replace("%3", repr(value)))
    return value


def _check_dwell(value: Any) -> int:
    low, high = TOUR_DWELL_RANGE_S
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SettingsError("tour_dwell_s", QCoreApplication.translate(
            "Settings", "a tour page must stay between %1 and %2 s, not %3")
            .replace("%1", str(low)).replace("%2", str(high)).replace("%3", repr(value)))
    return value


def _check_language(value: Any) -> str:
    if value not in LANGUAGES:
        raise SettingsError("language", QCoreApplication.translate(
            "Settings", "language must be one of %1, not %2")
            .replace("%1", ", ".join(LANGUAGES)).replace("%2", repr(value)))
    return str(value)


def _check_screens(value: Any) -> tuple[int, ...]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise SettingsError("wall_screens", QCoreApplication.translate(
            "Settings", "screens must be a list of screen numbers, e.g. 0,1"))
    screens: list[int] = []
    for item in items:
        if isinstance(item, str):
            item = item.strip()
            if not item:
                continue
        try:
            number = int(item)
        except (TypeError, ValueError):
            raise SettingsError("wall_screens", QCoreApplication.translate(
                "Settings", "screen %1 is not a number (0 is the first screen)")
                .replace("%1", repr(item))) from None
        if number < 0 or isinstance(item, bool):
            raise SettingsError("wall_screens", QCoreApplication.translate(
                "Settings", "screen numbers start at 0, not %1").replace("%1", str(item)))
        if number in screens:
            raise SettingsError("wall_screens", QCoreApplication.translate(
                "Settings", "screen %1 is listed twice").replace("%1", str(number)))
        screens.append(number)
    if len(screens) > MAX_SCREENS:
        raise SettingsError("wall_screens", QCoreApplication.translate(
            "Settings", "at most %1 screens").replace("%1", str(MAX_SCREENS)))
    return tuple(screens)


def _check_office_profile(value: Any) -> str:
    if value not in OFFICE_PROFILE_MODES:
        raise SettingsError("office_profile", QCoreApplication.translate(
            "Settings", "office-PC profile must be auto, on or off, not %1")
            .replace("%1", repr(value)))
    return str(value)


def _check_retention(value: Any) -> int:
    low, high = CACHE_RETENTION_RANGE_DAYS
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SettingsError("cache_retention_days", QCoreApplication.translate(
            "Settings", "the local cache must keep history between %1 and %2 days, not %3")
            .replace("%1", str(low)).replace("%2", str(high)).replace("%3", repr(value)))
    return value


def check_map_boundaries(value: Any) -> str:
    """A bureau's own district boundaries (GeoJSON), "" for the demo city's: refused with
    what is wrong in the file (domain.geo says it in Chinese, naming the feature and field),
    so a bad file is caught in the dialog, not found as an empty map on the wall."""
    from domain.geo import BoundaryError, load_boundaries

    if not isinstance(value, str):
        raise SettingsError("map_boundaries", QCoreApplication.translate(
            "Settings", "the boundary file must be a path"))
    path = value.strip()
    if not path:
        return ""
    try:
        load_boundaries(Path(path).expanduser())
    except BoundaryError as exc:
        raise SettingsError("map_boundaries", str(exc)) from exc
    return path


VALIDATORS: dict[str, Callable[[Any], Any]] = {
    "server_url": _check_server_url,
    "verify_tls": _check_bool("verify_tls"),
    "data_dir": check_data_dir,
    "protocol_order": _check_protocol_order,
    "network_caching_ms": _check_caching,
    "alarm_sounds": _check_bool("alarm_sounds"),
    "popup_min_severity": _check_severity,
    "tour_dwell_s": _check_dwell,
    "language": _check_language,
    "wall_screens": _check_screens,
    "office_profile": _check_office_profile,
    "cache_retention_days": _check_retention,
    "map_boundaries": check_map_boundaries,
}


def validate(name: str, value: Any) -> Any:
    """The normalised value, or :class:`SettingsError` saying why it is refused."""
    check = VALIDATORS.get(name)
    if check is None:
        raise SettingsError(name, QCoreApplication.translate(
            "Settings", "there is no such setting"))
    return check(value)


@dataclass(frozen=True)
class Settings:
    """One complete, valid set of values (build changed copies with :meth:`with_values`)."""

    server_url: str = ""                   # "" = ask at login
    verify_tls: bool = True                # check the server's HTTPS certificate
    data_dir: str = ""                     # "" = platform default (~/.local/share/kitchenwatch)
    protocol_order: tuple[str, ...] = DEFAULT_PROTOCOL_ORDER
    network_caching_ms: int = LATENCY_PRESETS["balanced"]
    alarm_sounds: bool = True
    popup_min_severity: int = 3            # major and critical alarms pop up
    tour_dwell_s: int = 10                 # seconds each page of a tour (轮巡) stays
    language: str = "zh_CN"
    wall_screens: tuple[int, ...] = ()     # () = the screen the window opens on
    office_profile: str = "auto"           # auto = by role (district staff)
    cache_retention_days: int = 90         # finished history in the local cache (see store)
    map_boundaries: str = ""               # GeoJSON of the districts; "" = the demo city's
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls) if f.name != "extra")

    def changed_from(self, before: Settings) -> frozenset[str]:
        """The names of the settings whose value differs from ``before`` (what listeners and
        the dialog's restart notice act on)."""
        now, then = asdict(self), asdict(before)
        return frozenset(name for name in self.field_names() if now[name] != then[name])

    def with_values(self, values: Mapping[str, Any]) -> Settings:
        """A copy with ``values`` validated; raises the first :class:`SettingsError`."""
        return replace(self, **{name: validate(name, value) for name, value in values.items()})

    def problems(self, values: Mapping[str, Any]) -> dict[str, str]:
        """Every refused value in ``values`` with its reason (empty: all acceptable)."""
        out: dict[str, str] = {}
        for name, value in values.items():
            try:
                validate(name, value)
            except SettingsError as exc:
                out[name] = exc.reason
        return out

    # -- what the values mean -------------------------------------------------------------------
    @property
    def sounds_enabled(self) -> bool:
        return self.alarm_sounds

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir) if self.data_dir else default_data_dir()

    @property
    def latency_preset(self) -> str:
        """``low``/``balanced``/``smooth`` when the caching is one of those, else ``custom``."""
        for name, ms in LATENCY_PRESETS.items():
            if ms == self.network_caching_ms:
                return name
        return "custom"

    def rank_urls(self, urls: Iterable[str]) -> list[str]:
        """Stream addresses in the preferred protocol order (unknown protocols last).

        For media platforms that offer one camera in several protocols; central's registry
        carries one main and one sub address per camera today."""
        order = {name: i for i, name in enumerate(self.protocol_order)}
        return sorted(urls, key=lambda url: order.get(stream_protocol(url), len(order)))

    # -- file form ----------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        data = {**self.extra, **asdict(self), "version": SETTINGS_VERSION}
        data.pop("extra")
        data["protocol_order"] = list(self.protocol_order)
        data["wall_screens"] = list(self.wall_screens)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> tuple[Settings, dict[str, str]]:
        """Valid values are taken, refused ones fall back to the default with their reason;
        keys this version does not know are kept for the version that wrote them."""
        names = set(cls.field_names())
        values: dict[str, Any] = {}
        problems: dict[str, str] = {}
        for name, value in data.items():
            if name not in names:
                continue
            try:
                values[name] = validate(name, value)
            except SettingsError as exc:
                problems[name] = exc.reason
        extra = {k: v for k, v in data.items() if k not in names and k != "version"}
        return cls(**values, extra=extra), problems


def stream_protocol(url: str) -> str:
    """Which of :data:`PROTOCOLS` a stream address uses (``""`` when none)."""
    lowered = url.strip().lower()
    scheme = lowered.split("://", 1)[0] if "://" in lowered else ""
    path = urlsplit(lowered).path
    if scheme in ("rtsp", "rtsps"):
        return "rtsp"
    if scheme in ("rtmp", "rtmps"):
        return "rtmp"
    if scheme in ("srt", "udp"):
        return scheme
    if scheme == "rtp":
        return "udp"
    if scheme in ("http", "https"):
        if path.endswith(".m3u8"):
            return "hls"
        if path.endswith(".flv"):
            return "http-flv"
        return "http-ts"
    return ""


class SettingsFile:
    """Reads and atomically writes ``settings.json`` (write to a temporary file, then rename:
    a crash or a full disk never leaves half a file)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_settings_path()

    def load(self) -> tuple[Settings, list[str]]:
        """The stored settings and what was wrong with the file, in words (never raises)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return Settings(), []
        except OSError as exc:
            return Settings(), [QCoreApplication.translate(
                "Settings", "cannot read the settings file %1: %2; using the defaults")
                .replace("%1", str(self.path)).replace("%2", exc.strerror or str(exc))]
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            return Settings(), [QCoreApplication.translate(
                "Settings", "the settings file %1 is not valid JSON (line %2: %3); using the "
                            "defaults").replace("%1", str(self.path))
                .replace("%2", str(exc.lineno)).replace("%3", exc.msg)]
        if not isinstance(data, dict):
            return Settings(), [QCoreApplication.translate(
                "Settings", "the settings file %1 does not hold a JSON object; using the "
                            "defaults").replace("%1", str(self.path))]
        settings, problems = Settings.from_json(data)
        return settings, [QCoreApplication.translate(
            "Settings", "setting %1 in %2 was ignored: %3")
            .replace("%1", name).replace("%2", str(self.path)).replace("%3", reason)
            for name, reason in problems.items()]

    def save(self, settings: Settings) -> None:
        """Raises ``OSError`` when the file cannot be written (the caller tells the user)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(settings.to_json(), ensure_ascii=False, indent=2, sort_keys=True)
        handle, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".json", dir=self.path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text + "\n")
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


Listener = Callable[["Settings", frozenset[str]], None]


class ConsoleSettings:
    """The running console's settings: stored values, this run's command-line overrides and
    change listeners. ``effective`` is what every part of the console acts on."""

    def __init__(self, stored: Settings | None = None, file: SettingsFile | None = None,
                 overrides: Mapping[str, Any] | None = None,
                 load_problems: Iterable[str] = ()) -> None:
        self.stored = stored or Settings()
        self.file = file
        self.overrides: dict[str, Any] = {}
        self.load_problems = list(load_problems)
        self._listeners: list[Listener] = []
        if overrides:
            self.set_overrides(overrides)

    @classmethod
    def load(cls, path: Path | None = None,
             overrides: Mapping[str, Any] | None = None) -> ConsoleSettings:
        """From the user's file; invalid overrides raise :class:`SettingsError`."""
        file = SettingsFile(path)
        stored, problems = file.load()
        for problem in problems:
            log.warning("%s", problem)
        return cls(stored, file, overrides, problems)

    def set_overrides(self, overrides: Mapping[str, Any]) -> None:
        self.overrides = {name: validate(name, value) for name, value in overrides.items()}

    @property
    def effective(self) -> Settings:
        return replace(self.stored, **self.overrides)

    @property
    def overridden(self) -> frozenset[str]:
        return frozenset(self.overrides)

    # -- what other parts read ----------------------------------------------------------------
    @property
    def sounds_enabled(self) -> bool:
        """Whether alarm sounds may play (read by the sound player at each alarm)."""
        return self.effective.alarm_sounds

    @property
    def popup_min_severity(self) -> int:
        return self.effective.popup_min_severity

    @property
    def tour_dwell_s(self) -> int:
        return self.effective.tour_dwell_s

    @property
    def cache_retention_days(self) -> int:
        return self.effective.cache_retention_days

    @property
    def language(self) -> str:
        return self.effective.language

    @property
    def network_caching_ms(self) -> int:
        return self.effective.network_caching_ms

    @property
    def verify_tls(self) -> bool:
        return self.effective.verify_tls

    @property
    def server_url(self) -> str:
        return self.effective.server_url

    @property
    def data_path(self) -> Path:
        return self.effective.data_path

    @property
    def wall_screens(self) -> tuple[int, ...]:
        return self.effective.wall_screens

    @property
    def office_profile(self) -> str:
        return self.effective.office_profile

    @property
    def map_boundaries(self) -> str:
        return self.effective.map_boundaries

    def player_options(self) -> PlayerOptions:
        """``videowall.wire.PlayerOptions`` for new streams (the wall's own defaults plus the
        operator's latency choice)."""
        return PlayerOptions(network_caching_ms=self.network_caching_ms)

    # -- changes ------------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """``listener(effective, changed_names)`` after each saved change; returns an
        unsubscribe function."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def update(self, values: Mapping[str, Any]) -> dict[str, str]:
        """Validate all ``values``; if every one is acceptable, store and save them and tell
        the listeners. Returns the refused fields with their reasons (then nothing changed).
        ``OSError`` from writing the file propagates (the values stay unsaved)."""
        problems = self.stored.problems(values)
        if problems:
            return problems
        before = self.effective
        updated = self.stored.with_values(values)
        if self.file is not None:
            self.file.save(updated)
        self.stored = updated
        after = self.effective
        changed = after.changed_from(before)
        if changed:
            log.info("settings changed: %s", ", ".join(sorted(changed)))
            for listener in list(self._listeners):
                try:
                    listener(after, changed)
                except Exception:
                    log.exception("a settings listener failed")
        return {}


# -- command line ----------------------------------------------------------------------------

def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options matching the settings (``--server``, ``--data-dir``, ``--lang`` and ``--screen``
    are defined by the console's parser itself and are read by :func:`overrides_from_args`)."""
    group = parser.add_argument_group(
        "settings for this run",
        f"override the settings file ({default_settings_path()}) without changing it")
    group.add_argument("--settings", type=Path, metavar="FILE",
                       help="read and save settings in FILE instead")
    group.add_argument("--verify-tls", action=argparse.BooleanOptionalAction, default=None,
                       help="check the server's HTTPS certificate (default: on)")
    group.add_argument("--protocol-order", metavar="LIST",
                       help=f"preferred stream protocols, e.g. {','.join(DEFAULT_PROTOCOL_ORDER)}"
                            f" (known: {', '.join(PROTOCOLS)})")
    latency = group.add_mutually_exclusive_group()
    latency.add_argument("--latency", choices=tuple(LATENCY_PRESETS),
                         help="low latency or smooth video: "
                              + ", ".join(f"{k} = {v} ms" for k, v in LATENCY_PRESETS.items()))
    latency.add_argument("--network-caching", type=int, metavar="MS",
                         help=f"stream buffer in ms ({CACHING_RANGE_MS[0]}-{CACHING_RANGE_MS[1]})")
    group.add_argument("--sounds", action=argparse.BooleanOptionalAction, default=None,
                       help="alarm sounds")
    group.add_argument("--popup-severity", type=int, metavar="N",
                       help="pop up alarm panels from this severity on: 1 info, 2 minor, "
                            "3 major (default), 4 critical")
    group.add_argument("--screens", metavar="LIST",
                       help="screens for the wall, e.g. 0,1: the window on the first, a further "
                            "wall on each other one")
    group.add_argument("--tour-dwell", type=int, metavar="S",
                       help=f"seconds each tour page stays ({TOUR_DWELL_RANGE_S[0]}-"
                            f"{TOUR_DWELL_RANGE_S[1]}, default 10)")
    group.add_argument("--office-profile", choices=OFFICE_PROFILE_MODES,
                       help="office-PC profile (fewer tiles, sub streams): auto = for "
                            "district staff")


def overrides_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """The settings the command line sets for this run (unvalidated; see
    :meth:`ConsoleSettings.set_overrides`)."""
    given: dict[str, Any] = {}
    pairs = (("server", "server_url"), ("verify_tls", "verify_tls"),
             ("data_dir", "data_dir"), ("protocol_order", "protocol_order"),
             ("latency", "network_caching_ms"), ("network_caching", "network_caching_ms"),
             ("sounds", "alarm_sounds"), ("popup_severity", "popup_min_severity"),
             ("tour_dwell", "tour_dwell_s"), ("lang", "language"), ("screens", "wall_screens"),
             ("office_profile", "office_profile"))
    # A program that adds only some of these options (the smoke test, the demo) passes a
    # namespace without the others: read it as the mapping it is.
    options = vars(args)
    for option, name in pairs:
        value = options.get(option)
        if value is not None:
            given[name] = str(value) if isinstance(value, Path) else value
    screen = options.get("screen")
    if screen is not None and "wall_screens" not in given:
        given["wall_screens"] = [screen]
    return given


OPTION_OF = {"server_url": "--server", "verify_tls": "--verify-tls", "data_dir": "--data-dir",
             "protocol_order": "--protocol-order", "network_caching_ms": "--network-caching",
             "alarm_sounds": "--sounds", "popup_min_severity": "--popup-severity",
             "tour_dwell_s": "--tour-dwell",
             "language": "--lang", "wall_screens": "--screens",
             "office_profile": "--office-profile"}


def settings_for_run(args: argparse.Namespace) -> ConsoleSettings:
    """The settings file plus this run's options; raises ``SystemExit(2)`` naming the option
    and the reason when an option's value is refused."""
    overrides = overrides_from_args(args)
    try:
        return ConsoleSettings.load(vars(args).get("settings"), overrides)
    except SettingsError as exc:
        raise SystemExit(f"kitchenwatch: {OPTION_OF.get(exc.field, exc.field)}: "
                         f"{exc.reason}") from None
