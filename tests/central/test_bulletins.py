"""督查通报 (issue 18, item 7): drafted by central from the period's figures, approved and
published by a person, written as a PDF with Chinese text, also from the command line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from central.__main__ import main
from central.database import Database
from db.models import Alarm, AuditEntry, Bulletin, Business, PatrolRecord
from tests.central.bulletin_pdf_text import pdf_text
from tests.central.conftest import Api

NOV = datetime(2026, 11, 10, 4, 0, tzinfo=UTC)


def _seed_november(db: Database) -> tuple[str, str]:
    """Two D01 businesses: one with alarms (black list), one looked at and compliant (red)."""
    def work(session: Session) -> tuple[str, str]:
        bad, good = session.scalars(select(Business).where(Business.district_id == "D01")
                                    .order_by(Business.id).limit(2)).all()
        for i in range(3):
            session.add(Alarm(kind="ai_violation", subtype="no_mask", district_id="D01",
                              business_id=bad.id, condition_key=f"t:{i}", state="closed",
                              opened_at=NOV + timedelta(hours=i),
                              last_seen_at=NOV + timedelta(hours=i)))
        session.add(Alarm(kind="ai_violation", district_id="D01", business_id=bad.id,
                          condition_key="t:oct", opened_at=NOV - timedelta(days=30),
                          last_seen_at=NOV - timedelta(days=30)))  # October: not counted
        session.add(PatrolRecord(district_id="D01", business_id=good.id, user="kbs",
                                 verdict="compliant", started_at=NOV))
        return bad.name, good.name

    return db.write_sync(work)


def test_the_command_line_drafts_a_pdf_with_the_months_figures(db_url: str,
                                                               tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]
                                                               ) -> None:
    db = Database(db_url)
    try:
        bad, good = _seed_november(db)
    finally:
        db.close()
    out = tmp_path / "D01-2026-11.pdf"
    code = main(["bulletin", "--db", db_url, "--district", "D01", "--period", "2026-11",
                 "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    text = pdf_text(out.read_bytes())
    assert "康巴什区 明厨亮灶督查通报（2026年11月）" in text
    assert "草稿" in text
    assert "本期预警 3 起" in text  # October's alarm is not November's
    black = text.split("六、黑榜")[1]
    red = text.split("五、红榜")[1].split("六、黑榜")[0]
    assert bad[:8] in black and good[:8] in red
    db = Database(db_url)
    try:
        states = db.read_sync(lambda s: [(b.district_id, b.period, b.state)
                                         for b in s.scalars(select(Bulletin))])
    finally:
        db.close()
    assert states == [("D01", "2026-11", "draft")]


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--period", "2026-13"], 2, "month 13 of 2026 does not exist"),
    (["--period", "November"], 2, "expected a month like 2026-11"),
    (["--period", "2026-W54"], 2, "2026 has no ISO week 54"),
    (["--district", "D99"], 3, "district D99 not found"),
])
def test_the_command_line_says_what_is_wrong(db_url: str, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str],
                                             args: list[str], code: int, message: str) -> None:
    base = {"--district": "D01", "--period": "2026-11"}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    argv = ["bulletin", "--db", db_url, "--out", str(tmp_path / "b.pdf"),
            *[x for kv in base.items() for x in kv]]
    assert main(argv) == code
    assert message in capsys.readouterr().err
    assert not (tmp_path / "b.pdf").exists()


async def test_draft_approve_publish_by_the_right_people_with_audit(api: Api) -> None:
    drafted = await api.action("operator", "bulletin.draft",
                               {"district_id": "D01", "period": "2026-11"})
    assert drafted.status == 200, drafted.body
    bulletin = drafted.body["result"]["bulletin"]
    assert bulletin["state"] == "draft"
    step = {"bulletin_id": bulletin["id"], "expected_version": bulletin["version"]}
    refused = await api.action("operator", "bulletin.approve", step)
    assert refused.status == 403 and "administrator" in refused.body["message"]
    other = await api.action("ds", "bulletin.approve", step)  # Dongsheng's bureau
    assert other.status == 404
    early = await api.action("kbs", "bulletin.publish", step)
    assert early.status == 409 and "it is draft" in early.body["message"]
    viewer = await api.get("/api/bulletins", "viewer")
    assert viewer.body["bulletins"] == []  # drafts are not shown to demonstrations
    approved = await api.action("kbs", "bulletin.approve", step)
    assert approved.status == 200, approved.body
    again = await api.action("operator", "bulletin.draft",
                             {"district_id": "D01", "period": "2026-11"})
    assert again.status == 409 and "frozen" in again.body["message"]
    version = approved.body["result"]["bulletin"]["version"]
    published = await api.action("admin", "bulletin.publish",
                                 {"bulletin_id": bulletin["id"], "expected_version": version})
    assert published.body["result"]["bulletin"]["state"] == "published"
    listed = await api.get("/api/bulletins", "viewer")
    assert [b["state"] for b in listed.body["bulletins"]] == ["published"]
    async with api.http.get(f"{api.base}/api/bulletins/{bulletin['id']}/pdf",
                            headers={"Authorization":
                                     f"Bearer {await api.login('kbs')}"}) as resp:
        assert resp.status == 200 and resp.content_type == "application/pdf"
        assert "已发布" in pdf_text(await resp.read())
    trail = api.db.read_sync(lambda s: [(a.user, a.action) for a in s.scalars(
        select(AuditEntry).where(AuditEntry.action.like("bulletin.%"))
        .order_by(AuditEntry.ts))])
    assert trail == [("operator", "bulletin.draft"), ("kbs", "bulletin.approve"),
                     ("admin", "bulletin.publish")]


async def test_a_district_sees_only_its_own_bulletins(api: Api) -> None:
    for district in ("D01", "D02"):
        reply = await api.action("admin", "bulletin.draft",
                                 {"district_id": district, "period": "2026-W47"})
        assert reply.status == 200, reply.body
    mine = await api.get("/api/bulletins", "kbs")
    assert [b["district_id"] for b in mine.body["bulletins"]] == ["D01"]
    foreign = await api.action("kbs", "bulletin.draft",
                               {"district_id": "D02", "period": "2026-11"})
    assert foreign.status == 404
