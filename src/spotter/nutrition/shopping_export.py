"""A shopping list as CSV (group, item, quantity, unit, grams, ticked) and as a printable
PDF (fpdf2: the aisles as headings, a tick box, the quantity and the item on each row,
the pantry staples at the end under "At home").

The PDF is set up by `core.pdf`, so names print in their own script (see there for the
scripts the shipped font lacks)."""

from __future__ import annotations

import asyncio
import csv
import io
import re

from fastapi import Response
from fpdf import FPDF

from spotter.core.pdf import FONT, new_pdf
from spotter.core.text import normalize
from spotter.nutrition.service.shopping import ListView

CSV_COLUMNS = ("group", "item", "quantity", "unit", "grams", "ticked")
ROW_MM = 8.0
LINE_MM = 5.0  # a wrapped line of an item; a one-line row is still ROW_MM high
BOX_MM = 4.5
LABEL_MM = 38.0


def file_name(view: ListView, extension: str) -> str:
    # accents folded ("Café" -> "cafe"); other scripts drop out of the ASCII header value
    slug = re.sub(r"[^a-z0-9]+", "-", normalize(view.row.name)).strip("-") or "shopping-list"
    return f"{slug}.{extension}"


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _unit(label: str | None, quantity: float | None) -> str:
    """The unit words of a label: "1.2 kg" -> "kg", "3 cans (400 g)" -> "cans (400 g)"."""
    if not label:
        return ""
    head, _, rest = label.partition(" ")
    return rest if quantity is not None and head == f"{quantity:g}" else label


def to_csv(view: ListView) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    groups = [(name, items) for _, name, items in view.aisles]
    if view.home:
        groups.append(("At home", view.home))
    for group, items in groups:
        for item in items:
            writer.writerow(
                [
                    group,
                    item.name,
                    _number(item.quantity),
                    _unit(item.label, item.quantity),
                    _number(None if item.grams is None else round(item.grams, 1)),
                    "yes" if item.ticked_at is not None else "no",
                ]
            )
    return out.getvalue()


def _lines(pdf: FPDF, width: float, text: str) -> int:
    """How many lines ``text`` takes in a ``width`` wide column (measured, not drawn)."""
    if pdf.get_string_width(text) <= width - 2 * pdf.c_margin:  # most: skip line breaking
        return 1
    lines = pdf.multi_cell(width, LINE_MM, text, align="L", dry_run=True, output="LINES")
    assert isinstance(lines, list)  # what output="LINES" gives
    return max(1, len(lines))


def _column(pdf: FPDF, x: float, y: float, width: float, text: str, lines: int) -> None:
    """``text`` in a column of a row starting at ``y``: one line centred in the row as a
    plain cell (cheaper than line breaking), more from the same first baseline down."""
    if lines == 1:
        pdf.set_xy(x, y)
        pdf.cell(width, ROW_MM, text)
    else:
        pdf.set_xy(x, y + (ROW_MM - LINE_MM) / 2)
        pdf.multi_cell(width, LINE_MM, text, align="L")


def to_pdf(view: ListView, client_name: str) -> bytes:
    pdf = new_pdf(title=view.row.name, created_at=view.row.generated_at)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    # Long names (many food names, any list name) wrap instead of running off the page.
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(0, 9, view.row.name, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    days = f"{view.row.starts_on:%d %b %Y} to {view.row.ends_on:%d %b %Y}"
    progress = f"{view.ticked} of {len(view.to_buy)} ticked"
    header = f"{client_name} - {days} - {progress}"
    pdf.multi_cell(0, 6, header, align="L", new_x="LMARGIN", new_y="NEXT")
    groups = [(name, items) for _, name, items in view.aisles]
    if view.home:
        groups.append(("At home", view.home))
    name_mm = pdf.epw - BOX_MM - 3 - LABEL_MM
    for name, items in groups:
        if pdf.will_page_break(3 + 2 * ROW_MM):  # a heading never ends a page alone
            pdf.add_page()
        pdf.ln(3)
        pdf.set_font(FONT, "B", 12)
        pdf.cell(0, ROW_MM, name, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 11)
        for item in items:
            label = item.label or ""
            label_lines, name_lines = _lines(pdf, LABEL_MM, label), _lines(pdf, name_mm, item.name)
            height = ROW_MM + (max(label_lines, name_lines) - 1) * LINE_MM
            if pdf.will_page_break(height):  # a row is never split over two pages
                pdf.add_page()
            x, y = pdf.get_x(), pdf.get_y()
            top = y + (ROW_MM - BOX_MM) / 2
            pdf.rect(x, top, BOX_MM, BOX_MM)
            if item.ticked_at is not None:  # a check mark in the box
                pdf.line(x + 0.8, top + 2.4, x + 1.9, top + 3.6)
                pdf.line(x + 1.9, top + 3.6, x + 3.8, top + 0.9)
            _column(pdf, x + BOX_MM + 3, y, LABEL_MM, label, label_lines)
            _column(pdf, x + BOX_MM + 3 + LABEL_MM, y, name_mm, item.name, name_lines)
            pdf.set_xy(x, y + height)
    return bytes(pdf.output())


def csv_response(view: ListView) -> Response:
    return Response(
        to_csv(view),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{file_name(view, "csv")}"'},
    )


async def pdf_response(view: ListView, client_name: str) -> Response:
    # ~0.1 s of CPU (two fonts parsed, then subset into the file): off the event loop.
    # The view is fully loaded, so the thread touches no session.
    pdf = await asyncio.to_thread(to_pdf, view, client_name)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{file_name(view, "pdf")}"'},
    )
