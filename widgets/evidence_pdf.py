"""Evidence pack: one alarm and its task as a PDF for the case file (证据包).

Contains the business, the alarm's details, the evidence image with the detector's box, the
sensor trend around the alarm, the task with its checklist, the timeline of who did what, and
before/after photos. Built as a ``QTextDocument`` laid out for the PDF device (so fonts and
images are sized in real units) and painted page by page with a footer, through
``QPdfWriter``; fonts are embedded, so Chinese names render on any reader.

Runs on the GUI thread (the trend chart is a widget rendered to an image); a pack with a few
photos takes a fraction of a second.
"""

from __future__ import annotations

import functools
import html
import logging
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QMarginsF, QObject, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QRawFont,
    QTextDocument,
)

from common.masking import mask_text, mask_url
from domain.clock import utcnow
from widgets import labels
from widgets.alarm_text import describe
from widgets.business_card import licence_status
from widgets.evidence_view import image_with_box, load_image
from widgets.formatting import date_text, datetime_text, number_text
from widgets.gauges import GaugeLimits
from widgets.models.masking import mask_name, mask_phone
from widgets.models.rows import AlarmRow, BusinessCard, TaskEventRow, TaskRow, place_line
from widgets.theme import CJK_FAMILIES, ui_font

log = logging.getLogger("kitchenwatch.widgets.evidence_pdf")

ImageLike = QImage | bytes | None




class EvidenceExportError(OSError):
    """The PDF could not be written; the message names the file and the cause."""


@dataclass
class EvidencePack:
    """Everything that goes into one evidence PDF; images as decoded QImage or bytes."""

    alarm: AlarmRow
    business: BusinessCard | None = None
    task: TaskRow | None = None
    events: Sequence[TaskEventRow] = ()
    snapshot: ImageLike = None
    snapshot_is_pre_alarm: bool = False
    trend_points: Sequence[Sequence[Any]] = ()
    trend_limits: GaugeLimits | None = None
    trend_title: str = ""
    before_photos: Sequence[tuple[str, ImageLike]] = ()
    after_photos: Sequence[tuple[str, ImageLike]] = ()
    attachments: dict[str, ImageLike] = field(default_factory=dict)  # timeline url -> image
    generated_by: str = ""
    generated_at: datetime | None = None
    mask_personal: bool = False
    #: Exported video clips: (camera, time range, SHA-256, file name), and their key frames.
    clips: Sequence[tuple[str, str, str, str]] = ()
    clip_frames: Sequence[tuple[str, ImageLike]] = ()


def _e(text: object) -> str:
    return html.escape("" if text is None else str(text))


def render_trend_image(points: Sequence[Sequence[Any]], limits: GaugeLimits | None,
                       alarm: AlarmRow, title: str = "", size: tuple[int, int] = (960, 380)
                       ) -> QImage:
    """The sensor trend around the alarm as an image (band, breaches, alarm mark)."""
    from widgets.trend import SensorTrendChart  # pyqtgraph only when a chart is needed

    chart = SensorTrendChart(show_span_buttons=False)
    try:
        if limits is not None:
            chart.set_limits(limits)
        if title:
            chart.set_title(title)
        chart.set_points(points, end=max(alarm.last_seen_at, alarm.opened_at))
        text = labels.alarm_type(alarm.kind, alarm.subtype)
        chart.set_alarm_marks([(alarm.opened_at, f"×{alarm.count} {text}"
                                if alarm.count > 1 else text)])
        return chart.render_image(*size)
    finally:
        chart.deleteLater()


class _HtmlBuilder:
    """Collects HTML and the images it references."""

    def __init__(self, content_width_px: int) -> None:
        self.parts: list[str] = []
        self.images: dict[str, QImage] = {}
        self.width = content_width_px

    def add(self, text: str) -> None:
        self.parts.append(text)

    def h2(self, text: str) -> None:
        self.add(f"<h2>{_e(text)}</h2>")

    def rows(self, rows: Iterable[tuple[str, str]], highlight: set[str] | None = None) -> None:
        self.add('<table class="kv" cellspacing="0" cellpadding="4" width="100%">')
        for key, value in rows:
            style = ' class="bad"' if highlight and key in highlight else ""
            self.add(f'<tr><th width="26%">{_e(key)}</th><td{style}>{_e(value)}</td></tr>')
        self.add("</table>")

    def image(self, name: str, image: QImage, fraction: float = 0.9, caption: str = "") -> None:
        self.images[name] = image
        width = int(self.width * fraction)
        height = int(image.height() * width / max(1, image.width()))
        self.add(f'<p align="center"><img src="kw://{name}" width="{width}" height="{height}">')
        if caption:
            self.add(f'<br/><span class="caption">{_e(caption)}</span>')
        self.add("</p>")

    def html(self) -> str:
        return "".join(self.parts)


_CSS = """
h1 { font-size: 18pt; margin-bottom: 2pt; }
h2 { font-size: 13pt; margin-top: 14pt; margin-bottom: 4pt; color: #1c3d6e; }
.sub { color: #495057; }
table.kv th { text-align: right; color: #495057; font-weight: normal; background: #f1f3f5; }
table.kv td { }
table.grid th { background: #e9ecef; text-align: left; }
.bad { color: #c92a2a; font-weight: bold; }
.caption { color: #495057; font-size: 9pt; }
"""


def _person(name: str, phone: str, mask: bool) -> str:
    if mask:
        name, phone = mask_name(name), mask_phone(phone)
    return " · ".join(x for x in (name, phone) if x) or "—"


def _who(name: str, mask: bool) -> str:
    """A member of staff named in the pack: masked like any person on a masked pack."""
    return mask_name(name) if mask and name else name


class EvidenceDocument(QObject):
    """Builds the pack's text document (a QObject so its strings have a translation context)."""

    def build(self, pack: EvidencePack, content_width_px: int) -> QTextDocument:
        """The pack as a text document whose content is ``content_width_px`` CSS pixels wide."""
        a, b, t = pack.alarm, pack.business, pack.task
        doc = QTextDocument()
        font = ui_font()
        font.setFamilies([*CJK_FAMILIES, font.family()])
        font.setPointSizeF(10)
        # No Latin ligatures: "ﬃ" in the text layer would break searching for "official".
        font.setFeature(QFont.Tag("liga"), 0)
        doc.setDefaultFont(font)
        doc.setDefaultStyleSheet(_CSS)
        out = _HtmlBuilder(content_width_px)
        kind = labels.alarm_type(a.kind, a.subtype)
        name = (b.name if b else "") or a.business_name or a.business_id
        when = pack.generated_at or utcnow()
        title = self.tr("Evidence pack")
        out.add(f"<h1>{_e(title)}: {_e(kind)}</h1>")
        out.add(f'<p class="sub"><b>{_e(name)}</b><br/>'
                + _e(self.tr("Alarm %1 · generated %2").replace("%1", a.id)
                     .replace("%2", datetime_text(when)))
                + (_e(" · " + self.tr("by %1").replace("%1", pack.generated_by))
                   if pack.generated_by else "") + "</p>")

        out.h2(self.tr("Business"))
        if b is not None:
            lic = licence_status(b.licence_expiry, when.astimezone().date())
            expiry = date_text(b.licence_expiry) if b.licence_expiry else "—"
            if lic == "expired":
                expiry += " " + self.tr("(expired)")
            out.rows([
                (self.tr("Name"), b.name),
                (self.tr("Category"), labels.category(b.category)),
                (self.tr("District / street / community"), place_line(b)),
                (self.tr("Address"), b.address or "—"),
                (self.tr("Licence"), f"{b.licence_no or '—'} · {expiry}"),
                (self.tr("Responsible official"),
                 _person(b.official_name, b.official_phone, pack.mask_personal)),
                (self.tr("Contact"), _person(b.contact_name, b.contact_phone, pack.mask_personal)),
            ], highlight={self.tr("Licence")} if lic in ("expired", "expiring") else None)
        else:
            out.rows([(self.tr("Business"), f"{a.business_name} ({a.business_id})")])

        out.h2(self.tr("Alarm"))
        rows = [
            (self.tr("Type"), kind),
            (self.tr("Severity"), labels.severity(a.severity)),
            (self.tr("State"), labels.alarm_state(a.state)),
            (self.tr("Opened"), datetime_text(a.opened_at, seconds=True)),
            (self.tr("Last seen"), datetime_text(a.last_seen_at, seconds=True)),
            (self.tr("Repeats"), f"×{a.count}"),
        ]
        if a.value is not None:
            value = number_text(a.value, 1)
            if a.threshold is not None:
                value += " / " + self.tr("limit %1").replace("%1", number_text(a.threshold, 1))
            rows.append((self.tr("Value"), value))
        if describe(a):
            rows.append((self.tr("Message"), describe(a)))
        if a.acked_at:
            rows.append((self.tr("Acknowledged"), f"{datetime_text(a.acked_at)} · {a.acked_by}"))
        if a.dismiss_reason:
            rows.append((self.tr("Dismissal reason"), a.dismiss_reason))
        if a.closed_at:
            rows.append((self.tr("Closed"), datetime_text(a.closed_at)))
        if a.evidence_clip_url:
            # Its name is the SHA-256 central computed from its bytes: what a court compares.
            name = a.evidence_clip_url.rsplit("/", 1)[-1]
            digest, _, ext = name.partition(".")
            rows.append((self.tr("AI clip"), f"{ext.upper()} · SHA-256 {digest}"))
        out.rows(rows)

        snapshot = load_image(pack.snapshot)
        if snapshot is not None:
            out.h2(self.tr("Pre-alarm frame") if pack.snapshot_is_pre_alarm
                   else self.tr("Evidence image"))
            box = None if pack.snapshot_is_pre_alarm else a.evidence_box
            out.image("snapshot", image_with_box(snapshot, box, kind if box else ""), 0.85,
                      mask_url(a.evidence_url))

        if pack.trend_points:
            out.h2(self.tr("Sensor trend"))
            out.image("trend", render_trend_image(pack.trend_points, pack.trend_limits, a,
                                                  pack.trend_title), 1.0)

        if t is not None:
            out.h2(self.tr("Inspection task"))
            items = t.checklist.get("items", []) if isinstance(t.checklist, dict) else []
            checklist = "; ".join(("☑ " if i.get("done") else "☐ ") + str(i.get("text", ""))
                                  for i in items if isinstance(i, dict))
            task_rows = [
                (self.tr("Task"), t.title),
                (self.tr("State"), labels.task_state(t.state)),
                (self.tr("Assignee"), _who(t.assignee_name or t.assignee, pack.mask_personal)),
                (self.tr("Deadline"), datetime_text(t.deadline)),
            ]
            if t.escalated:
                task_rows.append((self.tr("Supervised case"), t.supervisor or self.tr("yes")))
            if checklist:
                task_rows.append((self.tr("Checklist"), checklist))
            if t.notes:
                task_rows.append((self.tr("Notes"), mask_text(t.notes)))
            if t.closed_at:
                task_rows.append((self.tr("Closed (ticked off)"), datetime_text(t.closed_at)))
            out.rows(task_rows)

        if pack.events:
            out.h2(self.tr("Timeline"))
            out.add('<table class="grid" cellspacing="0" cellpadding="4" width="100%" '
                    'border="0.5">')
            out.add("<tr>" + "".join(f"<th>{_e(h)}</th>" for h in (
                self.tr("Time"), self.tr("Who"), self.tr("What"), self.tr("Note"))) + "</tr>")
            for n, ev in enumerate(sorted(pack.events, key=lambda e: (e.ts, e.id))):
                what = labels.task_action(ev.action)
                if ev.from_state and ev.to_state and ev.from_state != ev.to_state:
                    what += f" → {labels.task_state(ev.to_state)}"
                note = _e(mask_text(ev.note))
                thumb = load_image(pack.attachments.get(ev.attachment_url)) if ev.attachment_url \
                    else None
                if thumb is not None:
                    name_ = f"att{n}"
                    out.images[name_] = thumb
                    w = int(content_width_px * 0.22)
                    h = int(thumb.height() * w / max(1, thumb.width()))
                    note += f'<br/><img src="kw://{name_}" width="{w}" height="{h}">'
                elif ev.attachment_url:
                    note += f'<br/><span class="caption">{_e(mask_url(ev.attachment_url))}</span>'
                who = _who(ev.actor, pack.mask_personal)
                out.add(f"<tr><td>{_e(datetime_text(ev.ts))}</td><td>{_e(who)}</td>"
                        f"<td>{_e(what)}</td><td>{note}</td></tr>")
            out.add("</table>")

        photos = [(self.tr("Before"), pack.before_photos), (self.tr("After"), pack.after_photos)]
        if any(p for _, p in photos):
            out.h2(self.tr("Before and after"))
            out.add('<table cellspacing="6" width="100%"><tr>')
            for title, group in photos:
                out.add(f'<td width="50%" valign="top"><b>{_e(title)}</b>')
                for i, (caption, data) in enumerate(group):
                    img = load_image(data)
                    if img is None:
                        continue
                    key = f"{title}-{i}"
                    out.images[key] = img
                    w = int(content_width_px * 0.46)
                    h = int(img.height() * w / max(1, img.width()))
                    out.add(f'<br/><img src="kw://{key}" width="{w}" height="{h}">'
                            f'<br/><span class="caption">{_e(caption)}</span>')
                out.add("</td>")
            out.add("</tr></table>")

        if pack.clips:
            out.h2(self.tr("Video clips"))
            out.add('<table cellspacing="0" cellpadding="3" width="100%">'
                    f"<tr><th>{_e(self.tr('Camera'))}</th><th>{_e(self.tr('Time'))}</th>"
                    f"<th>{_e(self.tr('File'))}</th><th>SHA-256</th></tr>")
            for camera, span, digest, file_name in pack.clips:
                out.add(f"<tr><td>{_e(camera)}</td><td>{_e(span)}</td><td>{_e(file_name)}</td>"
                        f'<td><span style="font-family: monospace; font-size: 7pt">'
                        f"{_e(digest)}</span></td></tr>")
            out.add("</table>")
            frames = [(c, load_image(d)) for c, d in pack.clip_frames]
            for i, (caption, img) in enumerate(f for f in frames if f[1] is not None):
                assert img is not None
                key = f"clip-frame-{i}"
                out.images[key] = img
                w = int(content_width_px * 0.3)
                h = int(img.height() * w / max(1, img.width()))
                out.add(f'<img src="kw://{key}" width="{w}" height="{h}"> ')
                if caption:
                    out.add(f'<span class="caption">{_e(caption)}</span> ')

        for key, image in out.images.items():
            doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"kw://{key}"), image)
        doc.setHtml(out.html())
        return doc


_RADICAL_RANGES = ((0x2E80, 0x2EFF), (0x2F00, 0x2FDF))
_TOKEN = re.compile(rb"<([0-9A-Fa-f]{4})>")
_CMAP_BLOCK = re.compile(rb"begin(bfrange|bfchar)(.*?)end\1", re.DOTALL)


@functools.cache
def _radical_to_ideograph() -> dict[int, int]:
    """CJK radical code points -> the unified ideograph drawn with the same glyph.

    Qt's PDF writer builds each font's ToUnicode map by taking, for every glyph, the *lowest*
    code point that maps to it. CJK fonts draw e.g. the Kangxi radical U+2F7C and the
    ideograph 老 U+8001 with one glyph, so the PDF claims the text says "⽼王家常菜": it looks
    right but cannot be searched or copied. Kangxi radicals normalise to their ideographs
    (NFKC); radicals of the supplement block do not, so those are matched through the font.
    """
    mapping: dict[int, int] = {}
    for cp in range(0x2F00, 0x2FD6):
        norm = unicodedata.normalize("NFKC", chr(cp))
        if len(norm) == 1 and norm != chr(cp):
            mapping[cp] = ord(norm)
    for family in CJK_FAMILIES:
        raw = QRawFont.fromFont(QFont(family))
        if not raw.isValid() or not raw.supportsCharacter(0x9752):
            continue
        ideographs = "".join(chr(c) for c in range(0x4E00, 0xA000))
        first: dict[int, int] = {}
        for ch, glyph in zip(ideographs, raw.glyphIndexesForString(ideographs), strict=True):
            if glyph:
                first.setdefault(glyph, ord(ch))
        radicals = "".join(chr(c) for c in range(0x2E80, 0x2F00))
        for ch, glyph in zip(radicals, raw.glyphIndexesForString(radicals), strict=True):
            if glyph and glyph in first:
                mapping.setdefault(ord(ch), first[glyph])
        break
    return mapping


def fix_text_mapping(pdf: bytes) -> bytes:
    """Point radical code points in the ToUnicode maps at their ideographs.

    Only 4-digit tokens inside ``bfrange``/``bfchar`` blocks are touched and each is replaced
    by another 4-digit token, so no byte offset in the file moves (the xref stays valid).
    """
    mapping = _radical_to_ideograph()

    def token(m: re.Match[bytes]) -> bytes:
        cp = int(m.group(1), 16)
        if any(lo <= cp <= hi for lo, hi in _RADICAL_RANGES) and cp in mapping:
            return b"<%04X>" % mapping[cp]
        return m.group(0)

    return _CMAP_BLOCK.sub(lambda m: _TOKEN.sub(token, m.group(0)), pdf)


def export_evidence_pdf(path: str | os.PathLike[str], pack: EvidencePack,
                        resolution_dpi: int = 200) -> int:
    """Write the evidence pack; returns the number of pages.

    Raises:
        EvidenceExportError: the file could not be created.
    """
    target = Path(path)
    if not target.parent.is_dir():
        raise EvidenceExportError(f"cannot write {target}: folder does not exist")
    tmp = target.with_name(f".{target.name}.part")
    writer = QPdfWriter(str(tmp))
    writer.setResolution(resolution_dpi)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(16, 14, 16, 14), QPageLayout.Unit.Millimeter)
    business = pack.business.name if pack.business else pack.alarm.business_name
    builder = EvidenceDocument()
    title = QCoreApplication.translate("EvidenceDocument", "Evidence pack")
    writer.setTitle(f"{title} {pack.alarm.id} {business}")
    writer.setCreator("Kitchen Watch")
    painter = QPainter()
    if not painter.begin(writer):
        raise EvidenceExportError(f"cannot write {target}: the PDF could not be created")
    pages = 0
    try:
        width, height = writer.width(), writer.height()
        footer_h = int(resolution_dpi * 0.3)
        page_h = height - footer_h
        # Image sizes in the HTML are CSS pixels (1/96 in); the layout scales them to the
        # writer's resolution.
        doc = builder.build(pack, int(width * 96 / resolution_dpi))
        doc.documentLayout().setPaintDevice(writer)
        doc.setPageSize(QSizeF(width, page_h))
        pages = doc.pageCount()
        footer_font = ui_font()
        footer_font.setPointSizeF(8)
        for page in range(pages):
            if page:
                writer.newPage()
            painter.save()
            painter.translate(0, -page * page_h)
            doc.drawContents(painter, QRectF(0, page * page_h, width, page_h))
            painter.restore()
            painter.setFont(footer_font)
            painter.setPen(QColor("#868e96"))
            page_text = QCoreApplication.translate("EvidenceDocument", "page %1 of %2")
            page_text = page_text.replace("%1", str(page + 1)).replace("%2", str(pages))
            footer = f"{business} · {pack.alarm.id} · {page_text}"
            painter.drawText(QRectF(0, height - footer_h, width, footer_h),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                             footer)
    finally:
        painter.end()
    try:
        tmp.write_bytes(fix_text_mapping(tmp.read_bytes()))
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise EvidenceExportError(f"cannot write {target}: {exc.strerror or exc}") from exc
    log.info("evidence pack for alarm %s written to %s (%d pages)", pack.alarm.id, target, pages)
    return pages
