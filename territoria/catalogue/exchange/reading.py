"""Reading a JSON document, a folder or a zip of CSV files into rows."""

import bisect
import json
import re
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _

from territoria import tabular
from territoria.catalogue.exchange.columns import FORMAT, TABLES, VERSION, Issue, Row


def _read_csv(name: str, content: bytes, issues: list[Issue]) -> list[Row]:
    table = name.removesuffix(".csv")
    columns = {column.name for column in TABLES[table]}
    try:
        sheet = tabular.read(content, unescape_cells=True)
    except tabular.TabularError as error:
        issues.append(Issue(name, error.line, None, error.message))
        return []
    header = sheet.header
    for cell in header:
        if cell not in columns:
            issues.append(Issue(name, 1, cell, _("Colonne inconnue.")))
    for column in TABLES[table]:
        if column.required and column.name not in header:
            issues.append(Issue(name, 1, column.name, _("Colonne obligatoire absente.")))
    rows = []
    for start, cells in sheet.rows:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            issues.append(
                Issue(
                    name, start, None,
                    _("%(found)d cellules au lieu de %(expected)d.")
                    % {"found": len(cells), "expected": len(header)},
                )
            )  # fmt: skip
            continue
        raw = {key: value for key, value in zip(header, cells, strict=True) if key in columns}
        rows.append(Row(name, start, raw, from_csv=True))
    return rows


def _json_lines(text: str) -> dict[str, list[int]]:
    """The line on which each row of each table starts, for messages (valid JSON only)."""
    decoder, newlines = json.JSONDecoder(), [m.start() for m in re.finditer("\n", text)]
    space = re.compile(r"[ \t\n\r]*")

    def skip(i):
        i = space.match(text, i).end()
        return space.match(text, i + 1).end() if text[i : i + 1] == "," else i

    found, i = {}, space.match(text, 0).end() + 1
    while (i := skip(i)) < len(text) and text[i] != "}":
        key, i = decoder.raw_decode(text, i)
        i = space.match(text, space.match(text, i).end() + 1).end()  # past the colon
        if text[i] == "[":
            starts, i = [], space.match(text, i + 1).end()
            while text[i] != "]":
                starts.append(bisect.bisect_left(newlines, i) + 1)
                _value, i = decoder.raw_decode(text, i)
                i = skip(i)
            found[key], i = starts, i + 1
        else:
            _value, i = decoder.raw_decode(text, i)
    return found


def _read_json(name: str, content: bytes, issues: list[Issue]) -> dict[str, list[Row]]:
    try:
        text = content.decode("utf-8-sig")
        document = json.loads(text)
    except UnicodeDecodeError:
        issues.append(Issue(name, None, None, _("Le fichier doit être encodé en UTF-8.")))
        return {}
    except json.JSONDecodeError as error:
        issues.append(
            Issue(
                name, error.lineno, None,
                _("JSON invalide (colonne %(col)d) : %(msg)s.")
                % {"col": error.colno, "msg": error.msg},
            )
        )  # fmt: skip
        return {}
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        issues.append(
            Issue(name, None, "format", _("Ce n'est pas un export du catalogue de Territoria."))
        )
        return {}
    if document.get("version") != VERSION:
        issues.append(
            Issue(name, None, "version", _("Version non prise en charge (attendue : %(v)d).")
                  % {"v": VERSION})
        )  # fmt: skip
        return {}
    lines = _json_lines(text)
    tables = {}
    for key, rows in document.items():
        if key in {"format", "version"}:
            continue
        if key not in TABLES:
            issues.append(Issue(name, None, key, _("Table inconnue.")))
            continue
        if not isinstance(rows, list):
            issues.append(Issue(name, None, key, _("Une liste de lignes est attendue.")))
            continue
        columns = {column.name for column in TABLES[key]}
        tables[key] = []
        for index, raw in enumerate(rows):
            line = lines.get(key, [])[index] if index < len(lines.get(key, [])) else None
            if not isinstance(raw, dict):
                issues.append(Issue(name, line, None, _("Un objet JSON est attendu.")))
                continue
            for unknown in sorted(set(raw) - columns):
                issues.append(Issue(name, line, unknown, _("Colonne inconnue.")))
            tables[key].append(Row(name, line, raw, from_csv=False))
    return tables


def read_document(path: Path) -> tuple[dict[str, list[Row]], list[Issue]]:
    """The rows of a JSON document, a folder of CSV files or a zip of CSV files."""
    path = Path(path)
    issues: list[Issue] = []
    if not path.exists():
        return {}, [Issue(path.name, None, None, _("Fichier ou dossier introuvable."))]
    if path.is_dir():
        files = {item.name: item.read_bytes() for item in sorted(path.glob("*.csv"))}
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            files = {
                Path(info.filename).name: archive.read(info)
                for info in archive.infolist()
                if info.filename.endswith(".csv")
            }
    else:
        return _read_json(path.name, path.read_bytes(), issues), issues
    if not files:
        issues.append(Issue(path.name, None, None, _("Aucun fichier CSV trouvé.")))
    tables = {}
    for name, content in files.items():
        if name.removesuffix(".csv") not in TABLES:
            issues.append(
                Issue(name, None, None, _("Fichier inattendu : les tables sont %(tables)s.")
                      % {"tables": ", ".join(f"{t}.csv" for t in TABLES)})
            )  # fmt: skip
            continue
        tables[name.removesuffix(".csv")] = _read_csv(name, content, issues)
    return tables, issues
