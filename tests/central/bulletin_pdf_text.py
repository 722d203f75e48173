"""Reads back the text a :mod:`central.pdf_text` PDF draws (its ``<hex> Tj`` strings), so tests
check what a reader of the bulletin sees without a PDF library."""

from __future__ import annotations

import re
import zlib


def pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    texts: list[str] = []
    for stream in re.findall(rb"stream\n(.*?)\nendstream", pdf, re.S):
        ops = zlib.decompress(stream).decode("ascii")
        texts += [bytes.fromhex(h).decode("utf-16-be")
                  for h in re.findall(r"<([0-9A-F]+)> Tj", ops)]
    return "\n".join(texts)
