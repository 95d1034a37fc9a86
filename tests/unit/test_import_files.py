"""Reading files for import, without a database: encodings, gzip, UTF-16, TSV, line numbers,
cut-off files, month-only dates, police.uk's own headings – and the limits against hostile
uploads, which must hold while the file streams in, before memory grows."""

import codecs
import datetime as dt
import gzip
import io
import struct
import zipfile
import zlib

import openpyxl
import pytest

from lagesbild.importers import limits
from lagesbild.importers.mapping import police_uk
from lagesbild.importers.parsing import parse_datetime
from lagesbild.importers.reading import ImportFileError, read_csv, read_json, read_table

HEADER = "Id;Datum;Ort\n"


def rows(table) -> list[list[str]]:
    return table.rows.to_numpy().tolist()


class Endless(io.RawIOBase):
    """A stream that produces `line` over and over (up to `size` bytes) and counts what was
    read: proof that a reader stopped early instead of taking everything in first."""

    def __init__(self, head: bytes, line: bytes, size: int = 10**12):
        self.head, self.line, self.size, self.given = head, line, size, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.given >= self.size:
            return 0
        n = min(len(buffer), self.size - self.given)
        if self.given < len(self.head):
            data = self.head[self.given : self.given + n]
        else:
            reps = n // len(self.line) + 2
            offset = (self.given - len(self.head)) % len(self.line)
            data = (self.line * reps)[offset : offset + n]
        buffer[: len(data)] = data
        self.given += len(data)
        return len(data)


# -- encodings --------------------------------------------------------------------------


def test_a_utf8_file_with_one_windows_1252_line_keeps_both_right():
    content = (
        (HEADER + "1;2026-11-01;Sävsjö\n").encode()
        + "2;2026-11-02;Vellinge Östra\n".encode("cp1252")
        + "3;2026-11-03;Höör\n".encode()
    )
    table = read_csv(content)
    assert [r[2] for r in rows(table)] == ["Sävsjö", "Vellinge Östra", "Höör"]
    assert table.encoding == "utf-8"
    assert "rad 3" in table.notes[0] and "Windows-1252" in table.notes[0]


def test_a_utf8_line_with_a_stray_windows_1252_byte_is_read_byte_by_byte():
    content = HEADER.encode() + "1;2026-11-01;Sävsjö ".encode() + "Växjö\n".encode("cp1252")
    assert rows(read_csv(content))[0][2] == "Sävsjö Växjö"


def test_a_windows_1252_file_is_just_that():
    table = read_csv((HEADER + "1;2026-11-01;Sävsjö\n2;2026-11-02;Åhus\n").encode("cp1252"))
    assert [r[2] for r in rows(table)] == ["Sävsjö", "Åhus"]
    assert table.encoding == "cp1252" and not table.notes


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_read(encoding):
    text = "Id\tDatum\tOrt\r\n1\t2026-11-01\tSävsjö\r\n2\t2026-11-02\tÖrkelljunga\r\n"
    table = read_table(text.encode(encoding), "export.txt")
    assert [r[2] for r in rows(table)] == ["Sävsjö", "Örkelljunga"]
    assert "UTF-16" in table.describe() and table.delimiter == "\t"


def test_utf8_bom_is_not_part_of_the_first_heading():
    table = read_csv(codecs.BOM_UTF8 + (HEADER + "1;2026-11-01;Sävsjö\n").encode())
    assert table.columns == ["Id", "Datum", "Ort"]


def test_old_mac_line_ends():
    table = read_csv((HEADER + "1;2026-11-01;Sävsjö\n").replace("\n", "\r").encode("cp1252"))
    assert rows(table) == [["1", "2026-11-01", "Sävsjö"]]


# -- formats ----------------------------------------------------------------------------


def test_gzip_files_are_unpacked():
    table = read_table(gzip.compress((HEADER + "1;2026-11-01;Sävsjö\n").encode()), "x.csv.gz")
    assert rows(table) == [["1", "2026-11-01", "Sävsjö"]]
    assert table.packed and "gzip" in table.describe()
    events = read_json(gzip.compress(b'[{"id": 1}]'), "events.json.gz")
    assert events == [{"id": 1}]


def test_a_damaged_gzip_file_is_named():
    packed = gzip.compress((HEADER + "1;2026-11-01;Sävsjö\n" * 500).encode())
    with pytest.raises(ImportFileError, match=r"gzip.*skadad eller avkortad"):
        read_table(packed[: len(packed) // 2], "x.csv.gz")


@pytest.mark.parametrize("name", ["brott.tab", "brott.tsv", "brott.txt"])
def test_tab_separated_files(name):
    text = "Id\tDatum\tBeskrivning\n1\t2026-11-01\tKlotter, glaskross, mer klotter\n"
    table = read_table(text.encode(), name)
    assert table.delimiter == "\t"
    assert rows(table) == [["1", "2026-11-01", "Klotter, glaskross, mer klotter"]]


def test_old_excel_files_are_named():
    with pytest.raises(ImportFileError, match=r"äldre format \(\.xls\)"):
        read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "gammal.xls")


# -- line numbers -----------------------------------------------------------------------


def test_rows_are_numbered_by_their_line_in_the_file():
    text = (
        "\n"  # line 1: blank
        "Id;Datum;Beskrivning\n"  # line 2: the header
        "1;2026-11-01;Kort\n"  # line 3
        "\n"  # line 4: blank
        '2;2026-11-02;"Två\nrader"\n'  # lines 5-6
        ";;\n"  # line 7: empty cells only
        "3;2026-11-03;Sist\n"  # line 8
    )
    table = read_csv(text.encode())
    assert [table.line(i) for i in range(3)] == [3, 5, 8]
    assert rows(table)[1][2] == "Två\nrader"


def test_excel_rows_are_numbered_as_in_the_sheet():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A3"], sheet["B3"] = "Id", "Datum"
    sheet["A4"], sheet["B4"] = "1", dt.datetime(2026, 11, 1)
    sheet["A7"], sheet["B7"] = "2", "2026-11-02"
    buffer = io.BytesIO()
    book.save(buffer)
    table = read_table(buffer.getvalue(), "x.xlsx")
    assert table.columns == ["Id", "Datum"] and table.lines == [4, 7]


# -- files that are cut off -------------------------------------------------------------


def test_a_csv_cut_inside_its_last_row_marks_that_row():
    text = "Id,Datum,Lat,Lon,Kontext\n1,2026-11-01,55.4716,13.0194,\n2,2026-11-02,55.47"
    table = read_csv(text.encode())
    assert table.truncated_line == 3


def test_a_last_row_without_a_line_end_but_complete_is_not_cut():
    table = read_csv(b"Id,Datum,Lat\n1,2026-11-01,55.4716")
    assert table.truncated_line is None


def test_a_csv_cut_inside_quotes_is_refused_naming_the_line():
    text = 'Id;Datum;Beskrivning\n1;2026-11-01;"Hel"\n2;2026-11-02;"Halv'
    with pytest.raises(ImportFileError, match="Filen slutar mitt i rad 3"):
        read_csv(text.encode())


# -- dates and headings -----------------------------------------------------------------


@pytest.mark.parametrize("text", ["2019-05", "2019/5", "05/2019", "maj 2019", "Maj. 2019"])
def test_month_only_dates_cover_the_whole_month(text):
    assert parse_datetime(text) == (dt.datetime(2019, 5, 1), dt.datetime(2019, 5, 31, 23, 59, 59))


def test_police_uk_template_takes_police_uk_headings_however_written():
    own = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude"]
    own += ["Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category"]
    mapping = police_uk({}, [*own, "Context"])
    assert mapping.columns == {
        "source_id": "Crime ID",
        "occurred_at": "Month",
        "category": "Crime type",
        "lat": "Latitude",
        "lon": "Longitude",
    }
    snake = police_uk({}, ["crime_id", "month", "longitude", "latitude", "crime_type"])
    assert snake.columns["source_id"] == "crime_id" and snake.columns["lat"] == "latitude"


# -- hostile uploads --------------------------------------------------------------------


def test_total_size_is_checked_while_reading(monkeypatch):
    monkeypatch.setattr(limits, "MAX_BYTES", 2 * limits.MIB)
    stream = Endless(HEADER.encode(), "1;2026-11-01;Sävsjö\n".encode())
    with pytest.raises(ImportFileError, match="högst 2 MB"):
        read_table(stream, "stor.csv")
    assert stream.given <= 2 * limits.MIB + 2 * limits.CHUNK


def test_a_file_over_the_size_limit_is_refused_before_reading(monkeypatch, tmp_path):
    path = tmp_path / "stor.csv"
    with path.open("wb") as f:
        f.truncate(limits.MAX_BYTES + 1)  # sparse: no disk, no memory
    with path.open("rb") as f, pytest.raises(ImportFileError, match="högst 100 MB"):
        read_table(f, "stor.csv")


def test_one_endless_line_is_refused_after_the_line_limit():
    stream = Endless(b"Id;Beskrivning\n1;", b"x" * 1000)
    with pytest.raises(ImportFileError, match="Rad 2 är längre än 256 kB"):
        read_table(stream, "en-rad.csv")
    assert stream.given <= limits.MAX_LINE + 3 * limits.CHUNK


def test_too_many_rows_are_refused_while_reading(monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 1000)
    stream = Endless(HEADER.encode(), b"1;2026-11-01;x\n")
    with pytest.raises(ImportFileError, match="fler än 1\u00a0000 rader"):
        read_table(stream, "rader.csv")
    assert stream.given < 200 * 1024


def test_too_many_columns_are_refused():
    header = ";".join(f"k{i}" for i in range(limits.MAX_COLUMNS + 1))
    with pytest.raises(ImportFileError, match="501 kolumner"):
        read_csv(f"{header}\n1\n".encode())


def _deflate(head: bytes, filler: bytes, times: int, tail: bytes) -> tuple[bytes, int, int]:
    """A raw deflate stream of head + filler × times + tail without compressing it all: after
    a full flush the compressor starts afresh, so each filler compresses to the same bytes.
    Returns (stream, crc32, size)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(filler) + packer.flush(zlib.Z_FULL_FLUSH)
    end = packer.compress(tail) + packer.flush(zlib.Z_FINISH)
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(filler, crc)
    crc = zlib.crc32(tail, crc)
    return start + block * times + end, crc, len(head) + len(filler) * times + len(tail)


def _gzip_bomb(megabytes: int) -> bytes:
    filler = b"1;2026-11-01;x\n" * (limits.MIB // 15)  # short lines: no other limit is hit
    data, crc, size = _deflate(HEADER.encode(), filler, megabytes, b"\n")
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    return header + data + struct.pack("<II", crc, size & 0xFFFFFFFF)


def test_a_gzip_bomb_is_refused_while_unpacking():
    bomb = _gzip_bomb(500)  # 500 MB of short lines in 1 MB
    assert len(bomb) < 1.1 * limits.MIB
    with pytest.raises(ImportFileError, match="zipbomb"):
        read_table(bomb, "bomb.csv.gz")
    with pytest.raises(ImportFileError, match="zipbomb"):
        read_json(bomb, "bomb.json.gz")


def _zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip archive from raw deflate streams: (name, data, crc, declared size) – written by
    hand, so a member can declare a size it does not have."""
    out, directory = io.BytesIO(), io.BytesIO()
    for name, data, crc, declared in members:
        offset, encoded = out.tell(), name.encode()
        out.write(b"PK\x03\x04")
        out.write(
            struct.pack("<HHHHHIIIHH", 20, 0, 8, 0, 0x21, crc, len(data), declared, len(encoded), 0)
        )
        out.write(encoded + data)
        directory.write(b"PK\x01\x02")
        directory.write(
            struct.pack(
                "<HHHHHHIIIHHHHHII",
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(data),
                declared,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
        )
        directory.write(encoded)
    start, listing = out.tell(), directory.getvalue()
    out.write(listing)
    out.write(b"PK\x05\x06")
    out.write(struct.pack("<HHHHIIH", 0, 0, len(members), len(members), len(listing), start, 0))
    return out.getvalue()


def _xlsx_bomb(megabytes: int, declared: int | None = None) -> bytes:
    """A real workbook whose sheet is padded with `megabytes` MB of blanks."""
    book = openpyxl.Workbook()
    book.active.append(["Id", "Datum"])
    buffer = io.BytesIO()
    book.save(buffer)
    members = []
    with zipfile.ZipFile(buffer) as archive:
        for info in archive.infolist():
            content = archive.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                head, tail = content.split(b"<sheetData>")
                data, crc, size = _deflate(
                    head + b"<sheetData>", b" " * limits.MIB, megabytes, tail
                )
            else:
                packer = zlib.compressobj(9, zlib.DEFLATED, -15)
                data = packer.compress(content) + packer.flush()
                crc, size = zlib.crc32(content), len(content)
            members.append((info.filename, data, crc, size if declared is None else declared))
    return _zip(members)


def test_the_bomb_helper_makes_a_readable_workbook():
    table = read_table(_xlsx_bomb(1), "liten.xlsx")  # 1 MB of blanks: within the limits
    assert table.columns == ["Id", "Datum"] and len(table.rows) == 0


def test_an_xlsx_zip_bomb_is_refused_by_its_declared_sizes():
    bomb = _xlsx_bomb(400)
    assert len(bomb) < 0.5 * limits.MIB  # 0.4 MB that unpacks to 400 MB
    with pytest.raises(ImportFileError, match="zipbomb"):
        read_table(bomb, "bomb.xlsx")


def test_an_xlsx_zip_bomb_that_lies_about_its_size_is_refused_while_reading():
    bomb = _xlsx_bomb(400, declared=1000)
    with pytest.raises(ImportFileError, match=r"zipbomb|går inte att öppna"):
        read_table(bomb, "bomb.xlsx")


def test_deeply_nested_json_gets_a_swedish_error():
    for depth in (limits.MAX_JSON_DEPTH + 1, 100_000):
        with pytest.raises(ImportFileError, match="nästlad i fler än 20 nivåer"):
            read_json(b"[" * depth + b"]" * depth)


def test_json_with_too_many_values_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(limits, "MAX_JSON_VALUES", 1000)
    read_json(b"[" + b",".join([b"{}"] * 1000) + b"]")
    with pytest.raises(ImportFileError, match="fler än 1\u00a0000 värden"):
        read_json(b"[" + b",".join([b"{}"] * 1001) + b"]")
    read_json(b'[{"summary": "' + b"," * 5000 + b'"}]')  # commas in a text are not values


def test_json_depth_ignores_brackets_in_strings():
    assert limits.json_depth(b'[{"a": "[[[\\"[{", "b": {"c": [1]}}]') == 4
    events = read_json(b'[{"id": 1, "summary": "[[[[[[[[[[[[[[[[[[[[[[[[[["}]')
    assert events[0]["id"] == 1
