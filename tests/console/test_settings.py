"""Settings as the operator meets them: refused values say why, the file survives restarts and
damage, command-line options win for one run without touching the file, the dialog keeps the
reason next to the field, and saved values act on the running console."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from console.settings.dialog import SettingsDialog
from console.settings.model import (
    ConsoleSettings,
    Settings,
    SettingsError,
    SettingsFile,
    settings_for_run,
    stream_protocol,
    validate,
)
from console.shell.app import parse_args

pytestmark = pytest.mark.timeout(60)


def reason(name: str, value) -> str:
    with pytest.raises(SettingsError) as caught:
        validate(name, value)
    assert caught.value.field == name
    return caught.value.reason


# -- validation ---------------------------------------------------------------------------------

def test_server_url_is_refused_with_a_reason() -> None:
    assert reason("server_url", "ftp://central:21") == \
        "server URL must start with http:// or https://"
    assert reason("server_url", "central.example:8750") == \
        "server URL must start with http:// or https://"
    assert "user name or password" in reason("server_url", "http://admin:pw@central:8750")
    assert "invalid port" in reason("server_url", "http://central:99999")
    assert "no host name" in reason("server_url", "https://")
    assert validate("server_url", " https://central.example.gov.cn:8443/ ") == \
        "https://central.example.gov.cn:8443"
    assert validate("server_url", "") == ""  # ask at login


def test_data_directory_must_be_writable(tmp_path: Path) -> None:
    assert "absolute path" in reason("data_dir", "relative/dir")
    a_file = tmp_path / "file"
    a_file.write_text("x")
    assert reason("data_dir", str(a_file)) == f"data directory {a_file} is not a directory"
    assert "cannot be created" in reason("data_dir", str(a_file / "below"))
    # /proc refuses new files even to root, where permission bits would not.
    text = reason("data_dir", "/proc")
    assert text.startswith("data directory /proc is not writable: ")
    assert validate("data_dir", str(tmp_path)) == str(tmp_path)
    assert validate("data_dir", str(tmp_path / "new" / "dir")) == str(tmp_path / "new" / "dir")
    assert not (tmp_path / "new").exists()  # validation never creates it
    assert list(tmp_path.iterdir()) == [a_file]  # and leaves no probe file behind


def test_stream_preferences() -> None:
    assert validate("protocol_order", " RTSP, http-flv ,hls") == ("rtsp", "http-flv", "hls")
    assert "unknown stream protocol 'webrtc'" in reason("protocol_order", "rtsp,webrtc")
    assert reason("protocol_order", "hls,hls") == "stream protocol hls is listed twice"
    assert reason("protocol_order", " , ") == "list at least one stream protocol"
    assert validate("network_caching_ms", "smooth") == 1000
    assert validate("network_caching_ms", "low") == 150
    assert validate("network_caching_ms", 800) == 800
    assert reason("network_caching_ms", 20) == \
        "network caching must be between 50 and 10000 ms, not 20"
    settings = Settings(protocol_order=("hls", "rtsp"))
    urls = ["rtsp://cam/1", "http://zlm/live/1.flv", "http://zlm/live/1/hls.m3u8"]
    assert settings.rank_urls(urls) == ["http://zlm/live/1/hls.m3u8", "rtsp://cam/1",
                                        "http://zlm/live/1.flv"]
    assert stream_protocol("http://10.0.0.1:8080/live/a.ts") == "http-ts"


def test_alarm_language_screen_and_profile_values() -> None:
    assert "from 1 (info) to 4 (critical)" in reason("popup_min_severity", 7)
    assert "from 1" in reason("popup_min_severity", True)
    assert reason("language", "fr") == "language must be one of zh_CN, en, not 'fr'"
    assert validate("wall_screens", "0, 2") == (0, 2)
    assert reason("wall_screens", "0,0") == "screen 0 is listed twice"
    assert "not a number" in reason("wall_screens", "left")
    assert reason("wall_screens", [-1]) == "screen numbers start at 0, not -1"
    assert "auto, on or off" in reason("office_profile", "sometimes")
    assert reason("alarm_sounds", "yes") == "must be true or false, not 'yes'"


# -- the file -----------------------------------------------------------------------------------

def test_file_round_trip_keeps_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "settings.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"language": "en", "from_a_newer_console": {"x": 1}}))
    file = SettingsFile(path)
    settings, problems = file.load()
    assert problems == [] and settings.language == "en"
    file.save(settings.with_values({"popup_min_severity": 4, "protocol_order": "hls,rtsp"}))
    data = json.loads(path.read_text())
    assert data["from_a_newer_console"] == {"x": 1}
    assert data["protocol_order"] == ["hls", "rtsp"]
    again, _ = file.load()
    assert again.popup_min_severity == 4 and again.protocol_order == ("hls", "rtsp")
    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.json"]  # no temp left


def test_damaged_file_falls_back_and_says_why(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"language": "klingon", "alarm_sounds": false}')
    settings, problems = SettingsFile(path).load()
    assert settings.language == "zh_CN" and settings.alarm_sounds is False
    assert len(problems) == 1 and "language" in problems[0] and "klingon" in problems[0]
    path.write_text("{not json")
    settings, problems = SettingsFile(path).load()
    assert settings == Settings()
    assert "not valid JSON (line 1" in problems[0]


# -- command line -------------------------------------------------------------------------------

def test_command_line_overrides_the_file_for_one_run(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    SettingsFile(path).save(Settings(language="zh_CN", popup_min_severity=3))
    before = path.read_text()
    args, _ = parse_args(["--settings", str(path), "--lang", "en", "--popup-severity", "4",
                          "--no-sounds", "--latency", "smooth", "--screens", "1,0",
                          "--server", "https://central:8443", "--no-verify-tls",
                          "--data-dir", str(tmp_path / "data")])
    settings = settings_for_run(args)
    run = settings.effective
    assert (run.language, run.popup_min_severity, run.alarm_sounds) == ("en", 4, False)
    assert (run.network_caching_ms, run.wall_screens) == (1000, (1, 0))
    assert (run.server_url, run.verify_tls) == ("https://central:8443", False)
    assert settings.data_path == tmp_path / "data"
    assert settings.sounds_enabled is False
    assert "language" in settings.overridden
    assert path.read_text() == before  # the file is not changed by options
    # Saving other values keeps the run's overrides in force and out of the file.
    assert settings.update({"popup_min_severity": 2}) == {}
    assert settings.popup_min_severity == 4
    stored = json.loads(path.read_text())
    assert stored["popup_min_severity"] == 2 and stored["language"] == "zh_CN"


def test_a_refused_option_stops_with_the_option_and_the_reason(tmp_path: Path) -> None:
    args, _ = parse_args(["--settings", str(tmp_path / "s.json"), "--server", "ftp://x"])
    with pytest.raises(SystemExit) as stopped:
        settings_for_run(args)
    assert str(stopped.value) == \
        "kitchenwatch: --server: server URL must start with http:// or https://"
    args, _ = parse_args(["--settings", str(tmp_path / "s.json"), "--screen", "1"])
    assert settings_for_run(args).wall_screens == (1,)  # the older --screen still works


def test_update_is_all_or_nothing_and_tells_listeners(tmp_path: Path) -> None:
    settings = ConsoleSettings.load(tmp_path / "settings.json")
    heard: list[tuple[int, frozenset[str]]] = []
    settings.subscribe(lambda s, changed: heard.append((s.popup_min_severity, changed)))
    problems = settings.update({"popup_min_severity": 2, "server_url": "ftp://x"})
    assert set(problems) == {"server_url"}
    assert settings.popup_min_severity == 3 and heard == []
    assert not (tmp_path / "settings.json").exists()
    assert settings.update({"popup_min_severity": 2, "alarm_sounds": False}) == {}
    assert heard == [(2, frozenset({"popup_min_severity", "alarm_sounds"}))]
    assert settings.sounds_enabled is False
    assert ConsoleSettings.load(tmp_path / "settings.json").popup_min_severity == 2


# -- the dialog ---------------------------------------------------------------------------------

@pytest.fixture
def live(tmp_path: Path) -> ConsoleSettings:
    return ConsoleSettings.load(tmp_path / "settings.json")


def test_dialog_refuses_invalid_values_with_the_reason_next_to_the_field(qtbot, live,
                                                                         tmp_path) -> None:
    dialog = SettingsDialog(live)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.server_url.setText("central:8750")
    dialog.protocol_order.setText("rtsp,rtsp")
    dialog.data_dir.setText("/proc")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.isVisible()  # refused: still open
    assert dialog.errors["server_url"].isVisible()
    assert dialog.errors["server_url"].text() == "server URL must start with http:// or https://"
    assert dialog.errors["protocol_order"].text() == "stream protocol rtsp is listed twice"
    assert dialog.errors["data_dir"].text().startswith("data directory /proc is not writable")
    assert not dialog.errors["language"].isVisible()
    assert not (tmp_path / "settings.json").exists()  # nothing saved

    dialog.server_url.setText("http://10.0.0.5:8750")
    dialog.protocol_order.setText("hls,http-flv")
    dialog.data_dir.setText(str(tmp_path / "kw-data"))
    dialog.latency.setCurrentIndex(dialog.latency.findData("low"))
    assert dialog.caching.value() == 150
    dialog.popup.setCurrentIndex(dialog.popup.findData(4))
    dialog.alarm_sounds.setChecked(False)
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    with qtbot.waitSignal(dialog.saved) as saved:
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert not dialog.isVisible()
    assert {"server_url", "popup_min_severity", "language"} <= saved.args[0]
    assert dialog.restart_needed >= {"server_url", "language", "data_dir"}
    stored = json.loads((tmp_path / "settings.json").read_text())
    assert stored["server_url"] == "http://10.0.0.5:8750"
    assert stored["network_caching_ms"] == 150 and stored["alarm_sounds"] is False
    assert live.sounds_enabled is False and live.popup_min_severity == 4


def test_dialog_checks_a_field_when_the_operator_leaves_it(qtbot, live) -> None:
    dialog = SettingsDialog(live)
    qtbot.addWidget(dialog)
    dialog.screens.setText("0,zero")
    dialog.screens.editingFinished.emit()
    assert "not a number" in dialog.errors["wall_screens"].text()
    dialog.screens.setText("0")
    dialog.screens.editingFinished.emit()
    assert dialog.errors["wall_screens"].isHidden()


def test_options_from_the_command_line_are_locked_in_the_dialog(qtbot, tmp_path) -> None:
    settings = ConsoleSettings.load(tmp_path / "s.json", {"language": "en",
                                                          "network_caching_ms": 900})
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    assert not dialog.language.isEnabled()
    assert "--lang" in dialog.language.toolTip()
    assert not dialog.caching.isEnabled() and not dialog.latency.isEnabled()
    assert "language" not in dialog.values()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert "language" not in json.loads((tmp_path / "s.json").read_text()) or \
        json.loads((tmp_path / "s.json").read_text())["language"] == "zh_CN"
    assert settings.language == "en"


def test_restore_defaults_fills_the_fields_but_saves_only_on_save(qtbot, tmp_path) -> None:
    settings = ConsoleSettings.load(tmp_path / "s.json")
    settings.update({"popup_min_severity": 1, "alarm_sounds": False})
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.restore_defaults()
    assert dialog.popup.currentData() == 3 and dialog.alarm_sounds.isChecked()
    assert settings.popup_min_severity == 1
