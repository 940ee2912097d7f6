"""Validation of every row against the document itself and the database."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from territoria.catalogue.exchange.columns import (
    MODELS,
    TABLES,
    Issue,
    Row,
    model_fields,
    parse_cell,
)
from territoria.catalogue.models import Solution, Tag, UseCase
from territoria.territories.models import Collectivite, Commune, Region


class Checker:
    """Validates every row of a document against itself and the database."""

    def __init__(self, tables: dict[str, list[Row]], issues: list[Issue]):
        self.tables = {table: tables.get(table, []) for table in TABLES}
        self.issues = issues

    def error(self, row: Row, field: str | None, message) -> None:
        self.issues.append(Issue(row.file, row.line, field, str(message)))

    def run(self) -> None:
        for table, rows in self.tables.items():
            for row in rows:
                self.parse(table, row)
        self.unique("tags", "slug")
        self.unique("use_cases", "slug")
        self.unique("providers", "ref")
        self.unique("solutions", "slug")
        self.unique_feedback()
        self.relations()
        for table, rows in self.tables.items():
            for row in rows:
                if row.values is not None:
                    self.model_rules(table, row)

    def parse(self, table: str, row: Row) -> None:
        values, ok = {}, True
        for column in TABLES[table]:
            try:
                values[column.name] = parse_cell(column, row.raw.get(column.name), row.from_csv)
            except ValueError as error:
                self.error(row, column.name, error.args[0])
                ok = False
        row.values = values if ok else None

    def valid(self, table: str) -> list[Row]:
        return [row for row in self.tables[table] if row.values is not None]

    def unique(self, table: str, key: str) -> None:
        seen = {}
        for row in self.valid(table):
            value = row.values[key]
            if value in seen:
                self.error(
                    row, key,
                    _("« %(value)s » figure déjà à la ligne %(line)s de %(file)s.")
                    % {"value": value, "line": seen[value].line, "file": seen[value].file},
                )  # fmt: skip
            else:
                seen[value] = row

    def unique_feedback(self) -> None:
        seen = {}
        for row in self.valid("feedback"):
            key = (row.values["use_case"], row.values["commune"], row.values["title"])
            if key in seen:
                self.error(
                    row, "title",
                    _("Un retour de cette commune sur ce cas d'usage porte déjà ce titre "
                      "(ligne %(line)s).") % {"line": seen[key].line},
                )  # fmt: skip
            seen.setdefault(key, row)

    def relations(self) -> None:
        def keys(table, key):
            # Rows with other errors still count: one mistake is reported once.
            return {
                row.values[key] if row.values else str(row.raw.get(key) or "").strip()
                for row in self.tables[table]
            }

        tag_kinds = dict(Tag.objects.values_list("slug", "kind"))
        tag_kinds |= {row.values["slug"]: row.values["kind"] for row in self.valid("tags")}
        use_cases = keys("use_cases", "slug") | set(UseCase.objects.values_list("slug", flat=True))
        solutions = keys("solutions", "slug") | set(Solution.objects.values_list("slug", flat=True))
        providers = keys("providers", "ref")
        wanted_communes = {
            code for row in self.valid("solutions") for code in row.values["references"]
        }
        wanted_communes |= {row.values["commune"] for row in self.valid("feedback")}
        communes = set(
            Commune.objects.filter(code__in=wanted_communes).values_list("code", flat=True)
        )
        regions = set(Region.objects.values_list("code", flat=True))
        collectivites = set(Collectivite.objects.values_list("slug", flat=True))

        def check(row, field, values, known, message):
            values = values if isinstance(values, list) else [values]
            unknown = [value for value in values if value and value not in known]
            if unknown:
                self.error(row, field, message % {"v": ", ".join(unknown)})

        def tags_of(kind):
            return {slug for slug, tag_kind in tag_kinds.items() if tag_kind == kind}

        for row in self.valid("use_cases"):
            check(
                row,
                "prerequisites",
                row.values["prerequisites"],
                tags_of(Tag.Kind.PREREQUISITE),
                _("Prérequis inconnu (étiquette de type prérequis attendue) : %(v)s."),
            )
        for row in self.valid("providers"):
            check(
                row, "region", row.values["region"], regions, _("Code de région inconnu : %(v)s.")
            )
        for row in self.valid("solutions"):
            values = row.values
            check(
                row,
                "provider",
                values["provider"],
                providers,
                _("Fournisseur absent de la table providers : %(v)s."),
            )
            check(
                row, "use_cases", values["use_cases"], use_cases, _("Cas d'usage inconnu : %(v)s.")
            )
            check(
                row,
                "standards",
                values["standards"],
                tags_of(Tag.Kind.STANDARD),
                _("Norme inconnue (étiquette de type norme attendue) : %(v)s."),
            )
            check(
                row,
                "references",
                values["references"],
                communes,
                _("Code INSEE de commune inconnu : %(v)s."),
            )
        for row in self.valid("figures"):
            values = row.values
            if bool(values["use_case"]) == bool(values["solution"]):
                self.error(
                    row,
                    "use_case",
                    _("Un chiffre appartient soit à un cas d'usage, soit à une solution."),
                )
            check(row, "use_case", values["use_case"], use_cases, _("Cas d'usage inconnu : %(v)s."))
            check(row, "solution", values["solution"], solutions, _("Solution inconnue : %(v)s."))
        for row in self.valid("feedback"):
            values = row.values
            check(row, "use_case", values["use_case"], use_cases, _("Cas d'usage inconnu : %(v)s."))
            check(row, "solution", values["solution"], solutions, _("Solution inconnue : %(v)s."))
            check(
                row,
                "commune",
                values["commune"],
                communes,
                _("Code INSEE de commune inconnu : %(v)s."),
            )
            check(
                row,
                "collectivite",
                values["collectivite"],
                collectivites,
                _("Collectivité inconnue sur cette instance : %(v)s."),
            )

    def model_rules(self, table: str, row: Row) -> None:
        """The model's own rules: lengths, choices, addresses, sources of figures…"""
        model = MODELS[table]
        instance = model(**model_fields(table, row.values))
        exclude = [field.name for field in model._meta.get_fields() if field.is_relation]
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.error(row, None if field == "__all__" else field, message)
