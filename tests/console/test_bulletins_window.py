"""The Bulletins window against a real central on loopback: a district administrator drafts
the month's 督查通报, previews the PDF, approves and publishes it; an operator may draft but
the approve and publish buttons stay off for them."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.bulletins.window import BulletinsWindow, last_month
from db.models import District
from tests.console.conftest import run, wait_until
from tests.console.test_roles import start, stop

pytestmark = pytest.mark.timeout(120)


def _open(qloop, session) -> BulletinsWindow:
    async def synced() -> bool:
        return await session.store.count(District) > 0

    wait_until(qloop, synced, 15, "the districts in the local cache")
    window = run(qloop, session.role_ui.bulletins_window())
    assert isinstance(window, BulletinsWindow)
    return window


def test_a_district_admin_drafts_previews_approves_and_publishes(qloop, qtbot, qcentral,
                                                                 tmp_path: Path) -> None:
    session = start(qloop, tmp_path, qcentral.url, "kbs")
    try:
        window = _open(qloop, session)
        assert [window.district.itemData(i) for i in range(window.district.count())] == ["D01"]
        assert window.period.text() == last_month()
        run(qloop, window.send_draft())
        wait_until(qloop, lambda: window.bulletins, 10, "the drafted bulletin in the list")
        window.table.selectRow(0)
        wait_until(qloop, lambda: window.pages, 10, "the PDF preview")
        assert window.preview.pixmap() is not None and not window.preview.pixmap().isNull()
        assert window.approve_button.isEnabled() and not window.publish_button.isEnabled()
        window.grab().save(str(tmp_path.parent / "bulletins-window-en.png"))
        run(qloop, window.send_step("bulletin.approve", window.selected()))
        assert window.selected()["state"] == "approved"
        assert window.publish_button.isEnabled() and not window.approve_button.isEnabled()
        run(qloop, window.send_step("bulletin.publish", window.selected()))
        assert window.selected()["state"] == "published"
        assert window.table.item(0, 4).text() == "kbs"
        window.close()
    finally:
        stop(qloop, session)


def test_an_operator_drafts_but_cannot_approve(qloop, qtbot, qcentral, tmp_path: Path) -> None:
    session = start(qloop, tmp_path, qcentral.url, "operator")
    try:
        window = BulletinsWindow(session.role_ui.client, session.user,
                                 {"D01": "康巴什区", "D02": "东胜区"})
        qtbot.addWidget(window)
        assert window.district.count() == 2
        run(qloop, window.send_draft())
        wait_until(qloop, lambda: window.bulletins, 10, "the drafted bulletin")
        window.table.selectRow(0)
        assert not window.approve_button.isEnabled()
        window.period.setText("2026-13")
        run(qloop, window.send_draft())
        assert "month 13" in window.status.text()
    finally:
        stop(qloop, session)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_screenshot_in_both_languages(qloop, qtbot, qcentral, tmp_path: Path, lang: str,
                                      request: pytest.FixtureRequest) -> None:
    """The window as a user sees it, drafted and previewed (PNG kept beside the test's files
    for review; KW_SCREENSHOT_DIR keeps them elsewhere)."""
    import os

    from PySide6.QtWidgets import QApplication

    from console.shell.i18n import install_language
    from resources import i18n

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    install_language(app, lang)
    session = start(qloop, tmp_path, qcentral.url, "kbs")
    try:
        window = _open(qloop, session)
        run(qloop, window.send_draft())
        wait_until(qloop, lambda: window.bulletins, 10, "the draft")
        window.table.selectRow(0)
        wait_until(qloop, lambda: window.pages, 10, "the preview")
        if lang == "zh_CN":
            assert window.windowTitle() == "督查通报"
            assert window.table.item(0, 2).text() == "草稿（待审核）"
        out = Path(os.environ.get("KW_SCREENSHOT_DIR", str(tmp_path)))
        window.grab().save(str(out / f"bulletins-window-{lang}.png"))
        window.close()
    finally:
        stop(qloop, session)
        for translator in i18n._installed:  # the next test starts in English again
            app.removeTranslator(translator)
        i18n._installed.clear()
        install_language(app, "en")
