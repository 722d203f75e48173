"""What this installation can play, and the versions support needs (Qt-free).

Used by the About dialog, the crash report and ``kitchenwatch --smoke``. libVLC's API has no
call that lists its access or demux modules (only audio and video filters), so
:func:`probe_libvlc` loads the library, creates an instance (which proves the plugins load) and
then reads the plugin directory that instance uses: a module is there or not. A protocol needs
an access module *and* a demuxer, e.g. HTTP-FLV = ``access/http`` + ``demux/avformat``.
Debian builds VLC without live555, so RTSP shows as missing there (the wall then remuxes RTSP
with FFmpeg for libVLC); FFmpeg through PyAV, the wall's other decoder, is probed as well.

Loading libVLC takes a few hundred milliseconds: call these off the UI thread.
"""

from __future__ import annotations

import logging
import os
import platform
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from console import __version__

log = logging.getLogger("kitchenwatch.console.diagnostics.capabilities")

# protocol -> alternatives, each a list of (plugin category, module) that must all be present
LIBVLC_NEEDS: dict[str, list[list[tuple[str, str]]]] = {
    "file": [[("access", "filesystem")]],
    "http": [[("access", "http")]],
    "https": [[("access", "https")]],
    "hls": [[("access", "http"), ("demux", "adaptive")],
            [("access", "http"), ("stream_filter", "adaptive")]],
    "http-flv": [[("access", "http"), ("demux", "avformat")],
                 [("access", "http"), ("demux", "flv")]],
    "http-ts": [[("access", "http"), ("demux", "ts")]],
    "rtsp": [[("access", "live555")]],
    "rtmp": [[("access", "rtmp")], [("access", "avio")]],
    "udp/rtp": [[("access", "udp")], [("access", "rtp")]],
    "srt": [[("access", "srt")]],
    "h264": [[("codec", "avcodec")]],
}
# FFmpeg names its demuxers after the formats; RTMP is a protocol of its own.
FFMPEG_FORMATS = {"rtsp": "rtsp", "hls": "hls", "http-flv": "flv", "http-ts": "mpegts",
                  "udp/rtp": "rtp", "srt": "srt"}


@dataclass
class EngineReport:
    """One decoding engine: its version, whether it loaded, and what it can open."""

    name: str
    version: str = ""
    loaded: bool = False
    error: str = ""
    location: str = ""        # library file / plugin directory, for support
    protocols: dict[str, bool] = field(default_factory=dict)
    modules: dict[str, list[str]] = field(default_factory=dict)  # category -> module names

    def missing(self) -> list[str]:
        return [name for name, ok in self.protocols.items() if not ok]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "version": self.version, "loaded": self.loaded,
                "error": self.error, "location": self.location, "protocols": self.protocols}


def plugin_name(file_name: str) -> str | None:
    """``libhttp_plugin.so`` / ``libhttp_plugin.dll`` → ``http``; other files → None."""
    stem = file_name.split(".", 1)[0]
    if not stem.endswith("_plugin"):
        return None
    stem = stem[: -len("_plugin")]
    return stem[3:] if stem.startswith("lib") else stem


def scan_plugins(directory: Path) -> dict[str, list[str]]:
    """Module names per category directory (``access``, ``demux``, …)."""
    found: dict[str, list[str]] = {}
    if not directory.is_dir():
        return found
    for category in sorted(p for p in directory.iterdir() if p.is_dir()):
        names = sorted(n for n in (plugin_name(f.name) for f in category.iterdir()) if n)
        if names:
            found[category.name] = names
    return found


def libvlc_protocols(modules: dict[str, list[str]]) -> dict[str, bool]:
    have = {(category, name) for category, names in modules.items() for name in names}
    return {protocol: any(all(need in have for need in option) for option in options)
            for protocol, options in LIBVLC_NEEDS.items()}


def _loaded_library_dir() -> Path | None:
    """Where the libvlc this process loaded lives (Linux: /proc/self/maps)."""
    try:
        for line in Path("/proc/self/maps").read_text().splitlines():
            if "libvlc.so" in line and "/" in line:
                return Path(line[line.index("/"):].strip()).parent
    except OSError:
        pass
    return None


def libvlc_plugin_dir(vlc_module: Any) -> Path | None:
    """The plugin directory libVLC uses: ``VLC_PLUGIN_PATH``, python-vlc's own guess (Windows,
    macOS), or ``vlc/plugins`` next to the loaded library (Linux distributions)."""
    candidates: list[Path] = []
    env = os.environ.get("VLC_PLUGIN_PATH")
    if env:
        candidates += [Path(p) for p in env.split(os.pathsep) if p]
    guessed = vlc_module.plugin_path  # python-vlc's find_lib() guess (None on Linux)
    if guessed:
        candidates += [Path(guessed) / "plugins", Path(guessed)]
    library = _loaded_library_dir()
    if library is not None:
        candidates.append(library / "vlc" / "plugins")
    candidates += [Path("/usr/lib/x86_64-linux-gnu/vlc/plugins"), Path("/usr/lib/vlc/plugins"),
                   Path("/usr/lib64/vlc/plugins"), Path("/usr/local/lib/vlc/plugins")]
    for candidate in candidates:
        if (candidate / "access").is_dir():
            return candidate
    return None


def probe_libvlc() -> EngineReport:
    report = EngineReport("libVLC")
    try:
        import vlc  # on demand: loads libVLC, slow, and may be missing (that is the report)
    except Exception as exc:  # OSError/FileNotFoundError when libvlc itself is missing
        report.error = f"{type(exc).__name__}: {exc}"
        return report
    try:
        report.version = vlc.libvlc_get_version().decode(errors="replace")
        instance = vlc.Instance("--no-audio", "--quiet", "--no-video-title-show")
        if instance is None:
            report.error = "libvlc_new() failed: the plugins could not be loaded"
            return report
        instance.release()
    except Exception as exc:
        report.error = f"{type(exc).__name__}: {exc}"
        return report
    report.loaded = True
    report.location = str(vlc.dll._name or "")  # the ctypes library python-vlc loaded
    plugins = libvlc_plugin_dir(vlc)
    if plugins is None:
        report.error = "libVLC loaded but its plugin directory was not found"
        return report
    report.location += f" · plugins {plugins}"
    report.modules = scan_plugins(plugins)
    report.protocols = libvlc_protocols(report.modules)
    return report


def probe_ffmpeg() -> EngineReport:
    report = EngineReport("FFmpeg (PyAV)")
    try:
        import av  # on demand: loads FFmpeg's libraries, which may be missing (the report)
    except Exception as exc:
        report.error = f"{type(exc).__name__}: {exc}"
        return report
    report.loaded = True
    # ffmpeg_version_info is PyAV >= 13.1; pyproject allows 12 (libavformat's version then).
    ffmpeg = getattr(av, "ffmpeg_version_info", "") or ".".join(
        map(str, av.library_versions.get("libavformat", ())))
    report.version = f"FFmpeg {ffmpeg} · PyAV {av.__version__}"
    report.location = str(Path(av.__file__).parent)
    formats = set(av.formats_available)
    report.protocols = {"file": _ffmpeg_protocol(av, "file:/nonexistent/kitchenwatch.ts"),
                        "http": _ffmpeg_protocol(av, "http://127.0.0.1:1/"),
                        "https": _ffmpeg_protocol(av, "https://127.0.0.1:1/")}
    report.protocols.update({protocol: fmt in formats
                             for protocol, fmt in FFMPEG_FORMATS.items()})
    report.protocols["rtsp"] = report.protocols["rtsp"] and _ffmpeg_protocol(
        av, "rtsp://127.0.0.1:1/")
    report.protocols["rtmp"] = "flv" in formats and _ffmpeg_protocol(av, "rtmp://127.0.0.1:1/")
    report.protocols["h264"] = "h264" in av.codecs_available
    return report


def _ffmpeg_protocol(av: Any, url: str) -> bool:
    """PyAV cannot list FFmpeg's protocols; opening an address nobody serves tells: port 1 on
    loopback refuses at once when the protocol exists, FFmpeg says "protocol not found" when
    it does not."""
    try:
        av.open(url, timeout=(1.0, 1.0)).close()
    except av.error.ProtocolNotFoundError:
        return False
    except Exception:
        return True  # the protocol is there; nothing answered, as intended
    return True


def versions() -> dict[str, str]:
    """Console, Qt, PySide6 and Python versions (cheap; no libVLC load)."""
    out = {"Kitchen Watch": __version__,
           "Python": f"{platform.python_version()} ({platform.python_implementation()})",
           "OS": f"{platform.system()} {platform.release()} ({platform.machine()})"}
    # Read from the Qt the console's window has loaded, never imported here: this module stays
    # Qt-free (tests/test_layering.py), and every caller (About, crash report, smoke) runs in a
    # process that shows Qt windows.
    pyside, qtcore = sys.modules.get("PySide6"), sys.modules.get("PySide6.QtCore")
    if pyside is not None and qtcore is not None:
        out["Qt"] = str(qtcore.qVersion())
        out["PySide6"] = str(pyside.__version__)
    else:
        out["Qt"] = "not loaded"
    if getattr(sys, "frozen", False):  # only PyInstaller's bootloader sets sys.frozen
        out["Bundle"] = str(Path(sys.executable).parent)
    return out


@dataclass
class Capabilities:
    versions: dict[str, str]
    engines: list[EngineReport]

    def to_dict(self) -> dict[str, Any]:
        return {"versions": self.versions, "engines": [e.to_dict() for e in self.engines]}

    def as_text(self) -> str:
        """Plain text for the crash report and support tickets."""
        lines = [f"{name}: {value}" for name, value in self.versions.items()]
        for engine in self.engines:
            state = engine.version if engine.loaded else f"not available ({engine.error})"
            lines.append(f"{engine.name}: {state}")
            if engine.loaded and engine.protocols:
                lines.append("  can open: " + ", ".join(
                    f"{p} {'yes' if ok else 'no'}" for p, ok in engine.protocols.items()))
            if engine.loaded and engine.error:
                lines.append(f"  {engine.error}")
        return "\n".join(lines)


def probe_all() -> Capabilities:
    """Everything (loads libVLC and PyAV: off the UI thread)."""
    return Capabilities(versions(), [probe_ffmpeg(), probe_libvlc()])
