"""Alarm sounds: a tone per severity, a persisted mute switch and "silence this alarm".

The control room is loud and the operator looks at the wall, not at the list: a new alarm at
or above the popup threshold rings once per list entry (a repeat of the same alarm, or another
device of the same kitchen joining its entry, stays quiet). Critical alarms repeat their tone
for a while until the operator silences or acknowledges them; lower severities ring once. In a
storm, a new entry that arrives while a tone of at least its severity is still sounding is
announced by that tone instead of restarting it: the operator hears one alarm, not a
machine-gun of cut-off beeps.

The tones are generated with :mod:`wave` into the user's cache directory the first time they
are needed (no binary files in the repository, and a changed tone gets a new file name). A
machine without an audio device (a server room PC, offscreen CI) logs that once and carries
on: alarms still pop up and the switch still works.

Sounds play when the ``sounds_enabled`` setting allows it (read at each alarm, so a changed
setting applies at once) and the operator has not muted them.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import math
import os
import sys
import tempfile
import time
import wave
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from PySide6.QtCore import QObject, QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QStyle

log = logging.getLogger("kitchenwatch.console.sounds")

MUTED_KEY = "alarms/muted"
SAMPLE_RATE = 22050
FADE_S = 0.006  # ramps at both ends of each beep: no clicks
CRITICAL_LOOPS = 8  # a critical alarm repeats its tone this often (~15 s) unless silenced


@dataclass(frozen=True)
class Beep:
    """One tone (Hz, seconds) followed by silence (seconds)."""

    freq: float
    length_s: float
    pause_s: float = 0.0


@dataclass(frozen=True)
class Tone:
    beeps: tuple[Beep, ...]
    volume: float  # 0..1 of full scale
    loops: int = 1

    def seconds(self) -> float:
        """How long the tone sounds, all loops included."""
        return self.loops * sum(b.length_s + b.pause_s for b in self.beeps)

    def digest(self) -> str:
        """Part of the file name: a changed tone is a new file, never a stale cached one."""
        return hashlib.sha1(repr((self, SAMPLE_RATE, FADE_S)).encode()).hexdigest()[:10]


#: Severity (db.models.Severity: 1 info … 4 critical) → tone. Higher = more urgent pattern.
TONES: dict[int, Tone] = {
    1: Tone((Beep(660, 0.12),), 0.25),
    2: Tone((Beep(740, 0.15, 0.10), Beep(740, 0.15)), 0.35),
    3: Tone((Beep(880, 0.22, 0.05), Beep(660, 0.30, 0.30), Beep(880, 0.22, 0.05),
             Beep(660, 0.30)), 0.5),
    4: Tone((Beep(1175, 0.11, 0.06), Beep(1175, 0.11, 0.06), Beep(1175, 0.11, 0.06),
             Beep(880, 0.35, 0.9)), 0.6, loops=CRITICAL_LOOPS),
}


def tone_for(severity: int) -> Tone:
    return TONES[min(max(int(severity), 1), 4)]


def default_sound_dir() -> Path:
    return Path(platformdirs.user_cache_dir("kitchenwatch")) / "sounds"


def render(tone: Tone, rate: int = SAMPLE_RATE) -> bytes:
    """16-bit mono little-endian PCM samples of one play-through of ``tone``."""
    amplitude = 32767 * tone.volume
    fade = max(1, int(FADE_S * rate))
    samples = array("h")
    for beep in tone.beeps:
        n = int(beep.length_s * rate)
        step = 2 * math.pi * beep.freq / rate
        samples.extend(int(amplitude * min(1.0, i / fade, (n - 1 - i) / fade)
                           * math.sin(step * i)) for i in range(n))
        samples.extend([0] * int(beep.pause_s * rate))
    if sys.byteorder == "big":
        samples.byteswap()
    return samples.tobytes()


def write_wav(path: Path, tone: Tone, rate: int = SAMPLE_RATE) -> Path:
    """Write ``tone`` as a WAV file atomically (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tone-", suffix=".wav", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh, wave.open(fh, "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(rate)
            wav.writeframes(render(tone, rate))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def ensure_tone_files(directory: Path) -> dict[int, Path]:
    """The WAV file of every severity, generated where missing."""
    files = {}
    for severity, tone in TONES.items():
        path = directory / f"alarm-{severity}-{tone.digest()}.wav"
        if not path.is_file():
            write_wav(path, tone)
        files[severity] = path
    return files


def sound_server_reachable() -> bool:
    """Whether a Linux desktop has a sound server to talk to (PulseAudio or PipeWire).

    Qt Multimedia's PulseAudio backend, asked for devices with no server running (a server
    room PC, offscreen CI), fails to connect and can leave a dangling timer behind that later
    crashes the process; so on Linux it is asked only when a server socket exists. Other
    systems always have their platform audio service.
    """
    if not sys.platform.startswith("linux"):
        return True
    if os.environ.get("PULSE_SERVER"):
        return True
    runtime = os.environ.get("XDG_RUNTIME_DIR") or f"/run/user/{os.getuid()}"
    return any(Path(runtime, name).exists() for name in ("pulse/native", "pipewire-0"))


def _audio_outputs() -> int:
    if not sound_server_reachable():
        return 0
    from PySide6.QtMultimedia import QMediaDevices  # on demand: ~0.6 s, loads audio plugins

    return len(QMediaDevices.audioOutputs())


class AlarmSounds(QObject):
    """Rings for new alarm entries; owns the mute switch and the silence action.

    Args:
        enabled: the ``sounds_enabled`` setting, read at each alarm.
        directory: where the tones are generated (default: the user's cache directory).
        outputs: how many audio devices there are (tests pass ``lambda: 0``).

    Signals:
        announced(int, str): a new entry was announced audibly (severity, entry key): by a
            tone of its own or by the tone sounding at that moment.
        rang(int, str): a tone started (also when the machine has no audio device: the
            decision was to ring).
        muted_changed(bool)
    """

    rang = Signal(int, str)
    announced = Signal(int, str)
    muted_changed = Signal(bool)

    def __init__(self, enabled: Callable[[], bool] = lambda: True, *,
                 directory: Path | None = None, outputs: Callable[[], int] = _audio_outputs,
                 parent: QObject | None = None,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self._enabled = enabled
        self._now = monotonic
        self._sounding_until = 0.0  # when the tone started last ends (by the clock)
        self._directory = directory or default_sound_dir()
        self._outputs = outputs
        self._files: dict[int, Path] | None = None
        self._effects: dict[int, QObject] = {}
        self._unavailable_logged = False
        self._error_logged = False
        self.current: tuple[int, str] | None = None  # (severity, key) of the ringing tone
        self.muted = bool(QSettings().value(MUTED_KEY, False, type=bool))

        style = QApplication.style()
        self._icon_on = style.standardIcon(QStyle.StandardPixmap.SP_MediaVolume)
        self._icon_off = style.standardIcon(QStyle.StandardPixmap.SP_MediaVolumeMuted)
        self.mute_action = QAction(self.tr("Mute alarm sounds"), self)
        self.mute_action.setCheckable(True)
        self.mute_action.setChecked(self.muted)
        self.mute_action.setShortcut(QKeySequence("Ctrl+M"))
        self.mute_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.mute_action.toggled.connect(self.set_muted)
        self.silence_action = QAction(self.tr("Silence the current alarm"), self)
        self.silence_action.setShortcut(QKeySequence("Ctrl+Shift+M"))
        self.silence_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.silence_action.setEnabled(False)
        self.silence_action.triggered.connect(self.silence)
        self._show_mute_state()

    # -- the operator's switches ------------------------------------------------------------------
    def set_muted(self, muted: bool) -> None:
        """Mute all alarm sounds (kept across restarts) or let them ring again."""
        if self.mute_action.isChecked() != muted:
            self.mute_action.setChecked(muted)  # comes back here through toggled
            return
        if muted == self.muted:
            return
        self.muted = muted
        QSettings().setValue(MUTED_KEY, muted)
        if muted:
            self.silence()
        self._show_mute_state()
        log.info("alarm sounds %s by the operator", "muted" if muted else "switched on")
        self.muted_changed.emit(muted)

    def silence(self) -> None:
        """Stop the tone that is ringing now (the next new alarm rings again)."""
        for effect in self._effects.values():
            effect.stop()  # type: ignore[attr-defined]
        self.current = None
        self._sounding_until = 0.0
        self.silence_action.setEnabled(False)

    def stop_for(self, key: str) -> None:
        """The alarm behind ``key`` was acknowledged or closed: stop its tone if it rings."""
        if self.current is not None and self.current[1] == key:
            self.silence()

    # -- alarms ---------------------------------------------------------------------------------
    def may_ring(self) -> bool:
        return not self.muted and bool(self._enabled())

    def alarm(self, severity: int, key: str) -> bool:
        """A new alarm entry: ring its severity's tone, unless a tone of at least that severity
        is sounding now (it announces this entry too). False when muted or switched off."""
        if not self.may_ring():
            return False
        severity = min(max(int(severity), 1), 4)
        now = self._now()
        sounding = self.current is not None and now < self._sounding_until
        if not (sounding and self.current is not None and self.current[0] >= severity):
            self.current = (severity, key)
            self._sounding_until = now + tone_for(severity).seconds()
            self.silence_action.setEnabled(True)
            self._play(severity)
            self.rang.emit(severity, key)
        self.announced.emit(severity, key)
        return True

    # -- output ---------------------------------------------------------------------------------
    def _ringing(self) -> bool:
        return any(e.isPlaying() for e in self._effects.values())  # type: ignore[attr-defined]

    def _play(self, severity: int) -> None:
        effect = self._effect(severity)
        if effect is None:
            return
        for other in self._effects.values():
            if other is not effect:
                other.stop()  # type: ignore[attr-defined]
        effect.play()  # type: ignore[attr-defined]

    def _effect(self, severity: int) -> QObject | None:
        effect = self._effects.get(severity)
        if effect is not None:
            return effect
        if self._outputs() == 0:
            if not self._unavailable_logged:
                self._unavailable_logged = True
                log.info("no audio output device: alarm sounds cannot be heard on this "
                         "computer (alarms still pop up)")
            return None
        try:
            if self._files is None:
                self._files = ensure_tone_files(self._directory)
        except OSError as exc:
            if not self._error_logged:
                self._error_logged = True
                log.warning("cannot write the alarm tones to %s: %s", self._directory, exc)
            return None
        from PySide6.QtMultimedia import QSoundEffect  # on demand, as in _audio_outputs

        effect = QSoundEffect(self)
        effect.setSource(QUrl.fromLocalFile(str(self._files[severity])))
        effect.setLoopCount(tone_for(severity).loops)
        effect.statusChanged.connect(lambda e=effect: self._on_status(e))
        effect.playingChanged.connect(self._on_playing_changed)
        self._effects[severity] = effect
        return effect

    def _on_status(self, effect: QObject) -> None:
        from PySide6.QtMultimedia import QSoundEffect  # loaded already by _effect

        if effect.status() == QSoundEffect.Status.Error and not self._error_logged:  # type: ignore[attr-defined]
            self._error_logged = True
            log.warning("the audio device refused the alarm tone %s; alarms stay silent "
                        "(they still pop up)", effect.source().toLocalFile())  # type: ignore[attr-defined]

    def _on_playing_changed(self) -> None:
        if not self._ringing():
            self.silence_action.setEnabled(False)
            self._sounding_until = min(self._sounding_until, self._now())

    def _show_mute_state(self) -> None:
        self.mute_action.setIcon(self._icon_off if self.muted else self._icon_on)
        self.mute_action.setToolTip(
            self.tr("Alarm sounds are muted; click to switch them on") if self.muted
            else self.tr("Alarm sounds are on; click to mute them (Ctrl+M)"))

