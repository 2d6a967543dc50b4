"""PDF documents (fpdf2) that print people's own words in any Latin, Greek or Cyrillic
script: every export starts from `new_pdf()`, which embeds DejaVu Sans (regular and bold,
shipped in data/fonts/ with its licence) instead of the core Helvetica, whose Latin-1
would print "Ηλιέλαιο" as "????????".

Each style falls back to the other for the few glyphs only one of them has (DejaVu Sans
Bold lacks some the regular face has, and the other way round). A character neither face
has (CJK such as "鸡胸肉", emoji) prints as U+FFFD "�", so a reader sees that something is
there, and one warning per document says how many distinct ones (fpdf2 alone would leave
them out without a trace on the page). A CJK or emoji font would add tens of megabytes to
the package, so those scripts are a documented limit. DejaVu has Arabic and Hebrew letters,
but without a text shaper fpdf2 prints them unjoined and left to right: not claimed either."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import structlog
from fpdf import FPDF

FONT = "DejaVu"
FONTS_DIR = Path(__file__).resolve().parent.parent / "data" / "fonts"
UNPRINTABLE = "\ufffd"
_FACES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}

log = structlog.get_logger("spotter.pdf")


class Document(FPDF):
    """An FPDF whose text never loses a character silently (see the module's doc)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unprintable: set[str] = set()

    def normalize_text(self, text: str) -> str:
        text = super().normalize_text(text)
        if not self.is_ttf_font or text.isascii():  # every ASCII character has a glyph
            return text
        cmaps = [font.cmap for font in self.fonts.values() if hasattr(font, "cmap")]
        printed = [
            c if c.isspace() or any(ord(c) in cmap for cmap in cmaps) else UNPRINTABLE for c in text
        ]
        self.unprintable.update(c for c, p in zip(text, printed, strict=True) if p != c)
        return "".join(printed)

    def output(self, *args: Any, **kwargs: Any) -> Any:
        if self.unprintable:  # the count only: the characters are someone's words
            log.warning("pdf.unprintable_characters", distinct=len(self.unprintable), font=FONT)
        return super().output(*args, **kwargs)


def new_pdf(*, title: str, created_at: datetime, format: str = "A4") -> Document:
    """An empty document with the Unicode font set up and fixed metadata, so the same
    input gives the same bytes. Set the font with `pdf.set_font(FONT, "" or "B", size)`."""
    pdf = Document(format=format)
    for style, file in _FACES.items():
        pdf.add_font(FONT, style, FONTS_DIR / file)
    pdf.set_fallback_fonts([FONT], exact_match=False)
    pdf.set_font(FONT, "", 11)
    pdf.set_creation_date(created_at)
    pdf.set_title(title)
    return pdf
