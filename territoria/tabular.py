"""The one CSV reader and the one CSV writer of the platform.

Reader: bytes from a spreadsheet (UTF-8 with or without BOM, or Windows-1252; comma,
semicolon or tab separated) into a header and rows, each row with the line it starts
on, plus notes in French saying what was converted. Also the cell converters that
uploads apply where a column's declared type says so (JJ/MM/AAAA dates, decimal commas).

Writer: rows into CSV text where a text cell starting with `=`, `+`, `-`, `@`, tab or CR
gets a leading apostrophe and quotes (OWASP CSV injection), so a spreadsheet never runs
it as a formula. Numbers (int, float, Decimal) are written as they are: `-12.5` stays a
number for the machines that read our open data.
"""

import csv
import datetime
import decimal
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# First characters of a text `escape` may change (a formula start, or an apostrophe).
ESCAPE_STARTS = frozenset("=+-@\t\r'")
UTF8_BOM = "\ufeff"
DELIMITER_NAMES = {
    ",": gettext_lazy("virgule"),
    ";": gettext_lazy("point-virgule"),
    "\t": gettext_lazy("tabulation"),
}
_ESCAPABLE = re.compile(r"'*[=+\-@\t\r]")
_NEEDS_QUOTES = {d: re.compile(f'["{d}\r\n]') for d in DELIMITER_NAMES}
_SPACES = re.compile(r"[ \u00a0\u202f]")
_FRENCH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DECIMAL_COMMA = re.compile(r"([+-]?)(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+),(\d+)")
_GROUPED_INTEGER = re.compile(r"([+-]?)(\d{1,3}(?:[ \u00a0\u202f]\d{3})+)")


class TabularError(Exception):
    """A file that cannot be read as CSV: `line` (1-based, None for the whole file)
    and a French message."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message, self.line = message, line


# ------------------------------------------------------------------------ writing


def escape(value: str) -> str:
    """A text cell a spreadsheet will show as text: a leading apostrophe before a
    formula start. Apostrophes already before a formula start get one more, so
    `unescape` gives back exactly what was written."""
    if value[:1] in ESCAPE_STARTS and _ESCAPABLE.match(value):
        return "'" + value
    return value


def unescape(value: str) -> str:
    """The text `escape` was given (for reading back our own files)."""
    if value[:1] == "'" and _ESCAPABLE.match(value, 1):
        return value[1:]
    return value


def cell_text(value) -> str:
    """A value as CSV text: '' for None, ISO dates, true/false, numbers as Python writes
    them; text is escaped, numbers never are."""
    if value is None:
        return ""
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return escape(str(value))  # lazy translations, UUIDs…


def _quoted(text: str, delimiter: str) -> str:
    if text[0] == "'" or _NEEDS_QUOTES[delimiter].search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def row_line(cells: list[str], delimiter: str = ",") -> str:
    """One CSV record from cells already turned into text, CRLF-terminated (RFC 4180).
    A cell is quoted when it holds a separator, a quote or a line break, or starts with
    an apostrophe (an escaped formula stays one quoted text)."""
    if len(cells) == 1 and cells[0] == "":
        return '""\r\n'  # a lone empty cell is not a blank line
    return delimiter.join([_quoted(c, delimiter) if c else c for c in cells]) + "\r\n"


class Writer:
    """Writes rows to anything with `write(str)` (an HttpResponse, a StringIO)."""

    def __init__(self, out, delimiter: str = ",", bom: bool = False):
        self.out, self.delimiter = out, delimiter
        # Rows without an apostrophe-led cell quote exactly as the C csv module does.
        self._plain = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
        if bom:
            out.write(UTF8_BOM)

    def write_cells(self, cells: list[str]) -> None:
        """A row of cells already made text (escaped where they are text)."""
        for cell in cells:
            if cell[:1] == "'":
                self.out.write(row_line(cells, self.delimiter))
                return
        self._plain.writerow(cells)

    def writerow(self, values: Iterable) -> None:
        self.write_cells([cell_text(v) for v in values])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.write_cells([cell_text(v) for v in row])


def csv_response(filename: str, *, delimiter: str = ",", bom: bool = False, **kwargs):
    """An HttpResponse that downloads as `filename`, and its Writer."""
    from django.http import HttpResponse

    response = HttpResponse(content_type="text/csv; charset=utf-8", **kwargs)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response, Writer(response, delimiter=delimiter, bom=bom)


def to_text(rows: Iterable[Iterable], delimiter: str = ",", bom: bool = False) -> str:
    buffer = io.StringIO()
    Writer(buffer, delimiter=delimiter, bom=bom).writerows(rows)
    return buffer.getvalue()


# ------------------------------------------------------------------------ reading


@dataclass
class Sheet:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line on which the record starts, cells)
    encoding: str  # "utf-8" or "cp1252"
    delimiter: str
    notes: list[str] = field(default_factory=list)


def decode(raw: bytes) -> tuple[str, str]:
    """(text, encoding): strict UTF-8 (a BOM is dropped), else Windows-1252, the
    encoding Excel uses for « CSV (séparateur : point-virgule) » in France."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as error:
        raise TabularError(
            _("Le fichier n'est ni en UTF-8 ni en Windows-1252 (octet illisible n° %(n)s).")
            % {"n": error.start + 1}
        ) from error


def sniff_delimiter(text: str) -> str:
    """The separator of the header line: the most frequent of `,` `;` and tab outside
    quotes (comma when none or a tie)."""
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for char in text[:65536]:
        if char == '"':
            quoted = not quoted
        elif not quoted:
            if char in counts:
                counts[char] += 1
            elif char == "\n":
                break
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def read(raw: bytes | str, *, delimiter: str | None = None, unescape_cells: bool = False) -> Sheet:
    """A CSV file as a header and rows. Raises TabularError with a line and a French
    message when it cannot be read. `unescape_cells` reverses our writer's formula
    escaping, for files the platform wrote itself (catalogue exchange)."""
    if isinstance(raw, bytes):
        text, encoding = decode(raw)
    else:
        text, encoding = raw.removeprefix(UTF8_BOM), "utf-8"
    notes = []
    if encoding == "cp1252":
        notes.append(_("encodage Windows-1252 converti en UTF-8"))
    delimiter = delimiter or sniff_delimiter(text)
    if delimiter != ",":
        notes.append(_("séparateur %(name)s") % {"name": DELIMITER_NAMES[delimiter]})
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header, rows, line = [], [], 0
    try:
        header = [cell.strip() for cell in next(reader, [])]
        line = reader.line_num
        for cells in reader:
            start, line = line + 1, reader.line_num
            if unescape_cells:
                cells = [unescape(c) for c in cells]
            rows.append((start, cells))
    except csv.Error as error:
        raise TabularError(_("CSV illisible : %(e)s") % {"e": error}, line=line + 1) from error
    return Sheet(header, rows, encoding, delimiter, notes)


# ------------------------------------------------------------------ cell converters


def iso_date(value: str) -> str | None:
    """JJ/MM/AAAA (or J/M/AAAA) as AAAA-MM-JJ; None when it is not such a real date."""
    match = _FRENCH_DATE.fullmatch(value.strip())
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


def dot_decimal(value: str) -> str | None:
    """A French decimal (`12,5`, `-1 234,56`) with a point and no thousands spaces;
    None when it is not one."""
    match = _DECIMAL_COMMA.fullmatch(value.strip())
    if not match:
        return None
    sign, whole, fraction = match.groups()
    return f"{sign}{_SPACES.sub('', whole)}.{fraction}"


def plain_integer(value: str) -> str | None:
    """An integer written with thousands spaces (`1 234`) without them; None otherwise."""
    match = _GROUPED_INTEGER.fullmatch(value.strip())
    if not match:
        return None
    sign, digits = match.groups()
    return sign + _SPACES.sub("", digits)
