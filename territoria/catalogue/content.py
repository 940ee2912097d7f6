"""The catalogue's shipped reference content (territoria/data/catalogue/): read the JSON
files, check every item, then write them all in one transaction, idempotently.

`load()` is what `manage.py load_catalogue` and the demo run. Nothing is written unless
every file is valid; a second run changes nothing and says so.
"""

import datetime
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from territoria.catalogue import enums
from territoria.catalogue.models import Feedback, Figure, Provider, Solution, Tag, UseCase
from territoria.territories.models import Commune

CONTENT_DIR = Path(__file__).resolve().parent.parent / "data" / "catalogue"
TAGS, USE_CASES, SOLUTIONS, FEEDBACK = (
    "tags.json",
    "use_cases.json",
    "open_source_solutions.json",
    "feedback.json",
)
FILES = (TAGS, USE_CASES, SOLUTIONS, FEEDBACK)
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
INSEE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Problem:
    """One error in the content, located by file, item and field."""

    file: str
    item: str
    field: str
    code: str
    message: str

    def __str__(self):
        return _("%(file)s, élément « %(item)s », champ « %(field)s » : %(message)s") % vars(self)

    def as_dict(self) -> dict[str, str]:
        """The structured error for machines: code, French message and location."""
        return vars(self) | {"message": str(self)}


class ContentError(Exception):
    """The content is invalid: nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Counts:
    """What a load did to one kind of object."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


@dataclass
class Report:
    counts: dict[str, Counts] = field(
        default_factory=lambda: {
            name: Counts() for name in ("tags", "use_cases", "solutions", "feedback")
        }
    )

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for c in self.counts.values())


# Reading and validation --------------------------------------------------------------


def read(directory: Path) -> dict[str, list]:
    """The four files as lists of objects; unreadable files are reported together."""
    data, problems = {}, []
    for name in FILES:
        path = Path(directory) / name
        try:
            content = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            problems.append(Problem(name, "-", "-", "missing_file", _("fichier absent.")))
            continue
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            problems.append(
                Problem(name, "-", "-", "invalid_json", _("JSON illisible (%s).") % error)
            )
            continue
        if not isinstance(content, list) or not all(isinstance(i, dict) for i in content):
            problems.append(
                Problem(
                    name, "-", "-", "not_a_list", _("le fichier doit contenir une liste d'objets.")
                )
            )
            continue
        data[name] = content
    if problems:
        raise ContentError(problems)
    return data


class _Checker:
    """Collects the problems of one item; each check returns the cleaned value."""

    def __init__(self, file: str, item: dict, index: int, key: str = "slug"):
        self.file, self.item = file, item
        label = item.get(key) if isinstance(item.get(key), str) else None
        self.name = label or f"n° {index + 1}"
        self.problems: list[Problem] = []

    def error(self, name, code, message):
        self.problems.append(Problem(self.file, self.name, name, code, message))

    def allowed(self, names) -> None:
        for name in sorted(set(self.item) - set(names)):
            self.error(name, "unknown_field", _("champ inconnu."))

    def text(self, name, model, required=False, item=None, prefix=""):
        value = (item or self.item).get(name) or ""
        if not isinstance(value, str):
            self.error(prefix + name, "not_text", _("doit être un texte."))
            return ""
        value = value.strip()
        if required and not value:
            self.error(prefix + name, "required", _("champ obligatoire."))
        max_length = model._meta.get_field(name).max_length
        if max_length and len(value) > max_length:
            self.error(prefix + name, "too_long", _("%d caractères au plus.") % max_length)
        return value

    def slug(self, name="slug"):
        value = self.item.get(name)
        if not isinstance(value, str) or not SLUG.match(value):
            self.error(
                name, "invalid_slug", _("identifiant absent ou invalide (a-z, 0-9, tirets).")
            )
            return ""
        return value

    def choice(self, name, choices, item=None, prefix=""):
        value = (item or self.item).get(name)
        if value not in choices.values:
            self.error(
                prefix + name,
                "unknown_choice",
                _("valeur inconnue « %(v)s » (attendu : %(c)s).")
                % {"v": value, "c": ", ".join(choices.values)},
            )
        return value

    def url(self, name, value, required=False):
        if value in (None, ""):
            if required:
                self.error(name, "required", _("adresse obligatoire."))
            return ""
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            self.error(name, "invalid_url", _("adresse invalide « %s ».") % value)
            return ""
        return value

    def number(self, name, value, required=True):
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.error(name, "not_a_number", _("doit être un nombre."))
            return None
        try:
            number = Decimal(str(value)).quantize(CENT)
        except InvalidOperation:
            self.error(name, "not_a_number", _("doit être un nombre."))
            return None
        if abs(number) >= Decimal("1e12"):
            self.error(name, "too_large", _("nombre trop grand."))
            return None
        return number

    def date(self, name, value):
        if value in (None, ""):
            return None
        try:
            return datetime.date.fromisoformat(value)
        except (TypeError, ValueError):
            self.error(name, "invalid_date", _("date invalide (attendu AAAA-MM-JJ)."))
            return None

    def population(self):
        low, high = self.item.get("population_min", 0), self.item.get("population_max")
        for name, value in (("population_min", low), ("population_max", high)):
            if value is not None and (
                not isinstance(value, int) or isinstance(value, bool) or value < 0
            ):
                self.error(name, "invalid_population", _("doit être un entier positif."))
                return 0, None
        if high is not None and high < low:
            self.error("population_max", "min_above_max", _("inférieure à la population minimale."))
        return low or 0, high

    def slugs(self, name, known, kind_label):
        values = self.item.get(name, [])
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            self.error(name, "not_a_list", _("doit être une liste d'identifiants."))
            return []
        for value in values:
            if value not in known:
                self.error(
                    name,
                    "unknown_reference",
                    _("%(kind)s inconnu(e) « %(v)s ».") % {"kind": kind_label, "v": value},
                )
        return sorted(set(values))


FIGURE_FIELDS = {"metric", "label", "value_min", "value_max", "unit", "basis", "kind",
                 "source_title", "source_url", "source_date", "note"}  # fmt: skip


def _figures(check: _Checker) -> list[dict]:
    figures = check.item.get("figures", [])
    if not isinstance(figures, list):
        check.error("figures", "not_a_list", _("doit être une liste de chiffres."))
        return []
    cleaned = []
    for i, raw in enumerate(figures):
        where = f"figures[{i + 1}]."
        if not isinstance(raw, dict):
            check.error(where[:-1], "not_an_object", _("doit être un objet."))
            continue
        for name in sorted(set(raw) - FIGURE_FIELDS):
            check.error(where + name, "unknown_field", _("champ inconnu."))
        kind = check.choice("kind", enums.FigureKind, raw, where)
        fig = {
            "metric": check.choice("metric", enums.Metric, raw, where),
            "unit": check.choice("unit", enums.Unit, raw, where),
            "kind": kind,
            "label": check.text("label", Figure, True, raw, where),
            "basis": check.text("basis", Figure, False, raw, where),
            "value_min": check.number(where + "value_min", raw.get("value_min")),
            "value_max": check.number(where + "value_max", raw.get("value_max")),
            "source_title": check.text("source_title", Figure, False, raw, where),
            "source_url": check.url(where + "source_url", raw.get("source_url")),
            "source_date": check.date(where + "source_date", raw.get("source_date")),
            "note": check.text("note", Figure, False, raw, where),
        }
        low, high = fig["value_min"], fig["value_max"]
        if low is not None and high is not None and low > high:
            check.error(
                where + "value_max",
                "min_above_max",
                _("la valeur haute (%(high)s) est inférieure à la valeur basse (%(low)s).")
                % {"low": low, "high": high},
            )
        if kind == enums.FigureKind.HYPOTHESIS:
            if not fig["note"]:
                check.error(
                    where + "note", "hypothesis_without_note",
                    _("une hypothèse doit expliquer d'où vient son ordre de grandeur."),
                )  # fmt: skip
        elif kind in enums.FigureKind.values and not (fig["source_title"] and fig["source_url"]):
            check.error(
                where + "source_url", "missing_source",
                _("un chiffre qui n'est pas une hypothèse doit citer sa source "
                  "(titre et adresse)."),
            )  # fmt: skip
        cleaned.append(fig)
    return cleaned


# fmt: off
# Per file: model, required text fields, optional text fields, choice fields, other keys.
SPECS = {
    TAGS: (Tag, ("name",), ("description",), {"kind": Tag.Kind}, ("slug",)),
    USE_CASES: (
        UseCase,
        ("title", "summary", "problem", "how_it_works"),
        ("indicators", "cost_driver", "regulatory_drivers", "risks"),
        {"axis": enums.Axis, "maturity": enums.Maturity},
        ("slug", "prerequisites", "population_min", "population_max", "figures"),
    ),
    SOLUTIONS: (
        Solution,
        ("name", "summary"),
        ("description", "licence_name", "reversibility", "accessibility", "security"),
        {"maturity": enums.Maturity, "licence_kind": enums.LicenceKind, "hosting": enums.Hosting},
        ("slug", "code_url", "secnumcloud", "standards", "use_cases", "purchase_channels",
         "population_min", "population_max", "references", "provider", "figures"),
    ),
    FEEDBACK: (
        Feedback,
        ("title", "source_title"),
        ("scope", "indicator", "value_before", "value_after", "method", "lessons"),
        {},
        ("use_case", "solution", "insee", "commune", "population", "started_on",
         "capex_actual", "opex_actual", "would_do_again", "evidence_url"),
    ),
}
# fmt: on


def _items(data, name, identity=lambda item: item.get("slug")):
    """Yield (checker, row with the plain fields cleaned) for each item of one file."""
    model, required, optional, choices, extra = SPECS[name]
    seen = set()
    for i, item in enumerate(data[name]):
        check = _Checker(name, item, i, key="title" if name == FEEDBACK else "slug")
        check.allowed({*required, *optional, *choices, *extra})
        row = {n: check.choice(n, c) for n, c in choices.items()}
        row |= {n: check.text(n, model, True) for n in required}
        row |= {n: check.text(n, model) for n in optional}
        if "slug" in extra:
            row["slug"] = check.slug()
        if "population_min" in extra:
            row["population_min"], row["population_max"] = check.population()
        if "figures" in extra:
            row["figures"] = _figures(check)
        key = repr(identity(item))
        if key in seen:
            check.error(
                "slug" if "slug" in extra else "title", "duplicate", _("élément en double.")
            )
        seen.add(key)
        yield check, row


def validate(data: dict[str, list]) -> tuple[dict[str, list], list[Problem]]:
    """Clean every item; returns the cleaned items and every problem found."""
    problems, clean = [], {name: [] for name in FILES}

    def keep(name, check, row):
        problems.extend(check.problems)
        clean[name].append(row)

    for check, row in _items(data, TAGS):
        keep(TAGS, check, row)
    kinds = dict(Tag.objects.values_list("slug", "kind"))
    kinds |= {t["slug"]: t["kind"] for t in clean[TAGS]}
    prerequisites = {s for s, k in kinds.items() if k == Tag.Kind.PREREQUISITE}
    standards = {s for s, k in kinds.items() if k == Tag.Kind.STANDARD}

    for check, row in _items(data, USE_CASES):
        row["prerequisites"] = check.slugs("prerequisites", prerequisites, _("prérequis"))
        keep(USE_CASES, check, row)
    use_cases = set(UseCase.objects.values_list("slug", flat=True))
    use_cases |= {u["slug"] for u in clean[USE_CASES]}

    codes = {
        code
        for item in data[SOLUTIONS] + data[FEEDBACK]
        for code in [item.get("insee"), *(item.get("references") or [])]
        if isinstance(code, str)
    }
    communes = dict(Commune.objects.filter(code__in=codes).values_list("code", "population"))

    def commune(check, name, code):
        if not isinstance(code, str) or not INSEE.match(code):
            check.error(name, "invalid_insee", _("code INSEE invalide « %s ».") % code)
        elif code not in communes:
            check.error(name, "unknown_insee", _("code INSEE inconnu « %s » (territoires "
                        "importés ? territoria import-territories).") % code)  # fmt: skip

    for check, row in _items(data, SOLUTIONS):
        item = check.item
        row["code_url"] = check.url("code_url", item.get("code_url"))
        row["secnumcloud"] = item.get("secnumcloud", False) is True
        row["standards"] = check.slugs("standards", standards, _("norme"))
        row["use_cases"] = check.slugs("use_cases", use_cases, _("cas d'usage"))
        if not row["use_cases"]:
            check.error("use_cases", "required", _("au moins un cas d'usage."))
        channels = item.get("purchase_channels", [])
        if not isinstance(channels, list) or set(channels) - set(enums.PurchaseChannel.values):
            check.error("purchase_channels", "unknown_choice", _("canaux possibles : %s.")
                        % ", ".join(enums.PurchaseChannel.values))  # fmt: skip
            channels = []
        row["purchase_channels"] = channels
        references = item.get("references") or []
        for code in references:
            commune(check, "references", code)
        row["references"] = sorted(set(references))
        row["provider"] = _provider(check, item.get("provider"))
        keep(SOLUTIONS, check, row)
    solutions = set(Solution.objects.values_list("slug", flat=True))
    solutions |= {s["slug"] for s in clean[SOLUTIONS]}

    identity = lambda item: (item.get("use_case"), item.get("insee"), item.get("title"))  # noqa: E731
    for check, row in _items(data, FEEDBACK, identity):
        item = check.item
        if item.get("use_case") not in use_cases:
            check.error("use_case", "unknown_reference",
                        _("cas d'usage inconnu « %s ».") % item.get("use_case"))  # fmt: skip
        if item.get("solution") is not None and item.get("solution") not in solutions:
            check.error("solution", "unknown_reference",
                        _("solution inconnue « %s ».") % item.get("solution"))  # fmt: skip
        commune(check, "insee", item.get("insee"))
        population = item.get("population")
        if population is not None and (not isinstance(population, int) or population < 0):
            check.error("population", "invalid_population", _("doit être un entier positif."))
        would = item.get("would_do_again")
        if would not in (True, False, None):
            check.error("would_do_again", "not_a_boolean", _("doit valoir true, false ou null."))
        row |= {
            "use_case": item.get("use_case"),
            "solution": item.get("solution"),
            "commune": item.get("insee"),
            "population": communes.get(item.get("insee"), 0) if population is None else population,
            "started_on": check.date("started_on", item.get("started_on")),
            "capex_actual": check.number("capex_actual", item.get("capex_actual"), False),
            "opex_actual": check.number("opex_actual", item.get("opex_actual"), False),
            "would_do_again": would,
            "evidence_url": check.url("evidence_url", item.get("evidence_url"), required=True),
        }
        keep(FEEDBACK, check, row)
    return clean, problems


def _provider(check: _Checker, raw) -> dict | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) - {"name", "website", "description"}:
        check.error("provider", "invalid_provider",
                    _("null ou un objet {name, website, description}."))  # fmt: skip
        return None
    return {
        "name": check.text("name", Provider, True, item=raw),
        "website": check.url("provider.website", raw.get("website")),
        "description": check.text("description", Provider, item=raw),
    }


# Writing ------------------------------------------------------------------------------

FIGURE_KEY = ("metric", "label", "value_min", "value_max", "unit", "basis", "kind",
              "source_title", "source_url", "source_date", "note")  # fmt: skip


def _sync(obj, values: dict) -> bool:
    """Set `values` on `obj`; True when something differed."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return bool(changed)


def _m2m(name, wanted, attr, objects):
    """A many-to-many relation as (wanted keys, current keys, setter) for _upsert."""
    return (
        wanted,
        lambda obj: sorted(getattr(x, attr) for x in getattr(obj, name).all()),
        lambda obj, keys: getattr(obj, name).set([objects[k] for k in keys]),
    )


def _figures_rel(owner: str, figures: list[dict]):
    def setter(obj, _keys):
        obj.figures.all().delete()
        Figure.objects.bulk_create(Figure(**{owner: obj}, **fig) for fig in figures)

    def current(obj):
        return sorted(
            (tuple(getattr(f, n) for n in FIGURE_KEY) for f in obj.figures.all()), key=repr
        )

    return sorted((tuple(f[n] for n in FIGURE_KEY) for f in figures), key=repr), current, setter


def _upsert(model, existing: dict, key, values: dict, related: dict, counts: Counts):
    """Create or update one object and its relations; counts the outcome."""
    obj = existing.get(key)
    if obj is None:
        obj = existing[key] = model.objects.create(**values)
        for wanted, _current, setter in related.values():
            setter(obj, wanted)
        counts.add("created")
        return obj
    changed = _sync(obj, values)
    if changed:
        obj.save()
    for wanted, current, setter in related.values():
        if wanted != current(obj):
            setter(obj, wanted)
            changed = True
    counts.add("updated" if changed else "unchanged")
    return obj


def write(clean: dict[str, list], report: Report, now) -> Report:
    """Write the cleaned content; only what differs from the database is saved."""
    counts = report.counts
    tags = {t.slug: t for t in Tag.objects.all()}
    for row in clean[TAGS]:
        _upsert(Tag, tags, row["slug"], row, {}, counts["tags"])

    use_cases = {u.slug: u for u in UseCase.objects.prefetch_related("prerequisites", "figures")}
    for row in clean[USE_CASES]:
        values = {k: v for k, v in row.items() if k not in ("prerequisites", "figures")}
        related = {
            "prerequisites": _m2m("prerequisites", row["prerequisites"], "slug", tags),
            "figures": _figures_rel("use_case", row["figures"]),
        }
        _upsert(UseCase, use_cases, row["slug"], values, related, counts["use_cases"])

    solutions = {
        s.slug: s
        for s in Solution.objects.select_related("provider").prefetch_related(
            "use_cases", "standards", "references", "figures"
        )
    }
    communes = Commune.objects.in_bulk(
        {code for row in clean[SOLUTIONS] for code in row["references"]}
        | {row["commune"] for row in clean[FEEDBACK]}
    )
    touched = set()
    for row in clean[SOLUTIONS]:
        relations = ("standards", "use_cases", "references", "provider", "figures")
        values = {k: v for k, v in row.items() if k not in relations}
        values |= {"status": enums.Moderation.APPROVED, "is_fictitious": False,
                   "provider": _provider_for(row["provider"])}  # fmt: skip
        if row["slug"] not in solutions:
            values["moderated_at"] = now
        related = {
            "use_cases": _m2m("use_cases", row["use_cases"], "slug", use_cases),
            "standards": _m2m("standards", row["standards"], "slug", tags),
            "references": _m2m("references", row["references"], "code", communes),
            "figures": _figures_rel("solution", row["figures"]),
        }
        _upsert(Solution, solutions, row["slug"], values, related, counts["solutions"])
        touched.add(row["slug"])

    feedback = {
        (f.use_case.slug, f.commune_id, f.title): f
        for f in Feedback.objects.filter(commune_id__in=communes).select_related("use_case")
    }
    for row in clean[FEEDBACK]:
        values = {k: v for k, v in row.items() if k not in ("use_case", "solution", "commune")}
        values |= {
            "use_case": use_cases[row["use_case"]],
            "solution": solutions[row["solution"]] if row["solution"] else None,
            "commune": communes[row["commune"]],
            "status": enums.Moderation.APPROVED,
        }
        key = (row["use_case"], row["commune"], row["title"])
        if key not in feedback:
            values["moderated_at"] = now
        _upsert(Feedback, feedback, key, values, {}, counts["feedback"])
        if row["solution"]:
            touched.add(row["solution"])

    for slug in sorted(touched):
        solutions[slug].refresh_summary()
    return report


def _provider_for(row: dict | None) -> Provider | None:
    if row is None:
        return None
    provider, _created = Provider.objects.get_or_create(
        name=row["name"], is_fictitious=False, defaults=row
    )
    if _sync(provider, row):
        provider.save()
    return provider


def load(directory: Path | str | None = None) -> Report:
    """Validate the content of `directory` (the shipped one by default) and write it.

    Raises ContentError, having written nothing, when any item is invalid."""
    data = read(Path(directory) if directory else CONTENT_DIR)
    with transaction.atomic():
        clean, problems = validate(data)
        if problems:
            raise ContentError(problems)
        return write(clean, Report(), timezone.now())
