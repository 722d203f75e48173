"""The alarm panel's "AI clip" button (issue 16 item 2), and the clip's checked local copy."""

from __future__ import annotations

import hashlib
import stat

import pytest

from console.media.clips import ClipCache, ClipMismatch
from tests.widgets.conftest import NOW, alarm
from widgets.alarm_panel import AlarmPanel


def test_the_clip_button_appears_only_with_a_clip_and_toggles_live(qtbot) -> None:
    panel = AlarmPanel(clock=lambda: NOW)
    qtbot.addWidget(panel)
    panel.set_alarm(alarm(1))
    panel.show()
    assert not panel.clip_button.isVisible()  # most AI events bring no clip
    panel.set_clip_available(True)
    assert panel.clip_button.isVisible() and panel.clip_button.text() == "AI clip"
    with qtbot.waitSignal(panel.clip_requested) as asked:
        panel.clip_button.click()
    assert asked.args == [panel.alarm_id()]
    with qtbot.waitSignal(panel.live_requested) as back:
        panel.clip_button.click()
    assert back.args == [panel.alarm_id()]
    panel.clip_button.click()
    panel.show_live()  # the clip could not be played: the button is released, quietly
    assert not panel.clip_button.isChecked()


def test_a_clip_is_kept_only_if_it_hashes_to_its_name(tmp_path) -> None:
    data = b"G" + bytes(187) * 3
    reference = f"/media/{hashlib.sha256(data).hexdigest()}.ts"
    cache = ClipCache()
    try:
        with pytest.raises(ClipMismatch):
            cache.put(reference, data + b"x")
        assert cache.path_of(reference) is None
        path = cache.put(reference, data)
        assert path.read_bytes() == data and cache.path_of(reference) == path
        assert stat.S_IMODE(cache.root.stat().st_mode) == 0o700  # this user's only
        root = cache.root
    finally:
        cache.close()
    assert not root.exists()


def test_the_evidence_pack_lists_the_ai_clip_with_its_sha256(qapp) -> None:
    from widgets.evidence_pdf import EvidenceDocument, EvidencePack

    digest = hashlib.sha256(b"clip").hexdigest()
    pack = EvidencePack(alarm=alarm(7, kind="ai_violation", subtype="no_mask",
                                    evidence_clip_url=f"/media/{digest}.ts"))
    text = EvidenceDocument().build(pack, 900).toPlainText()
    assert "AI clip" in text and f"TS · SHA-256 {digest}" in text
    plain = EvidenceDocument().build(EvidencePack(alarm=alarm(8)), 900).toPlainText()
    assert "AI clip" not in plain  # no clip, no line
