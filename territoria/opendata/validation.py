"""Check an uploaded CSV against a Table Schema: first its canonical form (UTF-8, comma,
the schema's columns in order, ISO dates and point decimals where the schema types a
column so, absent optional columns added empty), then frictionless for the schema itself,
plus the French custom checks the national schemas declare and frictionless skips
(SIRET checksum, one-of-required, year intervals, cohesive, compared and summed columns,
ACTES nomenclature), with every error in French by line and field. Plain data in, plain
data out."""

import ast
import contextlib
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from frictionless import Resource, Schema, system

from territoria import tabular
from territoria.opendata import schemas
from territoria.territories.identifiers import is_valid_siret

MAX_ERRORS = 200

TYPE_LABELS = {
    "date": gettext_lazy("une date AAAA-MM-JJ"),
    "datetime": gettext_lazy("une date et heure ISO 8601"),
    "number": gettext_lazy("un nombre (point décimal)"),
    "integer": gettext_lazy("un nombre entier"),
    "boolean": gettext_lazy("un booléen admis par le schéma"),
    "year": gettext_lazy("une année"),
}
CONSTRAINT_LABELS = {
    "pattern": gettext_lazy("format"),
    "enum": gettext_lazy("valeurs permises"),
    "minimum": gettext_lazy("minimum"),
    "maximum": gettext_lazy("maximum"),
    "minLength": gettext_lazy("longueur minimale"),
    "maxLength": gettext_lazy("longueur maximale"),
    "unique": gettext_lazy("unicité"),
}


@dataclass
class RowError:
    row: int | None  # line number in the file (the header is line 1), None for the file
    field: str
    message: str


def _message(error) -> str:
    kind = error.type
    note = getattr(error, "note", "") or ""
    cell = getattr(error, "cell", None)
    if kind == "type-error":
        kind_fr = TYPE_LABELS.get(note.split('"')[1].split("/")[0] if '"' in note else "", "")
        return _("La valeur « %(cell)s » n'est pas %(kind)s.") % {
            "cell": cell,
            "kind": kind_fr or _("du type attendu"),
        }
    if kind == "constraint-error":
        match = re.match(r'constraint "(\w+)" is "(.*)"', note)
        if match and match.group(1) == "required":
            return _("Valeur obligatoire manquante.")
        if match:
            label = CONSTRAINT_LABELS.get(match.group(1), match.group(1))
            expected = match.group(2)
            if match.group(1) == "enum":
                with contextlib.suppress(ValueError, SyntaxError):
                    expected = " ; ".join(f"« {v} »" for v in ast.literal_eval(expected))
            return _(
                "La valeur « %(cell)s » ne respecte pas la règle « %(rule)s » : %(expected)s."
            ) % {"cell": cell, "rule": label, "expected": expected}
        return _("La valeur « %(cell)s » ne respecte pas le schéma.") % {"cell": cell}
    if kind == "missing-cell":
        return _("Valeur manquante : la ligne a moins de colonnes que l'en-tête.")
    if kind == "extra-cell":
        return _("Valeur en trop : la ligne a plus de colonnes que l'en-tête.")
    if kind == "blank-row":
        return _("Ligne vide.")
    if kind == "duplicate-row":
        return _("Ligne en double.")
    if kind in {"unique-error", "primary-key"}:
        return _("La valeur « %(cell)s » doit être unique dans le fichier.") % {"cell": cell}
    if kind == "missing-label":
        return str(MISSING_REQUIRED)
    if kind == "extra-label":
        return _("Colonne inconnue du schéma.")
    if kind == "incorrect-label":
        return _("Nom de colonne différent de celui du schéma.")
    if kind == "blank-label":
        return _("Nom de colonne vide dans l'en-tête.")
    if kind == "duplicate-label":
        return _("Nom de colonne en double dans l'en-tête.")
    if kind in {"encoding-error", "source-error", "scheme-error", "format-error"}:
        return _("Le fichier n'a pas pu être lu comme un CSV en UTF-8.")
    return _("Erreur %(kind)s : %(note)s") % {"kind": kind, "note": note}


def validate_csv(path: Path, schema_key: str, lines: list[int] | None = None) -> list[RowError]:
    """Every problem of the file against the schema; [] when it may be published.
    `lines[n]` is the line of the uploaded file that record n (0 = header) came from."""
    descriptor = {k: v for k, v in schemas.SCHEMAS[schema_key].descriptor().items()
                  if k != "custom_checks"}  # fmt: skip
    try:
        raw = Path(path).read_bytes()
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return [RowError(None, "", _("Le fichier doit être encodé en UTF-8."))]
    errors: list[RowError] = []
    with system.use_context(trusted=False):
        resource = Resource(
            raw, format="csv", encoding="utf-8", schema=Schema.from_descriptor(descriptor)
        )
        report = resource.validate(limit_errors=MAX_ERRORS)
    for task in report.tasks:
        for error in task.errors:
            row = getattr(error, "row_number", None)
            if row is None and hasattr(error, "label"):
                row = 1
            field = getattr(error, "field_name", "") or getattr(error, "label", "") or ""
            errors.append(RowError(row, field, _message(error)))
    errors += _custom_errors(raw, schema_key)
    if lines is not None:
        for error in errors:
            if error.row is not None and 0 < error.row <= len(lines):
                error.row = lines[error.row - 1]
    errors.sort(key=lambda e: (e.row or 0, e.field))
    return errors[:MAX_ERRORS]


MISSING_REQUIRED = gettext_lazy("Colonne obligatoire absente de l'en-tête.")
# Excel's spellings of a boolean, mapped to the schema's own first true/false value.
TRUE_WORDS, FALSE_WORDS = {"oui", "vrai", "true", "1"}, {"non", "faux", "false", "0"}
DEFAULT_TRUE, DEFAULT_FALSE = ["true", "True", "TRUE", "1"], ["false", "False", "FALSE", "0"]


@dataclass
class Checked:
    errors: list[RowError]
    notes: list[str]  # what was converted, in French, for the agent
    content: bytes = b""  # the canonical file to store (text cells escaped); b"" on errors


def _boolean(field: dict):
    trues = field.get("trueValues", DEFAULT_TRUE)
    falses = field.get("falseValues", DEFAULT_FALSE)

    def convert(value: str) -> str | None:
        word = value.strip().lower()
        if value in trues or value in falses:
            return None
        if word in TRUE_WORDS:
            return trues[0]
        if word in FALSE_WORDS:
            return falses[0]
        return None

    return convert


def _converter(field: dict):
    """(kind of conversion, function) for a column, from its declared type only: text
    columns are never touched."""
    kind, fmt = field.get("type"), field.get("format", "default")
    if kind == "date" and fmt in ("default", None):
        return "date", tabular.iso_date
    if kind == "number" and "decimalChar" not in field:
        return "number", tabular.dot_decimal
    if kind == "integer":
        return "integer", tabular.plain_integer
    if kind == "boolean":
        return "boolean", _boolean(field)
    return None, None


# What the agent is told of each conversion, by field type (singular, plural).
CONVERSION_NOTES = {
    "date": (
        gettext_noop("%(n)s date JJ/MM/AAAA convertie en AAAA-MM-JJ"),
        gettext_noop("%(n)s dates JJ/MM/AAAA converties en AAAA-MM-JJ"),
    ),
    "number": (
        gettext_noop("%(n)s nombre à virgule décimale converti (point décimal)"),
        gettext_noop("%(n)s nombres à virgule décimale convertis (point décimal)"),
    ),
    "integer": (
        gettext_noop("%(n)s nombre entier sans ses espaces de milliers"),
        gettext_noop("%(n)s nombres entiers sans leurs espaces de milliers"),
    ),
    "boolean": (
        gettext_noop("%(n)s valeur oui/non écrite comme le schéma l'attend"),
        gettext_noop("%(n)s valeurs oui/non écrites comme le schéma l'attend"),
    ),
}


def _conversion_notes(counts: dict[str, int]) -> list[str]:
    return [
        ngettext(singular, plural, counts[kind]) % {"n": counts[kind]}
        for kind, (singular, plural) in CONVERSION_NOTES.items()
        if counts.get(kind)
    ]


def _header_errors(header: list[str], sheet_rows, fields: list[dict]) -> list[RowError]:
    names = {f["name"] for f in fields}
    errors, seen = [], set()
    for index, label in enumerate(header):
        if not label:
            if any(index < len(cells) and cells[index].strip() for _line, cells in sheet_rows):
                errors.append(RowError(1, "", _("Nom de colonne vide dans l'en-tête.")))
        elif label in seen:
            errors.append(RowError(1, label, _("Nom de colonne en double dans l'en-tête.")))
        elif label not in names:
            errors.append(RowError(1, label, _("Colonne inconnue du schéma.")))
        seen.add(label)
    for field in fields:
        required = (field.get("constraints") or {}).get("required")
        if required and field["name"] not in seen:
            errors.append(RowError(1, field["name"], str(MISSING_REQUIRED)))
    return errors


def check_upload(raw: bytes, schema_key: str, workdir: Path) -> Checked:
    """An uploaded file in the schema's canonical form, checked; its errors by line of
    the uploaded file and column, and the notes of what was converted."""
    fields = schemas.fields_of(schema_key)
    try:
        sheet = tabular.read(raw)
    except tabular.TabularError as error:
        return Checked([RowError(error.line, "", error.message)], [])
    notes = list(sheet.notes)
    header = sheet.header
    errors = _header_errors(header, sheet.rows, fields)
    if errors:
        return Checked(errors, notes)
    names = [f["name"] for f in fields]
    absent = [n for n in names if n not in header]
    if absent:
        notes.append(
            ngettext(
                "%(n)s colonne facultative absente ajoutée vide",
                "%(n)s colonnes facultatives absentes ajoutées vides",
                len(absent),
            )
            % {"n": len(absent)}
            + " : "
            + ", ".join(absent)
        )
    elif [h for h in header if h] != names:
        notes.append(_("colonnes remises dans l'ordre du schéma"))
    positions = [header.index(n) if n in header else None for n in names]
    converters = [_converter(f) for f in fields]
    counts: dict[str, int] = {}
    canonical, lines, blank = [names], [1], 0
    for line, cells in sheet.rows:
        if not any(c.strip() for c in cells):
            blank += 1
            continue
        if len(cells) != len(header):
            errors.append(
                RowError(
                    line,
                    "",
                    (
                        _("Valeur manquante : la ligne a moins de colonnes que l'en-tête.")
                        if len(cells) < len(header)
                        else _("Valeur en trop : la ligne a plus de colonnes que l'en-tête.")
                    ),
                )
            )
            continue
        row = []
        for position, (kind, convert) in zip(positions, converters, strict=True):
            value = "" if position is None else cells[position]
            if convert is not None and value:
                converted = convert(value)
                if converted is not None and converted != value:
                    value = converted
                    counts[kind] = counts.get(kind, 0) + 1
            row.append(value)
        canonical.append(row)
        lines.append(line)
    if blank:
        notes.append(
            ngettext("%(n)s ligne vide ignorée", "%(n)s lignes vides ignorées", blank)
            % {"n": blank}
        )
    notes += _conversion_notes(counts)
    path = workdir / "canonical.csv"
    path.write_text("".join(tabular.row_line(r) for r in canonical), encoding="utf-8")
    errors += validate_csv(path, schema_key, lines)
    if errors:
        errors.sort(key=lambda e: (e.row or 0, e.field))
        return Checked(errors[:MAX_ERRORS], notes)
    texts = [f.get("type", "string") in ("string", "any") for f in fields]
    content = "".join(
        [tabular.row_line(names)]
        + [tabular.row_line([tabular.escape(v) if t else v for v, t in zip(r, texts, strict=True)])
           for r in canonical[1:]]
    )  # fmt: skip
    return Checked([], notes, content.encode())


def unescape_row(row: dict, fields: list[dict]) -> dict:
    """A row read back from a stored upload, its text cells as the agent wrote them."""
    for field in fields:
        value = row.get(field["name"])
        if isinstance(value, str) and field.get("type", "string") in ("string", "any"):
            row[field["name"]] = tabular.unescape(value)
    return row


ACTES_FAMILIES = {
    # The nine families of the ACTES nomenclature (first level of DELIB_MATIERE_NOM).
    "commande publique",
    "urbanisme",
    "domaine et patrimoine",
    "fonction publique",
    "institutions et vie politique",
    "libertes publiques et pouvoirs de police",
    "finances locales",
    "domaines de competences par themes",
    "autres domaines de competences",
}
COMPARISONS = {
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    "==": lambda a, b: a == b,
}


def _number(value: str):
    try:
        return float(value.replace(",", "."))
    except ValueError:
        return None


def _comparable(a: str, b: str):
    """Both as numbers when they are, else as text (ISO dates compare as text)."""
    x, y = _number(a), _number(b)
    return (x, y) if x is not None and y is not None else (a, b)


def check_row(row: dict, check: dict) -> list[tuple[str, str]]:
    """(field, French message) for each way the row breaks one of the schema's custom
    checks (validata's names); [] when it holds or does not apply."""
    from territoria.territories.normalize import fold

    name, params = check.get("name"), check.get("params") or {}
    value = (row.get(params.get("column", "")) or "").strip()
    if name in {"french-siret-value", "siret"}:
        if value and value.isdigit() and len(value) == 14 and not is_valid_siret(value):
            return [
                (
                    params["column"],
                    _("Le SIRET « %(value)s » est invalide : sa clé de contrôle (Luhn) est fausse.")
                    % {"value": value},
                )
            ]
    elif name == "one-of-required":
        first, second = params["column1"], params["column2"]
        if not (row.get(first) or "").strip() and not (row.get(second) or "").strip():
            return [(first, _("Renseignez %(a)s ou %(b)s.") % {"a": first, "b": second})]
    elif name == "year-interval-value" and value:
        match = re.fullmatch(r"(\d{4})(?:/(\d{4}))?", value)
        only_year = match and match.group(2) is None
        if (
            not match
            or (only_year and params.get("allow-year-only") != "yes")
            or (match.group(2) and int(match.group(2)) != int(match.group(1)) + 1)
        ):
            return [
                (
                    params["column"],
                    _(
                        "« %(value)s » n'est pas une année (AAAA) ou un "
                        "intervalle d'années consécutives (AAAA/AAAA)."
                    )
                    % {"value": value},
                )
            ]
    elif name == "cohesive-columns-value":
        columns = [params["column"], *params["othercolumns"]]
        filled = [bool((row.get(c) or "").strip()) for c in columns]
        if any(filled) and not all(filled):
            return [
                (
                    params["column"],
                    _("Les colonnes %(columns)s se remplissent ensemble, ou restent toutes vides.")
                    % {"columns": ", ".join(columns)},
                )
            ]
    elif name == "compare-columns-value":
        other = (row.get(params["column2"]) or "").strip()
        operator = COMPARISONS.get(params.get("op", ""))
        if value and other and operator and not operator(*_comparable(value, other)):
            return [
                (
                    params["column"],
                    _("%(a)s doit être %(op)s %(b)s (%(x)s, %(y)s).")
                    % {
                        "a": params["column"],
                        "op": params["op"],
                        "b": params["column2"],
                        "x": value,
                        "y": other,
                    },
                )
            ]
    elif name == "sum-columns-value":
        parts = [(row.get(c) or "").strip() for c in params["columns"]]
        numbers = [_number(v) for v in [value, *parts]]
        if all(v for v in [value, *parts]) and None not in numbers:
            if abs(numbers[0] - sum(numbers[1:])) > 1e-9:
                return [
                    (
                        params["column"],
                        _("%(a)s doit être la somme de %(b)s.")
                        % {"a": params["column"], "b": ", ".join(params["columns"])},
                    )
                ]
    elif name == "nomenclature-actes-value" and value:
        family = fold(value.split("/")[0]).strip()
        if family not in ACTES_FAMILIES:
            return [
                (
                    params["column"],
                    _(
                        "« %(value)s » ne commence pas par une famille de la "
                        "nomenclature ACTES (Commande publique, Urbanisme, "
                        "Finances locales…)."
                    )
                    % {"value": value},
                )
            ]
    return []


def _custom_errors(raw: bytes, schema_key: str) -> list[RowError]:
    """The schema's custom checks (SIRET, one of two columns, year intervals, cohesive,
    compared and summed columns, ACTES nomenclature), which frictionless skips."""
    checks = schemas.SCHEMAS[schema_key].descriptor().get("custom_checks") or []
    if not checks:
        return []
    try:
        sheet = tabular.read(raw, delimiter=",")
    except tabular.TabularError:
        return []  # frictionless already reports a file it cannot read
    errors = []
    records = [cells for _line, cells in sheet.rows if cells]  # numbered as frictionless does
    for line, cells in enumerate(records, start=2):
        row = dict(zip(sheet.header, cells, strict=False))
        for check in checks:
            errors += [RowError(line, field, message) for field, message in check_row(row, check)]
        if len(errors) >= MAX_ERRORS:
            break
    return errors
