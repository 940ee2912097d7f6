"""Check an uploaded CSV against a Table Schema: frictionless for the schema itself,
plus the French custom checks the national schemas declare and frictionless skips
(SIRET checksum, one-of-required, year intervals, cohesive, compared and summed columns,
ACTES nomenclature), with every error in French by row and field. Plain data in, plain
data out."""

import ast
import contextlib
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frictionless import Resource, Schema, system

from territoria.opendata import schemas

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


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def siret_valid(value: str) -> bool:
    """A SIRET is 14 digits with a Luhn checksum; La Poste's establishments (SIREN
    356000000) use a digit sum multiple of 5 instead."""
    if len(value) != 14 or not value.isdigit():
        return False
    if value.startswith("356000000") and value != "35600000000048":
        return sum(int(c) for c in value) % 5 == 0
    return luhn_valid(value)


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
        return _("Colonne obligatoire absente de l'en-tête.")
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


def validate_csv(path: Path, schema_key: str) -> list[RowError]:
    """Every problem of the file against the schema; [] when it may be published."""
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
    errors.sort(key=lambda e: (e.row or 0, e.field))
    return errors[:MAX_ERRORS]


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
        if value and value.isdigit() and len(value) == 14 and not siret_valid(value):
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
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))
    errors = []
    for line, row in enumerate(reader, start=2):
        for check in checks:
            errors += [RowError(line, field, message) for field, message in check_row(row, check)]
        if len(errors) >= MAX_ERRORS:
            break
    return errors
