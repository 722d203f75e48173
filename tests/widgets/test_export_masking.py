"""Files that leave the building — CSV exports and evidence packs — carry no camera password,
no token or signature of a media address, and, on a pack with personal details hidden, no
staff member's full name."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtGui import QColor, QImage

from tests.widgets.conftest import NOW, alarm, business, task
from widgets.csv_export import write_csv
from widgets.evidence_pdf import EvidenceDocument, EvidencePack
from widgets.models.rows import TaskEventRow

CAMERA = "rtsp://admin:P@ss/w:rd@192.0.2.10:554/ch1"
SECRETS = ("P@ss", "ss/w", "w:rd", "SIG-a1b2c3", "SIG-d4e5f6", "tok-9z8y")


def _leaked(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


def test_csv_cells_are_masked_and_other_values_kept(tmp_path) -> None:
    path = tmp_path / "alarms.csv"
    write_csv(path, ["camera", "note", "count"], [
        ["前厨 1", f"stream {CAMERA} offline", 3],
        ["前厨 2", "see http://cam-2/snap.jpg?user=op&token=tok-9z8y&size=1", 4.5],
        ["前厨 3", None, 0],
    ])
    text = path.read_bytes().decode("utf-8-sig")
    assert not _leaked(text), text
    assert "stream rtsp://***@192.0.2.10:554/ch1 offline" in text
    assert "http://cam-2/snap.jpg?user=***&token=***&size=1" in text
    assert "前厨 1" in text and ",3\r\n" in text and ",4.5\r\n" in text


def _image() -> QImage:
    img = QImage(320, 180, QImage.Format.Format_RGB32)
    img.fill(QColor("#6b5b45"))
    return img


def test_evidence_pack_masks_addresses_notes_and_staff_names(qapp) -> None:
    events = [TaskEventRow.from_payload(dict(
        id="E1", task_id="T0001", action="arrive", actor="李娜", from_state="accepted",
        to_state="on_site", ts=(NOW + timedelta(hours=1)).isoformat(),
        note=f"摄像头 {CAMERA} 无画面", attachment_url="/media/f00d?sig=SIG-d4e5f6&exp=99"))]
    pack = EvidencePack(
        alarm=alarm(1, evidence_url="/media/beef?sig=SIG-a1b2c3&exp=99"),
        business=business(), task=task(1, notes=f"回放地址 {CAMERA}"), events=events,
        snapshot=_image(), snapshot_is_pre_alarm=False, mask_personal=True)
    text = EvidenceDocument().build(pack, 700).toPlainText()
    assert not _leaked(text), text
    assert "/media/beef?sig=***&exp=99" in text and "/media/f00d?sig=***&exp=99" in text
    assert "摄像头 rtsp://***@192.0.2.10:554/ch1 无画面" in text
    assert "回放地址 rtsp://***@192.0.2.10:554/ch1" in text
    assert "李娜" not in text and "李*" in text
