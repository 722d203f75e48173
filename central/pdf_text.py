"""A small Qt-free PDF writer for text reports (督查通报) with Chinese text.

Central may not use Qt (no Qt in ``central/``) and the project has no PDF library; the bulletin
is text and tables, so this writes PDF 1.4 directly. Chinese renders through the standard Adobe
CJK font ``STSong-Light`` with the ``UniGB-UCS2-H`` encoding, which every PDF reader provides
without embedding (it is how ReportLab and most Chinese government systems write Chinese PDFs):
the file stays small and needs no font file on the server. Text is written as UTF-16BE code
units, so any character of the Basic Multilingual Plane (all of GB 18030's common Chinese and
Latin) is drawn; others are replaced with "?".

The page model is deliberately simple: lines of text at a y cursor, tables as cells at fixed
x positions, a new page when the cursor reaches the bottom margin.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

PAGE_W, PAGE_H = 595.0, 842.0  # A4 in points
MARGIN = 50.0

# Widths (1/1000 em) of the proportional Latin glyphs of STSong-Light, CIDs 1-95 = ASCII
# 0x20-0x7E, as Adobe publishes them; every other CID (Chinese) is 1000 wide.
_LATIN_W = [207, 270, 342, 467, 462, 797, 710, 239, 374, 374, 423, 605, 238, 375, 238, 334,
            462, 462, 462, 462, 462, 462, 462, 462, 462, 462, 238, 238, 605, 605, 605, 344,
            748, 684, 560, 695, 739, 563, 511, 729, 793, 318, 312, 666, 526, 896, 758, 772,
            544, 772, 628, 465, 607, 753, 711, 972, 647, 620, 607, 374, 333, 374, 606, 500,
            239, 417, 503, 427, 529, 415, 264, 444, 518, 241, 230, 495, 228, 793, 527, 524,
            524, 504, 338, 336, 277, 517, 450, 652, 466, 452, 407, 370, 258, 370, 605]


def text_width(text: str, size: float) -> float:
    """Width of ``text`` in points at ``size`` (to fit cells and right-align numbers)."""
    total = 0
    for ch in text:
        code = ord(ch)
        total += _LATIN_W[code - 0x20] if 0x20 <= code <= 0x7E else 1000
    return total * size / 1000.0


def _hex(text: str) -> str:
    safe = "".join(ch if ord(ch) <= 0xFFFF else "?" for ch in text)
    return safe.encode("utf-16-be").hex().upper()


def fit(text: str, size: float, width: float) -> str:
    """``text`` shortened with "…" to fit ``width`` points."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


@dataclass
class Document:
    """Pages of drawn text; :meth:`pdf` gives the file's bytes."""

    title: str = ""
    footer: str = ""
    pages: list[list[str]] = field(default_factory=list)
    y: float = PAGE_H - MARGIN

    def __post_init__(self) -> None:
        self.new_page()

    def new_page(self) -> None:
        self.pages.append([])
        self.y = PAGE_H - MARGIN

    def _ensure(self, height: float) -> None:
        if self.y - height < MARGIN + 20:
            self.new_page()

    def draw(self, x: float, y: float, text: str, size: float = 10.5,
             rgb: tuple[float, float, float] = (0, 0, 0)) -> None:
        r, g, b = rgb
        self.pages[-1].append(f"{r:.3f} {g:.3f} {b:.3f} rg BT /F1 {size:.1f} Tf "
                              f"{x:.1f} {y:.1f} Td <{_hex(text)}> Tj ET")

    def rule(self, y: float, x0: float = MARGIN, x1: float = PAGE_W - MARGIN,
             gray: float = 0.6) -> None:
        self.pages[-1].append(f"{gray:.2f} G 0.5 w {x0:.1f} {y:.1f} m {x1:.1f} {y:.1f} l S")

    def line(self, text: str, size: float = 10.5, gap: float = 4.0, indent: float = 0.0,
             rgb: tuple[float, float, float] = (0, 0, 0)) -> None:
        """One line of text (cut to the page width) below the previous one."""
        self._ensure(size + gap)
        self.y -= size + gap
        width = PAGE_W - 2 * MARGIN - indent
        self.draw(MARGIN + indent, self.y, fit(text, size, width), size, rgb)

    def space(self, height: float) -> None:
        self.y -= height

    def table(self, headers: list[str], rows: list[list[str]], widths: list[float],
              size: float = 9.5) -> None:
        """A table with a header row, repeated on a new page when it breaks."""
        def row(cells: list[str], bold_rule: bool) -> None:
            x = MARGIN
            for cell, w in zip(cells, widths, strict=False):
                self.draw(x + 2, self.y + 3, fit(cell, size, w - 4), size)
                x += w
            self.rule(self.y, MARGIN, MARGIN + sum(widths), 0.3 if bold_rule else 0.8)

        height = size + 8
        self._ensure(2 * height)
        self.y -= height
        row(headers, True)
        for cells in rows:
            if self.y - height < MARGIN + 20:
                self.new_page()
                self.y -= height
                row(headers, True)
            self.y -= height
            row(cells, False)
        if not rows:
            self.line("（无）", size)

    def pdf(self) -> bytes:
        objects: list[bytes] = []

        def add(body: bytes) -> int:
            objects.append(body)
            return len(objects)

        catalog = add(b"")  # filled in below, once the pages object's number is known
        pages_ref = add(b"")
        descriptor = add(b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
                         b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 "
                         b"/Descent -120 /CapHeight 880 /StemV 93 >>")
        descendant = add(
            b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> "
            b"/FontDescriptor " + f"{descriptor}".encode() + b" 0 R /DW 1000 "
            b"/W [1 [" + " ".join(map(str, _LATIN_W)).encode() + b"]] >>")
        font = add(b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light-UniGB-UCS2-H "
                   b"/Encoding /UniGB-UCS2-H /DescendantFonts [" +
                   f"{descendant}".encode() + b" 0 R] >>")
        kids: list[int] = []
        count = len(self.pages)
        for number, ops in enumerate(self.pages, start=1):
            footer = []
            if self.footer or count > 1:
                text = f"{self.footer}    {number} / {count}".strip()
                footer.append(f"0.4 0.4 0.4 rg BT /F1 8.0 Tf {MARGIN:.1f} 30.0 Td "
                              f"<{_hex(text)}> Tj ET")
            stream = zlib.compress("\n".join([*ops, *footer]).encode("ascii"))
            content = add(b"<< /Length " + str(len(stream)).encode() +
                          b" /Filter /FlateDecode >>\nstream\n" + stream + b"\nendstream")
            kids.append(add(
                f"<< /Type /Page /Parent {pages_ref} 0 R /MediaBox [0 0 {PAGE_W:.0f} "
                f"{PAGE_H:.0f}] /Resources << /Font << /F1 {font} 0 R >> >> "
                f"/Contents {content} 0 R >>".encode()))
        objects[pages_ref - 1] = (f"<< /Type /Pages /Count {count} /Kids ["
                                  + " ".join(f"{k} 0 R" for k in kids) + "] >>").encode()
        objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_ref} 0 R >>".encode()
        info = add(b"<< /Title <FEFF" + _hex(self.title).encode() +
                   b"> /Producer (Kitchen Watch central) >>")
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(objects, start=1):
            offsets.append(len(out))
            out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
        xref = len(out)
        out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
        out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
        out += (f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R /Info {info} 0 R "
                f">>\nstartxref\n{xref}\n%%EOF\n").encode()
        return bytes(out)
