"""PDF documents for print (A4): a title block, headings, text, tables and images, with the
forum's name, the date and "sida X av Y" on every page. Built with reportlab, offline.

Layout rules (docs/documents.md): the text is set in DejaVu Sans (embedded, so arrows, minus
signs and non-breaking spaces print as written); a heading or a lead-in ending with a colon is
never the last thing on a page; a table never leaves fewer than two of its rows on either side
of a page break, and repeats its header row on every page."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path

import matplotlib
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import FrameBreak

from lagesbild import clock, fmt
from lagesbild.export.blocks import MIN_ROWS

INK = colors.HexColor("#0E1822")
ACCENT = colors.HexColor("#0B5CAD")
RULE = colors.HexColor("#C9D2DC")
SHADE = colors.HexColor("#EEF2F6")

FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique": "DejaVuSans-Oblique.ttf",
    "DejaVuSans-BoldOblique": "DejaVuSans-BoldOblique.ttf",
}


@cache
def register_fonts() -> None:
    """DejaVu Sans, shipped with matplotlib: it has å ä ö, arrows (→ ↑ ↓), the minus sign and
    the no-break spaces, which reportlab's built-in Helvetica lacks. Embedded as a subset."""
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for name, file in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    pdfmetrics.registerFontFamily(
        FONT,
        normal=FONT,
        bold=BOLD,
        italic="DejaVuSans-Oblique",
        boldItalic="DejaVuSans-BoldOblique",
    )


# reportlab breaks lines at U+202F (narrow no-break space) but keeps U+00A0 together.
_REPLACE = str.maketrans({"\u202f": "\u00a0"})


def clean(text: object) -> str:
    """Text safe for a reportlab paragraph: escaped markup; no-break spaces kept."""
    value = "" if text is None else str(text)
    return escape(value.translate(_REPLACE)).replace("\n", "<br/>")


def _plain(text: object) -> str:
    return "" if text is None else str(text).translate(_REPLACE)


class _NumberedCanvas(pdfcanvas.Canvas):
    """Writes 'sida X av Y' once the page count is known."""

    def __init__(self, *args, footer: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self._saved: list[dict] = []
        self._footer = footer

    def showPage(self):
        self._saved.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._saved)
        for state in self._saved:
            self.__dict__.update(state)
            self.setFont(FONT, 7.5)
            self.setFillColor(colors.HexColor("#5D6D7E"))
            width = self._pagesize[0]
            self.drawString(15 * mm, 10 * mm, self._footer)
            self.drawRightString(
                width - 15 * mm, 10 * mm, f"sida {self._pageNumber}{fmt.NBSP}av{fmt.NBSP}{total}"
            )
            super().showPage()
        super().save()


# --- keeping things together at page breaks ----------------------------------------------------


class _Table(Table):
    """A table that remembers the header it started with, in every part it is split into."""

    header: tuple[str, ...] = ()
    total_rows = 0

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        for part in parts:
            part.header, part.total_rows = self.header, self.total_rows
        return parts


def _height(flowable: Flowable, width: float, canv) -> float:
    _, height = flowable.wrapOn(canv, width, 10_000)
    return height + flowable.getSpaceBefore() + flowable.getSpaceAfter()


def _start(flowable: Flowable | None, width: float, canv) -> float:
    """The least of a flowable that may stand at the foot of a page: a table's header with its
    first rows, a paragraph's first two lines, all of anything that cannot be split."""
    if flowable is None:
        return 0.0
    if isinstance(flowable, Table):
        flowable.wrapOn(canv, width, 10_000)
        rows = flowable._rowHeights
        short = getattr(flowable, "total_rows", len(rows)) <= 2 * MIN_ROWS  # never split
        return sum(rows if short else rows[: 1 + MIN_ROWS]) + flowable.getSpaceBefore()
    if isinstance(flowable, Paragraph):
        lines = 2 * flowable.style.leading + flowable.getSpaceBefore()
        return min(_height(flowable, width, canv), lines)
    if isinstance(flowable, KeepTogether):  # its own wrap() reports a huge height on purpose
        flowable.wrapOn(canv, width, 10_000)
        return flowable._H
    return _height(flowable, width, canv)


INTRO_LINES = 4  # a paragraph this short between a heading and a table introduces the table


class _RoomFor(CondPageBreak):
    """Starts a new page unless a heading (and its lead-in) fits on this one together with the
    start of what it introduces – or, for a short introduction followed by a table or figure,
    with that introduction and the start of the table. Never at the top of a page, where it
    could not help."""

    def __init__(self, leads: list[Flowable], following: list[Flowable]):
        super().__init__(0)
        self.leads, self.following = leads, following

    def _need(self, width: float) -> float:
        need = sum(_height(f, width, self.canv) for f in self.leads)
        if not self.following:
            return need
        first = self.following[0]
        then = self.following[1] if len(self.following) > 1 else None
        if getattr(first, "kind", "") == "text" and isinstance(then, Table | KeepTogether):
            height = _height(first, width, self.canv)
            if height <= INTRO_LINES * first.style.leading + first.getSpaceAfter():
                return need + height + _start(then, width, self.canv)
        return need + _start(first, width, self.canv)

    def wrap(self, availWidth, availHeight):
        frame = self._doctemplateAttr("frame")
        if (
            frame is not None
            and not getattr(frame, "_atTop", 0)
            and availHeight < self._need(availWidth)
        ):
            frame.add_generated_content(FrameBreak)
        return 0, 0


def _bind_leads(story: list[Flowable]) -> list[Flowable]:
    """Put a `_RoomFor` before every run of headings and lead-ins."""
    out: list[Flowable] = []
    i = 0
    while i < len(story):
        if not getattr(story[i], "lead", False):
            out.append(story[i])
            i += 1
            continue
        j = i
        while j < len(story) and getattr(story[j], "lead", False):
            j += 1
        out.append(_RoomFor(story[i:j], story[j : j + 2]))
        out.extend(story[i:j])
        i = j
    return out


@dataclass(frozen=True)
class Placed:
    """Where a flowable was drawn: kind is heading, lead (a lead-in ending with a colon),
    text, table (a table or the part of one on this page) or figure."""

    page: int
    kind: str
    text: str = ""
    header: tuple[str, ...] = ()  # a table part's first row …
    table_header: tuple[str, ...] = ()  # … and the header of the table it belongs to
    rows: int = 0  # a table part's body rows
    total_rows: int = 0  # the whole table's body rows


def _cell_text(cell) -> str:
    if isinstance(cell, list | tuple):  # reportlab keeps a cell's flowables in a sequence
        return " ".join(_cell_text(c) for c in cell)
    return cell.getPlainText() if isinstance(cell, Paragraph) else str(cell)


def _placed(page: int, flowable: Flowable) -> Placed | None:
    if isinstance(flowable, _Table):
        values = flowable._cellvalues
        return Placed(
            page,
            "table",
            header=tuple(_cell_text(c) for c in values[0]),
            table_header=flowable.header,
            rows=len(values) - 1,
            total_rows=flowable.total_rows,
        )
    if isinstance(flowable, Paragraph):
        kind = getattr(flowable, "kind", "text")
        return Placed(page, kind, flowable.getPlainText())
    if isinstance(flowable, Image | KeepTogether):
        return Placed(page, "figure")
    return None


class _Template(SimpleDocTemplate):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.placed: list[Placed] = []

    def afterFlowable(self, flowable):
        placed = _placed(self.page, flowable)
        if placed is not None:
            self.placed.append(placed)


# --- the document --------------------------------------------------------------------------


class Document:
    """A report assembled from headings, text, tables and images."""

    def __init__(
        self,
        title: str,
        forum: str,
        subtitle: str = "",
        landscape_pages=False,
        made: dt.date | None = None,
    ):
        register_fonts()
        self.title = title
        self.forum = forum
        self.subtitle = subtitle
        self.pagesize = landscape(A4) if landscape_pages else A4
        self.made = made or clock.local_today()
        self.placed: list[Placed] = []  # filled by build(): what went on which page
        base = getSampleStyleSheet()
        self.styles = {
            "title": ParagraphStyle(
                "title",
                parent=base["Title"],
                fontName=BOLD,
                fontSize=19,
                leading=23,
                alignment=TA_LEFT,
                textColor=INK,
                spaceAfter=4,
            ),
            "subtitle": ParagraphStyle(
                "subtitle",
                parent=base["Normal"],
                fontName=FONT,
                fontSize=10.5,
                leading=13,
                textColor=colors.HexColor("#5D6D7E"),
                spaceAfter=10,
            ),
            "h1": ParagraphStyle(
                "h1",
                parent=base["Heading2"],
                fontName=BOLD,
                fontSize=13.5,
                leading=17,
                textColor=ACCENT,
                spaceBefore=10,
                spaceAfter=5,
            ),
            "h2": ParagraphStyle(
                "h2",
                parent=base["Heading3"],
                fontName=BOLD,
                fontSize=11,
                leading=14,
                textColor=INK,
                spaceBefore=7,
                spaceAfter=3,
            ),
            "body": ParagraphStyle(
                "body",
                parent=base["Normal"],
                fontName=FONT,
                fontSize=9.5,
                leading=13.5,
                textColor=INK,
                spaceAfter=5,
                allowWidows=0,
                allowOrphans=0,
            ),
            "cell": ParagraphStyle(
                "cell",
                parent=base["Normal"],
                fontName=FONT,
                fontSize=8,
                leading=10.5,
                textColor=INK,
            ),
            "head": ParagraphStyle(
                "head",
                parent=base["Normal"],
                fontName=BOLD,
                fontSize=8,
                leading=10.5,
                textColor=INK,
            ),
        }
        self.styles["head_right"] = ParagraphStyle(
            "head_right", parent=self.styles["head"], alignment=TA_RIGHT
        )
        self.styles["caption"] = ParagraphStyle(
            "caption", parent=self.styles["cell"], spaceBefore=4
        )
        self.styles["bullet"] = ParagraphStyle(
            "bullet",
            parent=self.styles["body"],
            leftIndent=10,
            bulletIndent=0,
            bulletFontName=FONT,
            spaceAfter=3,
        )
        self.story: list = [
            Paragraph(clean(title), self.styles["title"]),
            Paragraph(
                clean(
                    " · ".join(
                        p for p in (forum, subtitle, f"framtagen {fmt.date(self.made)}") if p
                    )
                ),
                self.styles["subtitle"],
            ),
        ]

    @property
    def width(self) -> float:
        return self.pagesize[0] - 30 * mm

    def _paragraph(self, text: str, style: str, kind: str) -> Paragraph:
        paragraph = Paragraph(clean(text), self.styles[style])
        paragraph.kind = kind
        paragraph.lead = kind in ("heading", "lead")
        return paragraph

    def heading(self, text: str, level: int = 1) -> None:
        self.story.append(self._paragraph(text, "h1" if level == 1 else "h2", "heading"))

    def text(self, text: str) -> None:
        """A paragraph; one ending with a colon introduces what follows and stays with it."""
        kind = "lead" if text.rstrip().endswith(":") else "text"
        self.story.append(self._paragraph(text, "body", kind))

    def bullets(self, items: list[str]) -> None:
        for item in items:
            paragraph = Paragraph(clean(item), self.styles["bullet"], bulletText="•")
            paragraph.kind = "text"
            self.story.append(paragraph)

    def table(
        self,
        rows: list[list],
        header: list[str],
        widths: list[float] | None = None,
        numeric: set[int] | None = None,
    ) -> None:
        """A table that repeats its header on every page and never leaves fewer than
        `MIN_ROWS` rows at either side of a page break; `widths` are shares of the width."""
        numeric = numeric or set()
        data = [
            [
                Paragraph(clean(h), self.styles["head_right" if i in numeric else "head"])
                for i, h in enumerate(header)
            ]
        ]
        for row in rows:
            data.append(
                [
                    Paragraph(clean(v), self.styles["cell"]) if i not in numeric else _plain(v)
                    for i, v in enumerate(row)
                ]
            )
        col_widths = [self.width * w for w in widths] if widths else None
        table = _Table(data, colWidths=col_widths, repeatRows=1, hAlign="LEFT")
        table.header = tuple(_plain(h) for h in header)
        table.total_rows = len(rows)
        style = [
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
            ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 1), (-1, -1), FONT),
            ("FONTSIZE", (0, 1), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        style += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i in numeric]
        n = len(rows)
        if n <= 2 * MIN_ROWS:
            style.append(("NOSPLIT", (0, 0), (-1, -1)))
        else:
            style.append(("NOSPLIT", (0, 0), (-1, MIN_ROWS)))
            style.append(("NOSPLIT", (0, n - MIN_ROWS + 1), (-1, n)))
        table.setStyle(TableStyle(style))
        self.story.append(table)
        self.story.append(Spacer(1, 6))

    def image(self, png: bytes, width_share: float = 1.0, caption: str = "") -> None:
        reader = Image(io.BytesIO(png))
        ratio = reader.imageHeight / reader.imageWidth
        width = self.width * width_share
        block = [Image(io.BytesIO(png), width=width, height=width * ratio, hAlign="LEFT")]
        if caption:
            block.append(Paragraph(clean(caption), self.styles["caption"]))
        self.story.append(KeepTogether(block))
        self.story.append(Spacer(1, 6))

    def page_break(self) -> None:
        self.story.append(PageBreak())

    def build(self) -> bytes:
        buffer = io.BytesIO()
        doc = _Template(
            buffer,
            pagesize=self.pagesize,
            leftMargin=15 * mm,
            rightMargin=15 * mm,
            topMargin=15 * mm,
            bottomMargin=18 * mm,
            title=self.title,
            author=self.forum,
            subject=self.subtitle,
            creator="Lägesbild",
        )
        footer = _plain(f"{self.forum} · {self.title} · {fmt.date(self.made)}")
        doc.build(
            _bind_leads(self.story),
            canvasmaker=lambda *a, **k: _NumberedCanvas(*a, footer=footer, **k),
        )
        self.placed = doc.placed
        return buffer.getvalue()
