"""Documents (`export.blocks`) drawn as Word files with python-docx."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from lagesbild import fmt
from lagesbild.export.blocks import MIN_ROWS, Section, Table

ACCENT = RGBColor(0x0B, 0x5C, 0xAD)
SHADE = "EEF2F6"


def _shade(cell) -> None:
    properties = cell._tc.get_or_add_tcPr()
    fill = OxmlElement("w:shd")
    fill.set(qn("w:val"), "clear")
    fill.set(qn("w:color"), "auto")
    fill.set(qn("w:fill"), SHADE)
    properties.append(fill)


def _page_numbers(paragraph) -> None:
    """'sida X av Y' with Word's own page fields."""

    def field_run(code: str) -> None:
        run = paragraph.add_run()
        for kind, text in (("begin", None), (None, code), ("end", None)):
            if kind:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            else:
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = text
            run._r.append(element)

    paragraph.add_run("sida ")
    field_run("PAGE")
    paragraph.add_run(" av ")
    field_run("NUMPAGES")


def to_docx(title: str, forum: str, subtitle: str, made: dt.date, sections: list[Section]) -> bytes:
    """A Word document on A4 with the forum, title and date in the footer and page numbers."""
    word = WordDocument()
    page = word.sections[0]
    page.page_width, page.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(page, side, Cm(2))
    normal = word.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    footer = page.footer.paragraphs[0]
    footer.text = f"{forum} · {title} · {fmt.date(made)}    "
    _page_numbers(footer)
    for run in footer.runs:
        run.font.size = Pt(8)

    word.add_heading(title, level=0)
    lead = word.add_paragraph(
        " · ".join(p for p in (forum, subtitle, f"framtagen {fmt.date(made)}") if p)
    )
    lead.runs[0].font.color.rgb = RGBColor(0x5D, 0x6D, 0x7E)
    usable = page.page_width - page.left_margin - page.right_margin
    for section in sections:
        heading = word.add_heading(section.heading, level=section.level)
        for run in heading.runs:
            run.font.color.rgb = ACCENT
        for block in section.blocks:
            if isinstance(block, str):
                paragraph = word.add_paragraph(block)
                if block.rstrip().endswith(":"):  # a lead-in stays with what it introduces
                    paragraph.paragraph_format.keep_with_next = True
            elif isinstance(block, list):
                for item in block:
                    word.add_paragraph(item, style="List Bullet")
            elif isinstance(block, Table):
                _table(word, block, usable)
            else:
                word.add_picture(io.BytesIO(block.png), width=int(usable * block.width))
                if block.caption:
                    word.add_paragraph(block.caption).runs[0].font.size = Pt(8.5)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _table(word, block: Table, usable: int) -> None:
    table = word.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    widths = [int(usable * w) for w in block.column_widths()]
    for i, text in enumerate(block.header):
        cell = table.rows[0].cells[i]
        cell.text = str(text)
        cell.paragraphs[0].runs[0].font.bold = True
        _shade(cell)
    for row in block.rows:
        cells = table.add_row().cells
        for i, value in enumerate(row):
            cells[i].text = "" if value is None else str(value)
            if i in block.numeric:
                cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    last = len(table.rows) - 1
    for number, row in enumerate(table.rows):
        # Rows are never split; the header keeps its first rows and the last rows keep
        # together, as in the PDF ("keep with next" on a row's paragraphs holds it to the next).
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        together = number < MIN_ROWS or last - MIN_ROWS < number < last or last <= 2 * MIN_ROWS
        for i, cell in enumerate(row.cells):
            cell.width = widths[i]
            for paragraph in cell.paragraphs:
                if together and number < last:
                    paragraph.paragraph_format.keep_with_next = True
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    # Repeat the header row on every page.
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    word.add_paragraph()
