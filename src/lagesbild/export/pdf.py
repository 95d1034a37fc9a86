"""PDF documents for print (A4): a title block, headings, text, tables and images, with the
forum's name, the date and "sida X av Y" on every page. Built with reportlab, offline."""

from __future__ import annotations

import datetime as dt
import io
from html import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from lagesbild import clock, fmt

INK = colors.HexColor("#0E1822")
ACCENT = colors.HexColor("#0B5CAD")
RULE = colors.HexColor("#C9D2DC")
SHADE = colors.HexColor("#EEF2F6")

# Helvetica covers Latin-1 (å, ä, ö, é …); a few typographic characters are replaced.
_REPLACE = str.maketrans(
    {
        "−": "-",
        "→": "->",
        "≤": "<=",
        "≥": ">=",
        "×": "x",
        "\u00a0": " ",
        "\u2009": " ",
        "…": "...",
        "≈": "~",
    }
)


def clean(text: object) -> str:
    """Text safe for a reportlab paragraph: escaped markup, printable in the built-in font."""
    value = "" if text is None else str(text)
    return escape(value.translate(_REPLACE)).replace("\n", "<br/>")


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
            self.setFont("Helvetica", 8)
            self.setFillColor(colors.HexColor("#5D6D7E"))
            width = self._pagesize[0]
            self.drawString(15 * mm, 10 * mm, self._footer)
            self.drawRightString(width - 15 * mm, 10 * mm, f"sida {self._pageNumber} av {total}")
            super().showPage()
        super().save()


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
        self.title = title
        self.forum = forum
        self.subtitle = subtitle
        self.pagesize = landscape(A4) if landscape_pages else A4
        self.made = made or clock.local_today()
        base = getSampleStyleSheet()
        self.styles = {
            "title": ParagraphStyle(
                "title",
                parent=base["Title"],
                fontName="Helvetica-Bold",
                fontSize=20,
                leading=24,
                alignment=TA_LEFT,
                textColor=INK,
                spaceAfter=4,
            ),
            "subtitle": ParagraphStyle(
                "subtitle",
                parent=base["Normal"],
                fontSize=11,
                textColor=colors.HexColor("#5D6D7E"),
                spaceAfter=10,
            ),
            "h1": ParagraphStyle(
                "h1",
                parent=base["Heading2"],
                fontName="Helvetica-Bold",
                fontSize=14,
                leading=17,
                textColor=ACCENT,
                spaceBefore=10,
                spaceAfter=5,
            ),
            "h2": ParagraphStyle(
                "h2",
                parent=base["Heading3"],
                fontName="Helvetica-Bold",
                fontSize=11.5,
                leading=14,
                textColor=INK,
                spaceBefore=7,
                spaceAfter=3,
            ),
            "body": ParagraphStyle(
                "body",
                parent=base["Normal"],
                fontName="Helvetica",
                fontSize=10,
                leading=13.5,
                textColor=INK,
                spaceAfter=5,
            ),
            "cell": ParagraphStyle(
                "cell",
                parent=base["Normal"],
                fontName="Helvetica",
                fontSize=8.5,
                leading=10.5,
                textColor=INK,
            ),
            "head": ParagraphStyle(
                "head",
                parent=base["Normal"],
                fontName="Helvetica-Bold",
                fontSize=8.5,
                leading=10.5,
                textColor=INK,
            ),
        }
        self.styles["head_right"] = ParagraphStyle(
            "head_right", parent=self.styles["head"], alignment=TA_RIGHT
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

    def heading(self, text: str, level: int = 1) -> None:
        self.story.append(Paragraph(clean(text), self.styles["h1" if level == 1 else "h2"]))

    def text(self, text: str) -> None:
        self.story.append(Paragraph(clean(text), self.styles["body"]))

    def bullets(self, items: list[str]) -> None:
        for item in items:
            self.story.append(Paragraph("• " + clean(item), self.styles["body"]))

    def table(
        self,
        rows: list[list],
        header: list[str],
        widths: list[float] | None = None,
        numeric: set[int] | None = None,
    ) -> None:
        """A table that repeats its header on every page; `widths` are shares of the width."""
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
                    Paragraph(clean(v), self.styles["cell"]) if i not in numeric else clean(v)
                    for i, v in enumerate(row)
                ]
            )
        col_widths = [self.width * w for w in widths] if widths else None
        table = Table(data, colWidths=col_widths, repeatRows=1, hAlign="LEFT")
        style = [
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
            ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 1), (-1, -1), "Helvetica"),
            ("FONTSIZE", (0, 1), (-1, -1), 8.5),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        style += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i in numeric]
        table.setStyle(TableStyle(style))
        self.story.append(table)
        self.story.append(Spacer(1, 6))

    def image(self, png: bytes, width_share: float = 1.0, caption: str = "") -> None:
        reader = Image(io.BytesIO(png))
        ratio = reader.imageHeight / reader.imageWidth
        width = self.width * width_share
        block = [Image(io.BytesIO(png), width=width, height=width * ratio)]
        if caption:
            block.append(Paragraph(clean(caption), self.styles["cell"]))
        self.story.append(KeepTogether(block))
        self.story.append(Spacer(1, 6))

    def page_break(self) -> None:
        self.story.append(PageBreak())

    def build(self) -> bytes:
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(
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
        footer = f"{self.forum} · {self.title} · {fmt.date(self.made)}".translate(_REPLACE)
        doc.build(self.story, canvasmaker=lambda *a, **k: _NumberedCanvas(*a, footer=footer, **k))
        return buffer.getvalue()
