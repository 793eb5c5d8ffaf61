"""Hostile files, written by the tests that read them (none is committed): workbooks written
by hand (every byte of their XML chosen) and CSV files, each small to store, some huge to read.

Each function returns the file's bytes. The survey they start from is the committed clean
wave 1 of Roya (``files/good/survey_roya_w1.csv``): its header, then its rows.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterable
from xml.sax.saxutils import escape

from data.importer.formats import column_letter as letter
from tests.data.importer.conftest import FILES

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORKSHEET = RELATIONS + "/worksheet"


def survey_lines() -> list[str]:
    """The clean wave's lines: the header, then five respondents."""
    text = (FILES / "good" / "survey_roya_w1.csv").read_text(encoding="utf-8")
    return text.splitlines()[:6]


def survey_rows() -> list[list[str]]:
    return [line.split(";") for line in survey_lines()]


def csv_bytes(lines: Iterable[str], encoding: str = "utf-8") -> bytes:
    return "\r\n".join(lines).encode(encoding) + "\r\n".encode(encoding)


# -- workbooks -----------------------------------------------------------------------------


def inline_cell(ref: str, text: str, quote: str = '"', prefix: str = "") -> str:
    return (
        f"<{prefix}c r={quote}{ref}{quote} t={quote}inlineStr{quote}><{prefix}is><{prefix}t>"
        f"{escape(text)}</{prefix}t></{prefix}is></{prefix}c>"
    )


def survey_sheet_data(quote: str = '"', prefix: str = "") -> str:
    """The clean wave as a worksheet's rows of inline strings."""
    rows = []
    for number, values in enumerate(survey_rows(), start=1):
        cells = "".join(
            inline_cell(f"{letter(i)}{number}", value, quote, prefix)
            for i, value in enumerate(values)
            if value
        )
        rows.append(f"<{prefix}row r={quote}{number}{quote}>{cells}</{prefix}row>")
    return "".join(rows)


def worksheet(
    data: str, extra_rows: str = "", prefix: str = "", before: str = "", head: str = ""
) -> str:
    """A worksheet's XML around its ``sheetData`` (``prefix`` for every element)."""
    declaration = f' xmlns:{prefix[:-1]}="{MAIN}"' if prefix else f' xmlns="{MAIN}"'
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{head}'
        f"<{prefix}worksheet{declaration}>{before}<{prefix}sheetData>{data}{extra_rows}"
        f"</{prefix}sheetData></{prefix}worksheet>"
    )


def workbook(
    sheets: dict[str, str],
    shared_strings: list[str] | None = None,
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """An XLSX archive holding ``sheets`` (name → worksheet XML) and their shared strings."""
    names = list(sheets)
    entries = "".join(
        f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(names, start=1)
    )
    relations = "".join(
        f'<Relationship Id="rId{i}" Type="{WORKSHEET}" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(names) + 1)
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="xml" ContentType="applicati'
            'on/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-p'
            'ackage.relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="ap'
            'plication/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Type'
            "s>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openx'
            'mlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://s'
            'chemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Targ'
            'et="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r='
            f'"{RELATIONS}"><sheets>{entries}</sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openx'
            f'mlformats.org/package/2006/relationships">{relations}</Relationships>',
        )
        for i, name in enumerate(names, start=1):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", sheets[name])
        if shared_strings is not None:
            items = "".join(f"<si><t>{escape(s)}</t></si>" for s in shared_strings)
            archive.writestr(
                "xl/sharedStrings.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" '
                f'count="{len(shared_strings)}">{items}</sst>',
            )
        for member, content in (extra or {}).items():
            archive.writestr(member, content)
    return buffer.getvalue()


def survey_workbook(extra_rows: str = "", **kwargs: str) -> bytes:
    """The clean wave in one sheet « Réponses », with ``extra_rows`` after its rows."""
    quote, prefix = kwargs.pop("quote", '"'), kwargs.get("prefix", "")
    data = survey_sheet_data(quote, prefix)
    return workbook({"Réponses": worksheet(data, extra_rows, **kwargs)})


def value_row(number: int, ref: str, quote: str = '"', prefix: str = "") -> str:
    """A row holding one number at ``ref``."""
    return (
        f"<{prefix}row r={quote}{number}{quote}><{prefix}c r={quote}{ref}{quote}><{prefix}v>1"
        f"</{prefix}v></{prefix}c></{prefix}row>"
    )


def with_declared_size(content: bytes, member: str, size: int) -> bytes:
    """The archive with ``member``'s uncompressed size rewritten as ``size`` in its local
    header and in the central directory (its data and CRC unchanged)."""
    data = bytearray(content)
    name = member.encode()
    local = 0  # zipfile writes the first local header first
    while True:
        name_length = struct.unpack_from("<H", data, local + 26)[0]
        extra_length = struct.unpack_from("<H", data, local + 28)[0]
        compressed = struct.unpack_from("<I", data, local + 18)[0]
        if bytes(data[local + 30 : local + 30 + name_length]) == name:
            struct.pack_into("<I", data, local + 22, size)
            break
        local = local + 30 + name_length + extra_length + compressed
    central = data.index(b"PK\x01\x02")
    while True:
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", data, central + 28)
        if bytes(data[central + 46 : central + 46 + name_length]) == name:
            struct.pack_into("<I", data, central + 24, size)
            return bytes(data)
        central += 46 + name_length + extra_length + comment_length
