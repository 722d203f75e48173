"""Evidence pack PDF: a valid, paginated PDF whose text layer holds the business name."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from tests.widgets.conftest import NOW, alarm, business, task
from widgets.evidence_pdf import (
    EvidenceExportError,
    EvidencePack,
    export_evidence_pdf,
    fix_text_mapping,
)
from widgets.gauges import GaugeLimits
from widgets.models.rows import TaskEventRow

BUSINESS = "老王家常菜（青山店）"  # 老 and 青 share glyphs with CJK radicals in Noto CJK


def _image(color: str = "#6b5b45") -> QImage:
    img = QImage(640, 360, QImage.Format.Format_RGB32)
    img.fill(QColor(color))
    return img


def _pack() -> EvidencePack:
    a = alarm(1, sensor_id="S1", severity=4, count=3, value=27.4, threshold=25.0,
              business_name=BUSINESS)
    points = [(NOW - timedelta(minutes=1440 - i),
               22 + 2 * math.sin(i / 100) + (4 if 1250 < i < 1400 else 0), 60.0)
              for i in range(0, 1440, 5)]
    events = [
        TaskEventRow.from_payload(dict(
            id=f"E{j}", task_id="T0001", action=action, actor=actor, note=note,
            ts=(NOW + timedelta(hours=j)).isoformat(), from_state=f, to_state=t,
            attachment_url=url))
        for j, (action, actor, f, t, note, url) in enumerate([
            ("dispatch", "operator", "", "dispatched", "请两小时内提交整改方案", ""),
            ("arrive", "李娜", "accepted", "on_site", "已到现场，专间空调故障", "/m/before.jpg"),
            ("submit_review", "李娜", "rectifying", "review", "空调已维修", "/m/after.jpg"),
            ("close", "operator", "review", "closed", "复查合格，销号", ""),
        ])
    ]
    return EvidencePack(
        alarm=a, business=business(name=BUSINESS),
        task=task(1, state="closed", escalated=True, supervisor="王局长"),
        events=events, snapshot=_image(), snapshot_is_pre_alarm=True,
        trend_points=points, trend_limits=GaugeLimits(temp_high=25.0), trend_title="专间",
        before_photos=[("整改前", _image("#444"))], after_photos=[("整改后", _image("#6a6"))],
        attachments={"/m/before.jpg": _image("#444")}, generated_by="operator",
        generated_at=NOW, mask_personal=True)


def _pdf_text(path: Path) -> str | None:
    """Text layer via pdftotext, else Qt's own PDF module; None when neither is available."""
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                              capture_output=True, timeout=60).stdout.decode("utf-8")
    try:
        from PySide6.QtPdf import QPdfDocument
    except ImportError:
        return None
    doc = QPdfDocument()
    doc.load(str(path))
    return "\n".join(doc.getAllText(p).text() for p in range(doc.pageCount()))


def test_evidence_pack_is_a_valid_pdf_with_the_business_name(qapp, tmp_path) -> None:
    path = tmp_path / "evidence.pdf"
    pages = export_evidence_pdf(path, _pack())
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert pages >= 2  # a full pack with photos does not fit one A4 page
    assert re.search(rb"/Count %d\b" % pages, data), "page tree counts the pages we drew"
    assert len(re.findall(rb"/Type /Page\b(?!s)", data)) == pages
    assert not list(tmp_path.glob(".*.part"))  # no temp file left behind
    text = _pdf_text(path)
    if text is None:
        pytest.skip("neither pdftotext nor PySide6.QtPdf available to read the text layer")
    assert BUSINESS in text
    assert "张*" in text and "138****1234" in text  # masked for the pack
    assert "13800001234" not in text
    assert "复查合格，销号" in text  # the timeline
    assert "Evidence pack" in text


def test_pdf_page_count_matches_a_reader(qapp, tmp_path) -> None:
    QtPdf = pytest.importorskip("PySide6.QtPdf", reason="Qt PDF module not installed")
    path = tmp_path / "evidence.pdf"
    pages = export_evidence_pdf(path, _pack())
    doc = QtPdf.QPdfDocument()
    assert doc.load(str(path)) == QtPdf.QPdfDocument.Error.None_
    assert doc.pageCount() == pages


def test_minimal_pack_without_business_or_task(qapp, tmp_path) -> None:
    path = tmp_path / "min.pdf"
    pages = export_evidence_pdf(path, EvidencePack(alarm=alarm(5)))
    assert pages == 1 and path.read_bytes().startswith(b"%PDF")


def test_missing_folder_is_a_clear_error(qapp, tmp_path) -> None:
    with pytest.raises(EvidenceExportError, match="folder does not exist"):
        export_evidence_pdf(tmp_path / "nope" / "e.pdf", EvidencePack(alarm=alarm(1)))


def test_radicals_in_tounicode_maps_become_ideographs(qapp) -> None:
    pdf = (b"%PDF-1.4\nstream <2F7C>\n1 beginbfchar\n<0005> <2F7C>\nendbfchar\n"
           b"2 beginbfrange\n<0001> <0003> [<2ED8> <738B> <2FCF>]\nendbfrange\n")
    fixed = fix_text_mapping(pdf)
    assert len(fixed) == len(pdf)  # offsets unchanged: the xref table stays valid
    assert b"stream <2F7C>" in fixed  # outside a CMap block: untouched
    assert b"<0005> <8001>" in fixed  # 老
    assert b"[<9752> <738B> <9F20>]" in fixed  # 青 王 鼠
