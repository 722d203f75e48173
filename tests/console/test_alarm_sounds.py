"""Alarm sounds: generated tones per severity, a mute switch that survives a restart, the
sounds setting, storms that do not become a machine-gun of beeps, and no audio device."""

from __future__ import annotations

import logging
import wave
from pathlib import Path
from types import SimpleNamespace

import pytest

from console.alarms.sounds import TONES, AlarmSounds, ensure_tone_files


def sounds(tmp_path: Path, clock: list[float], enabled=lambda: True, outputs=lambda: 0):
    return AlarmSounds(enabled, directory=tmp_path / "sounds", outputs=outputs,
                       monotonic=lambda: clock[0])


def test_each_severity_has_its_own_valid_tone_generated_once(tmp_path: Path) -> None:
    files = ensure_tone_files(tmp_path)
    assert sorted(files) == [1, 2, 3, 4]
    lengths = []
    for severity, path in files.items():
        with wave.open(str(path)) as wav:
            assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
            seconds = wav.getnframes() / wav.getframerate()
        assert seconds == pytest.approx(TONES[severity].seconds() / TONES[severity].loops,
                                        abs=0.01)
        lengths.append(seconds)
    assert lengths[3] > lengths[0]  # critical is the longest, most insistent pattern
    stamp = files[3].stat().st_mtime_ns
    assert ensure_tone_files(tmp_path)[3].stat().st_mtime_ns == stamp  # cached, not rewritten


def test_mute_is_remembered_and_silences_everything(qapp, tmp_path: Path) -> None:
    clock = [0.0]
    first = sounds(tmp_path, clock)
    assert first.alarm(3, "k1")
    first.mute_action.trigger()
    assert first.muted and not first.alarm(4, "k2")
    again = sounds(tmp_path, clock)  # the next start of the console
    assert again.muted and again.mute_action.isChecked()
    assert not again.alarm(4, "k3")
    again.set_muted(False)
    assert again.alarm(4, "k3")
    assert not sounds(tmp_path, clock).muted


def test_the_sounds_setting_switches_them_off_at_once(qapp, tmp_path: Path) -> None:
    settings = SimpleNamespace(sounds_enabled=True)
    player = sounds(tmp_path, [0.0], enabled=lambda: settings.sounds_enabled)
    assert player.alarm(3, "a")
    settings.sounds_enabled = False
    assert not player.alarm(4, "b")


def test_a_storm_shares_the_sounding_tone_and_critical_is_not_cut_short(qapp,
                                                                        tmp_path: Path) -> None:
    clock = [0.0]
    player = sounds(tmp_path, clock)
    rang: list[tuple[int, str]] = []
    announced: list[str] = []
    player.rang.connect(lambda sev, key: rang.append((sev, key)))
    player.announced.connect(lambda _sev, key: announced.append(key))
    for i in range(10):  # ten major entries within one second
        clock[0] = i * 0.1
        player.alarm(3, f"major-{i}")
    assert len(announced) == 10 and rang == [(3, "major-0")]
    player.alarm(4, "critical")  # more urgent: rings at once
    player.alarm(3, "major-late")  # does not cut the critical tone
    assert rang[-1] == (4, "critical")
    clock[0] += TONES[4].seconds() + 0.1
    player.alarm(3, "after")
    assert rang[-1] == (3, "after")
    player.silence()
    assert player.current is None
    player.alarm(2, "minor")
    assert rang[-1] == (2, "minor")  # silenced: the next entry rings again


def test_acknowledging_stops_its_tone(qapp, tmp_path: Path) -> None:
    player = sounds(tmp_path, [0.0])
    player.alarm(4, "entry")
    assert player.silence_action.isEnabled()
    player.stop_for("other")
    assert player.current == (4, "entry")
    player.stop_for("entry")
    assert player.current is None and not player.silence_action.isEnabled()


def test_no_audio_device_is_logged_once_and_nothing_fails(qapp, tmp_path: Path,
                                                          caplog) -> None:
    player = sounds(tmp_path, [0.0], outputs=lambda: 0)
    with caplog.at_level(logging.INFO, logger="kitchenwatch.console.sounds"):
        for severity in (4, 3, 4, 2):
            player.alarm(severity, f"k{severity}")
            player.silence()
    notes = [r for r in caplog.records if "no audio output device" in r.getMessage()]
    assert len(notes) == 1
    assert not (tmp_path / "sounds").exists()  # nothing to play on: no files written



def test_without_a_sound_server_qt_multimedia_is_not_touched(qapp, tmp_path: Path,
                                                             monkeypatch) -> None:
    # Qt's PulseAudio backend, asked for devices with no server, can leave a dangling timer
    # that crashes the console later: with no server socket it is never asked.
    import console.alarms.sounds as module

    monkeypatch.setattr(module.sys, "platform", "linux")
    monkeypatch.delenv("PULSE_SERVER", raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    assert not module.sound_server_reachable()
    assert module._audio_outputs() == 0
    (tmp_path / "run" / "pulse").mkdir(parents=True)
    (tmp_path / "run" / "pulse" / "native").touch()
    assert module.sound_server_reachable()
