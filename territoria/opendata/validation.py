"""Check an uploaded CSV against a Table Schema: frictionless for the schema itself,
plus the French checks frictionless skips (SIRET checksum), with every error in French
by row and field. Plain data in, plain data out."""

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
    errors += _siret_errors(raw, schema_key)
    errors.sort(key=lambda e: (e.row or 0, e.field))
    return errors[:MAX_ERRORS]


def _siret_errors(raw: bytes, schema_key: str) -> list[RowError]:
    columns = schemas.siret_columns(schema_key)
    if not columns:
        return []
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))
    errors = []
    for line, row in enumerate(reader, start=2):
        for column in columns:
            value = (row.get(column) or "").strip()
            if value and value.isdigit() and len(value) == 14 and not siret_valid(value):
                errors.append(
                    RowError(
                        line,
                        column,
                        _(
                            "Le SIRET « %(value)s » est invalide : "
                            "sa clé de contrôle (Luhn) est fausse."
                        )
                        % {"value": value},
                    )
                )
    return errors
