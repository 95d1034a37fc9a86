"""Documents described once and drawn as PDF (`export.pdf`, reportlab) or Word
(`export.word`, python-docx).

A document is a list of sections; a section is a heading and blocks. A block is a paragraph
(str), bullets (list of str), a `Table` or a `Figure`. This module holds only the description:
a screen that shows a document's tables (Kvartal) or its text (the minutes' Markdown) does not
load the libraries that draw the files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lagesbild.export.pdf import Document

MIN_ROWS = 2  # rows of a table kept together at either side of a page break (PDF and Word)

FIRST_COLUMN = {1: 1.0, 2: 0.7, 3: 0.6, 4: 0.46, 5: 0.32, 6: 0.3}  # share of the width


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list]
    numeric: frozenset[int] = frozenset()  # right-aligned columns
    widths: list[float] | None = None  # shares of the width

    def column_widths(self) -> list[float]:
        if self.widths:
            return self.widths
        n = len(self.header)
        first = FIRST_COLUMN.get(n, 1.5 / n)
        return [first] + [(1 - first) / (n - 1)] * (n - 1) if n > 1 else [1.0]


@dataclass(frozen=True)
class Figure:
    png: bytes
    caption: str = ""
    width: float = 1.0  # share of the text width


Block = str | list[str] | Table | Figure


@dataclass
class Section:
    heading: str
    blocks: list[Block] = field(default_factory=list)
    level: int = 1


def to_pdf(doc: Document, sections: list[Section]) -> bytes:
    for section in sections:
        doc.heading(section.heading, section.level)
        for block in section.blocks:
            if isinstance(block, str):
                doc.text(block)
            elif isinstance(block, list):
                doc.bullets(block)
            elif isinstance(block, Table):
                doc.table(block.rows, block.header, block.column_widths(), set(block.numeric))
            else:
                doc.image(block.png, block.width, block.caption)
    return doc.build()
