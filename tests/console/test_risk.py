"""Risk in the console, against a real central on loopback: the details card shows the score
with its reasons in Chinese, the Tour menu tours the riskiest kitchens first, and the Patrol
menu's plan shows who is behind, first and in red."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from sqlalchemy import select

from central.demo_registry import DEMO_PASSWORD
from console.risk.service import RiskService
from console.settings.model import ConsoleSettings
from console.shell.main_window import MainWindow
from console.sync.client import ApiClient
from console.walls.tours import TourControl, order_by_risk
from db.models import Business, PatrolRecord, Task
from domain.clock import utcnow
from resources.i18n import install_translator
from tests.console.conftest import run, wait_until
from tests.console.fakes import FakeEngine, fake_wall
from videowall.source import TileSource
from widgets.business_card import BusinessCardWidget
from widgets.models.rows import BusinessCard
from widgets.risk_view import RiskPlanDialog

pytestmark = pytest.mark.timeout(120)


def _source(camera: str, business: str) -> TileSource:
    return TileSource(camera_id=camera, title=camera, sub_url="rtsp://x/" + camera,
                      business_id=business)


def test_order_by_risk_keeps_a_business_together_and_unknown_last() -> None:
    sources = [_source("a1", "A"), _source("b1", "B"), _source("a2", "A"), _source("c1", "C"),
               _source("b2", "B")]
    ordered = order_by_risk(sources, {"A": 10.0, "B": 40.0})
    assert [s.camera_id for s in ordered] == ["b1", "b2", "a1", "a2", "c1"]


@pytest.fixture
def service(qloop, qcentral):
    client = ApiClient(qcentral.url)
    run(qloop, client.login("operator", DEMO_PASSWORD))
    yield RiskService(None, client)
    run(qloop, client.close())


@pytest.fixture
def chinese(qapp):
    assert install_translator(qapp, "zh_CN")
    yield
    install_translator(qapp, "en")


def test_the_card_shows_the_score_and_its_reasons_in_chinese(qloop, qtbot, qcentral, service,
                                                              chinese) -> None:
    school = run(qloop, qcentral.read(lambda s: s.scalars(
        select(Business).where(Business.category == "school_canteen").limit(1)).one().id))
    summary = run(qloop, service.one(school))
    assert summary is not None and summary.reasons[0][0] == "category"
    card = BusinessCardWidget()
    qtbot.addWidget(card)
    card.set_card(BusinessCard(id=school, name="学校食堂"))
    assert card.fields["risk"].isHidden() or not card.fields["risk"].isVisible()
    card.set_risk(summary)
    card.show()
    text = card.fields["risk"].text()
    assert card.fields["risk"].isVisible()
    assert text.startswith(f"{summary.score:g} 分") and "业态：学校 / 幼儿园食堂 (+30)" in text
    card.set_card(BusinessCard(id="other", name="别家"))
    assert not card.fields["risk"].isVisible()  # another business: no stale score


def test_a_tour_by_risk_starts_with_the_riskiest_business(qloop, qtbot, synced_store, qcentral,
                                                          service, tmp_path: Path) -> None:
    window = MainWindow(synced_store, {"username": "operator", "role": "operator"}, "4",
                        wall_factory=fake_wall)
    qtbot.addWidget(window)
    window.show()
    window.schedule_reload()
    wait_until(qloop, lambda: window.forest is not None and window.wall.cells()[0], 10,
               "the first wall")
    window.wall.engine = FakeEngine()
    settings = ConsoleSettings.load(tmp_path / "settings.json")
    tours = TourControl(window, settings)
    assert not tours.risk_action.isVisible()
    tours.set_risk_scores(service.scores)
    assert tours.risk_action.isVisible()
    # The tree's last kitchen gets four overdue tasks: the riskiest by far, so a tour that
    # kept the tree's order would show it last.
    last = window.forest.sources[-1].business_id
    district = last.split("-")[0]

    def overdue(s):  # type: ignore[no-untyped-def]
        for _ in range(4):
            s.add(Task(district_id=district, business_id=last, state="dispatched",
                       deadline=utcnow() - timedelta(hours=2)))
    run(qloop, qcentral.write(overdue))
    assert run(qloop, tours.start_by_risk())
    first = [c for c in window.wall.cells() if c is not None]
    assert first[0].business_id == last
    assert QCoreApplication.translate("TourControl", "every camera by risk") in tours.title
    tours.stop()


def test_the_plan_dialog_shows_businesses_behind_first_in_red(qloop, qtbot, qcentral,
                                                              service) -> None:
    first_id = run(qloop, qcentral.read(lambda s: s.scalars(
        select(Business.id).order_by(Business.id).limit(1)).one()))

    # Last month is over: every look it asked for was due, so whoever lacks one is behind.
    now = utcnow()
    last = (now.replace(day=1) - timedelta(days=10))
    month = last.strftime("%Y-%m")

    def look(s):  # type: ignore[no-untyped-def]
        for _ in range(2):  # enough for any score without a reception rule
            s.add(PatrolRecord(district_id="D01", business_id=first_id, user="operator",
                               started_at=last, verdict="compliant"))
    run(qloop, qcentral.write(look))
    dialog = RiskPlanDialog()
    qtbot.addWidget(dialog)
    run(qloop, service.load_plan(dialog, month))
    assert month in dialog.windowTitle()
    rows = dialog.table.rowCount()
    assert rows > 10
    behind = dialog.behind_rows()
    # red rows are exactly the leading ones: nobody behind hides below someone on schedule
    assert behind == list(range(len(behind)))
    assert 0 < len(behind) < rows
    done = {dialog.table.item(r, 0).data(256): (r, int(dialog.table.item(r, 3).text()))
            for r in range(rows)}
    row, looks = done[first_id]
    assert looks == 2 and row not in behind
    assert f"{len(behind)} 家进度落后" in dialog.summary.text() or \
        f"{len(behind)} behind schedule" in dialog.summary.text()
