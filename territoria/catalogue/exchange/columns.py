"""The exchange format: tables, columns, cell parsing, and problems found."""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from territoria.catalogue.models import Feedback, Figure, Provider, Solution, Tag, UseCase

FORMAT = "territoria-catalogue"
VERSION = 1
JSON_NAME = "catalogue.json"
LIST_SEPARATOR = "|"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"  # text, int, decimal, bool, date, datetime, list
    required: bool = False
    nullable: bool = False  # for text: an empty value is stored as NULL
    default: object = None  # the value of an empty cell, when there is one


def _c(name, kind="text", **options):
    return Column(name, kind, **options)


TABLES: dict[str, list[Column]] = {
    "tags": [_c("slug", required=True), _c("kind", required=True), _c("name", required=True),
             _c("description")],
    "use_cases": [
        _c("slug", required=True), _c("title", required=True), _c("axis", required=True),
        _c("summary", required=True), _c("problem", required=True),
        _c("how_it_works", required=True), _c("indicators"), _c("cost_driver"),
        _c("maturity", required=True), _c("regulatory_drivers"), _c("risks"),
        _c("population_min", "int", default=0), _c("population_max", "int"),
        _c("prerequisites", "list"),
    ],
    "providers": [
        _c("ref", required=True), _c("name", required=True), _c("siren", nullable=True),
        _c("website"), _c("region"), _c("description"),
        _c("is_fictitious", "bool", default=False),
    ],
    "solutions": [
        _c("slug", required=True), _c("name", required=True), _c("provider"),
        _c("use_cases", "list"), _c("summary", required=True), _c("description"),
        _c("maturity", required=True), _c("licence_kind", required=True), _c("licence_name"),
        _c("code_url"), _c("hosting", required=True), _c("secnumcloud", "bool", default=False),
        _c("standards", "list"), _c("purchase_channels", "list"), _c("reversibility"),
        _c("accessibility"), _c("security"), _c("population_min", "int", default=0),
        _c("population_max", "int"), _c("references", "list"), _c("status", required=True),
        _c("submitted_at", "datetime"), _c("moderated_at", "datetime"),
        _c("rejection_reason"), _c("is_fictitious", "bool", default=False),
    ],
    "figures": [
        _c("use_case"), _c("solution"), _c("metric", required=True), _c("label", required=True),
        _c("value_min", "decimal", required=True), _c("value_max", "decimal", required=True),
        _c("unit", required=True), _c("basis"), _c("kind", required=True), _c("source_title"),
        _c("source_url"), _c("source_date", "date"), _c("note"), _c("verified_at", "datetime"),
    ],
    "feedback": [
        _c("use_case", required=True), _c("solution"), _c("commune", required=True),
        _c("collectivite"), _c("population", "int", required=True), _c("title", required=True),
        _c("scope"), _c("started_on", "date"), _c("capex_actual", "decimal"),
        _c("opex_actual", "decimal"), _c("indicator"), _c("value_before"), _c("value_after"),
        _c("method"), _c("would_do_again", "bool"), _c("lessons"), _c("evidence_url"),
        _c("source_title"), _c("status", required=True), _c("moderated_at", "datetime"),
        _c("rejection_reason"),
    ],
}  # fmt: skip
# Columns that name other rows rather than hold a field's value.
RELATIONS = {
    "tags": set(),
    "use_cases": {"prerequisites"},
    "providers": {"ref", "region"},
    "solutions": {"provider", "use_cases", "standards", "references"},
    "figures": {"use_case", "solution"},
    "feedback": {"use_case", "solution", "commune", "collectivite"},
}
MODELS = {
    "tags": Tag,
    "use_cases": UseCase,
    "providers": Provider,
    "solutions": Solution,
    "figures": Figure,
    "feedback": Feedback,
}


@dataclass(frozen=True)
class Issue:
    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self):
        where = [self.file]
        if self.line is not None:
            where.append(_("ligne %(line)d") % {"line": self.line})
        if self.field:
            where.append(_("champ « %(field)s »") % {"field": self.field})
        return f"{', '.join(where)} : {self.message}"


class ImportRejected(Exception):
    """The document has problems; nothing was written."""

    def __init__(self, issues: list[Issue]):
        super().__init__("\n".join(str(issue) for issue in issues))
        self.issues = issues


@dataclass
class Row:
    file: str
    line: int | None
    raw: dict
    from_csv: bool
    values: dict | None = None


_TRUE = {"true", "1", "oui", "vrai"}
_FALSE = {"false", "0", "non", "faux"}


def parse_cell(column: Column, raw, from_csv: bool):
    """The Python value of a cell, or ValueError with a French message."""
    if isinstance(raw, str):
        raw = raw.strip()
    empty = raw is None or raw == "" or (column.kind == "list" and raw == [])
    if empty:
        if column.required:
            raise ValueError(_("Ce champ est obligatoire."))
        if column.default is not None:
            return column.default
        if column.kind == "list":
            return []
        return None if (column.nullable or column.kind != "text") else ""
    kind = column.kind
    if kind == "text":
        if not isinstance(raw, str):
            raise ValueError(_("Texte attendu."))
        return raw
    if kind == "int":
        if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
            return raw
        if isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= 12:
            return int(raw)
        raise ValueError(_("Nombre entier positif attendu."))
    if kind == "decimal":
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            raise ValueError(_("Nombre attendu (par exemple 1250.50)."))
        try:
            value = Decimal(str(raw).replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            raise ValueError(_("Nombre attendu (par exemple 1250.50).")) from None
        if not value.is_finite():
            raise ValueError(_("Nombre attendu (par exemple 1250.50)."))
        return value
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.lower() in _TRUE | _FALSE:
            return raw.lower() in _TRUE
        raise ValueError(_("Valeur attendue : true ou false."))
    if kind == "date":
        try:
            return datetime.date.fromisoformat(raw)
        except (TypeError, ValueError):
            raise ValueError(_("Date attendue au format AAAA-MM-JJ.")) from None
    if kind == "datetime":
        try:
            value = datetime.datetime.fromisoformat(raw)
        except (TypeError, ValueError):
            raise ValueError(
                _("Date et heure attendues au format ISO 8601 (2025-03-01T10:00:00+00:00).")
            ) from None
        return timezone.make_aware(value) if timezone.is_naive(value) else value
    # A list: a JSON array of texts, or texts separated by "|" in CSV.
    if from_csv:
        return [item.strip() for item in raw.split(LIST_SEPARATOR) if item.strip()]
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise ValueError(_("Liste de textes attendue."))
    return [item.strip() for item in raw if item.strip()]


def model_fields(table: str, values: dict) -> dict:
    return {key: value for key, value in values.items() if key not in RELATIONS[table]}
