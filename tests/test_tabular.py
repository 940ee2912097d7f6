"""The one CSV reader and writer: spreadsheet files read whatever Excel saved, and
formulas in text never run when a downloaded file is opened."""

import csv
import decimal
import io

import pytest

from territoria import tabular

FORMULAS = ['=HYPERLINK("http://evil.example","clic")', "+33 1 23", "-2+3", "@SUM(A1)",
            "\tx", "\rx"]  # fmt: skip


def _cells(text: str, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


@pytest.mark.parametrize("value", FORMULAS, ids=["equals_case", "plus_case", "minus_case",
                                                 "at_case", "tab_case", "cr_case"])  # fmt: skip
def test_text_starting_like_a_formula_gets_an_apostrophe_and_quotes(value):
    """A text cell starting with = + - @ tab or CR is written quoted, after an apostrophe."""
    line = tabular.to_text([[value, "ok"]])
    assert line.startswith("\"'")
    assert _cells(line) == [["'" + value, "ok"]]


def test_numbers_are_never_escaped():
    """Negative numbers stay numbers: int, float and Decimal are written as they are."""
    line = tabular.to_text([[-12.5, -3, decimal.Decimal("-0.10"), None, True, "-5"]])
    assert line == '-12.5,-3,-0.10,,true,"\'-5"\r\n'


@pytest.mark.parametrize(
    "value",
    [*FORMULAS, "'=A1", "''-1", "'", "'texte", "texte", "", "a,b", 'dit "oui"', "l1\nl2"],
)
def test_reading_back_gives_exactly_what_was_written(value):
    """Our own files read back with unescape give the original text, even one that
    already started with an apostrophe."""
    written = tabular.to_text([["entete"], [value]])
    sheet = tabular.read(written.encode(), unescape_cells=True)
    assert sheet.rows == [(2, [value])]


def test_separators_quotes_and_line_breaks_are_quoted_as_rfc_4180():
    """Cells with the separator, a quote or a line break are quoted; others are not."""
    text = tabular.to_text([["a;b", "a,b", 'x"y', "l1\nl2", ""]], delimiter=";")
    assert text == '"a;b";a,b;"x""y";"l1\nl2";\r\n'


def test_windows_1252_semicolon_file_is_read_and_noted():
    """An Excel « CSV (séparateur : point-virgule) » file is read, and the notes say so."""
    raw = "nom;commune\nÉlise Œuvre;Saint-Amand\n".encode("cp1252")
    sheet = tabular.read(raw)
    assert (sheet.header, sheet.rows) == (["nom", "commune"], [(2, ["Élise Œuvre", "Saint-Amand"])])
    assert sheet.notes == ["encodage Windows-1252 converti en UTF-8", "séparateur point-virgule"]


@pytest.mark.parametrize(
    ("raw", "delimiter"),
    [(b"\xef\xbb\xbfa,b\n1,2\n", ","), (b"a\tb\n1\t2\n", "\t"), (b'"a;x",b\n1,2\n', ","),
     (b"a;b;c\n1,5;2;3\n", ";")],
    ids=["utf8_bom_case", "tab_case", "quoted_semicolon_case", "decimal_comma_case"],
)  # fmt: skip
def test_separator_is_read_from_the_header(raw, delimiter):
    """The separator is the header's most frequent one outside quotes; a BOM is dropped."""
    sheet = tabular.read(raw)
    assert sheet.delimiter == delimiter
    assert sheet.encoding == "utf-8"
    assert sheet.header[0] in {"a", "a;x"}


def test_rows_carry_the_line_they_start_on():
    """A quoted cell over two lines moves the next row's line number."""
    sheet = tabular.read(b'a,b\n"x\ny",1\n\nz,2\n')
    assert sheet.rows == [(2, ["x\ny", "1"]), (4, []), (5, ["z", "2"])]


def test_bytes_neither_utf8_nor_windows_1252_are_refused_in_french():
    """A byte Windows-1252 does not define is a clear French error, not a crash."""
    with pytest.raises(tabular.TabularError) as error:
        tabular.read(b"a,b\n\x81,2\n")
    assert error.value.message.startswith("Le fichier n'est ni en UTF-8 ni en Windows-1252")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("03/02/2025", "2025-02-03"), ("3/2/2025", "2025-02-03"), ("31/02/2025", None),
     ("2025-02-03", None), ("03/02/25", None)],
)  # fmt: skip
def test_french_dates_become_iso(value, expected):
    """JJ/MM/AAAA becomes AAAA-MM-JJ; anything else, or an impossible date, is left alone."""
    assert tabular.iso_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12,5", "12.5"), ("-1 234,56", "-1234.56"), ("1\u202f234,5", "1234.5"),
     ("12.5", None), ("1,2,3", None), ("abc", None)],
)  # fmt: skip
def test_decimal_commas_become_points(value, expected):
    """A French decimal becomes a point decimal without thousands spaces."""
    assert tabular.dot_decimal(value) == expected
