"""PDF documents (fpdf2) that print people's own words in any Latin, Greek or Cyrillic
script: every export starts from `new_pdf()`, which embeds DejaVu Sans (regular and bold,
shipped in data/fonts/ with its licence) instead of the core Helvetica, whose Latin-1
would print "Ηλιέλαιο" as "????????".

Each style falls back to the other for the few glyphs only one of them has (DejaVu Sans
Bold lacks some the regular face has, and the other way round). A character neither face
has (CJK such as "鸡胸肉", emoji) prints as the font's empty box, never as "?", and fpdf2
logs a warning naming it; shipping a CJK or emoji font would add tens of megabytes, so
those scripts are a documented limit rather than a fallback."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from fpdf import FPDF

FONT = "DejaVu"
FONTS_DIR = Path(__file__).resolve().parent.parent / "data" / "fonts"
_FACES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}


def new_pdf(*, title: str, created_at: datetime, format: str = "A4") -> FPDF:
    """An empty document with the Unicode font set up and fixed metadata, so the same
    input gives the same bytes. Set the font with `pdf.set_font(FONT, "" or "B", size)`."""
    pdf = FPDF(format=format)
    for style, file in _FACES.items():
        pdf.add_font(FONT, style, FONTS_DIR / file)
    pdf.set_fallback_fonts([FONT], exact_match=False)
    pdf.set_font(FONT, "", 11)
    pdf.set_creation_date(created_at)
    pdf.set_title(title)
    return pdf
