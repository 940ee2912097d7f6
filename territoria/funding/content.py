"""Programmes from files: the shipped reference data (territoria/data/funding/) and
saved responses of the Aides-territoires API. Every record is checked first; nothing
is written unless all are valid; then all are written in one transaction.

Writes are idempotent (by slug, or by origin and external id) and keep provenance: a
field an operator edited by hand is never overwritten by a file, its new value waits
for review as an `ImportedUpdate`.
"""

import csv
import datetime
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from territoria.catalogue.enums import Axis
from territoria.catalogue.models import UseCase
from territoria.funding import enums
from territoria.funding.eligibility import validate_rules
from territoria.funding.models import (
    Funder,
    ImportedUpdate,
    NamedList,
    Programme,
    Window,
)
from territoria.territories.models import Departement, Region

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "funding"
PROGRAMMES_FILE = "programmes.json"
NAMED_LISTS_DIR = "named_lists"
NAMED_LIST_NAMES = {
    "action-coeur-de-ville": "Action Cœur de Ville",
    "petites-villes-de-demain": "Petites Villes de Demain",
}
INSEE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")


@dataclass(frozen=True)
class Problem:
    """One bad record, located by its position and field."""

    record: str
    field: str
    message: str

    def __str__(self):
        return _("%(record)s, champ « %(field)s » : %(message)s") % vars(self)

    def as_dict(self) -> dict[str, str]:
        return {"record": self.record, "field": self.field, "message": str(self)}


class FileRejected(Exception):
    """The file is invalid: nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Record:
    """A programme ready to write: model values and relations, all checked."""

    key: dict  # {"slug": …} or {"origin": …, "external_id": …}
    values: dict
    funders: list[tuple[str, str]]
    windows: list[dict]
    use_cases: list[str]
    named_list: str | None
    raw: dict = field(default_factory=dict)


@dataclass
class Summary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    pending: int = 0

    def __str__(self):
        if not (self.created or self.updated or self.pending):
            return _("Rien n'a changé (%(n)s programmes déjà à jour).") % {"n": self.unchanged}
        return _(
            "%(created)s programmes créés, %(updated)s mis à jour, %(unchanged)s inchangés, "
            "%(pending)s modifications en attente d'examen."
        ) % vars(self)


# ---------------------------------------------------------------------------- checks


def _date(value, record, name, problems):
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        problems.append(Problem(record, name, _("date AAAA-MM-JJ attendue, reçu « %s »") % value))
        return None


def _rate(value, record, name, problems):
    if value in (None, ""):
        return None
    try:
        rate = Decimal(str(value))
    except InvalidOperation:
        problems.append(Problem(record, name, _("nombre attendu, reçu « %s »") % value))
        return None
    if not 0 <= rate <= 100:
        problems.append(Problem(record, name, _("un taux est compris entre 0 et 100 %")))
        return None
    return rate


def _amount(value, record, name, problems):
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        problems.append(Problem(record, name, _("montant positif en euros attendu")))
        return None
    return int(value)


def _choices(values, allowed, record, name, problems, required=True):
    if not isinstance(values, list) or (required and not values):
        problems.append(Problem(record, name, _("liste non vide attendue")))
        return []
    unknown = [v for v in values if v not in allowed]
    if unknown:
        problems.append(
            Problem(
                record,
                name,
                _("valeurs inconnues %(bad)s ; permises : %(ok)s")
                % {"bad": ", ".join(map(str, unknown)), "ok": ", ".join(sorted(allowed))},
            )
        )
    return [v for v in values if v in allowed]


def check_windows(windows, record, problems) -> list[dict]:
    checked = []
    for index, window in enumerate(windows or []):
        name = f"windows[{index}]"
        opens = _date(window.get("opens_on"), record, name, problems)
        closes = _date(window.get("closes_on"), record, name, problems)
        if opens and closes and closes < opens:
            problems.append(Problem(record, name, _("la date limite précède la date d'ouverture")))
        recurrence = window.get("recurrence") or enums.Recurrence.ONEOFF
        if recurrence not in enums.Recurrence.values:
            problems.append(Problem(record, name, _("récurrence inconnue « %s »") % recurrence))
        checked.append(
            {
                "opens_on": opens,
                "closes_on": closes,
                "recurrence": recurrence,
                "note": str(window.get("note") or "")[:300],
            }
        )
    return checked


def check_shipped(entry: dict, index: int, use_case_slugs: set[str], lists: set[str]):
    """A programme of the shipped file, checked; returns (Record, problems)."""
    record = f"programmes[{index}] « {entry.get('slug', '?')} »"
    problems: list[Problem] = []
    slug = entry.get("slug") or ""
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
        problems.append(Problem(record, "slug", _("identifiant en minuscules et tirets attendu")))
    if not entry.get("name"):
        problems.append(Problem(record, "name", _("nom obligatoire")))
    perimeter = entry.get("perimeter") or {}
    scale = perimeter.get("scale", "national")
    if scale not in enums.Scale.values:
        problems.append(Problem(record, "perimeter.scale", _("échelle inconnue « %s »") % scale))
    zone = perimeter.get("zone", "all")
    if zone not in enums.ZoneScope.values:
        problems.append(Problem(record, "perimeter.zone", _("zone inconnue « %s »") % zone))
    codes = [str(c) for c in perimeter.get("codes") or []]
    if scale != "national" and not codes:
        problems.append(Problem(record, "perimeter.codes", _("codes du périmètre manquants")))
    values = {
        "name": str(entry.get("name") or ""),
        "short_name": str(entry.get("short_name") or ""),
        "description": str(entry.get("description") or ""),
        "aid_types": _choices(entry.get("aid_types"), set(enums.AidType.values), record,
                              "aid_types", problems),
        "axes": _choices(entry.get("axes") or [], set(Axis.values), record, "axes", problems,
                         required=False),
        "scale": scale,
        "perimeter_codes": codes,
        "zone": zone,
        "beneficiaries": _choices(entry.get("beneficiaries"), set(enums.Beneficiary.values),
                                  record, "beneficiaries", problems),
        "expense_types": _choices(entry.get("expense_types") or [],
                                  set(enums.ExpenseType.values), record, "expense_types",
                                  problems, required=False),
        "rate_min": _rate(entry.get("rate_min"), record, "rate_min", problems),
        "rate_max": _rate(entry.get("rate_max"), record, "rate_max", problems),
        "ceiling_eur": _amount(entry.get("ceiling_eur"), record, "ceiling_eur", problems),
        "min_project_cost_eur": _amount(entry.get("min_project_cost_eur"), record,
                                        "min_project_cost_eur", problems),
        "max_public_rate": _rate(entry.get("max_public_rate"), record, "max_public_rate",
                                 problems),
        "stacking_note": str(entry.get("stacking_note") or ""),
        "eligibility": entry.get("eligibility") or [],
        "application_url": str(entry.get("application_url") or ""),
        "sources": entry.get("sources") or [],
        "field_sources": entry.get("field_sources") or {},
        "confidence": str(entry.get("confidence") or ""),
        "note": str(entry.get("note") or ""),
        "fictitious": bool(entry.get("fictitious")),
        "last_checked": None,
    }  # fmt: skip
    low, high = values["rate_min"], values["rate_max"]
    if low is not None and high is not None and low > high:
        problems.append(Problem(record, "rate_min", _("le taux minimal dépasse le taux maximal")))
    problems += [Problem(record, "eligibility", m) for m in validate_rules(values["eligibility"])]
    _check_url(values["application_url"], record, "application_url", problems)
    for position, source in enumerate(values["sources"]):
        if not isinstance(source, dict) or not source.get("url"):
            problems.append(
                Problem(record, f"sources[{position}]", _("adresse de source manquante"))
            )
        else:
            _check_url(source["url"], record, f"sources[{position}]", problems)
    use_cases = [str(s) for s in entry.get("use_cases") or []]
    unknown = sorted(set(use_cases) - use_case_slugs)
    if unknown:
        problems.append(
            Problem(record, "use_cases", _("cas d'usage inconnus : %s") % ", ".join(unknown))
        )
    named_list = entry.get("named_list")
    if named_list and named_list not in lists:
        problems.append(Problem(record, "named_list", _("liste inconnue « %s »") % named_list))
    funders = []
    for position, funder in enumerate(entry.get("funders") or []):
        kind = (funder or {}).get("kind", "")
        if not (funder or {}).get("name") or kind not in enums.FunderKind.values:
            problems.append(
                Problem(record, f"funders[{position}]", _("nom et nature du financeur attendus"))
            )
        else:
            funders.append((funder["name"], kind))
    if not funders:
        problems.append(Problem(record, "funders", _("au moins un financeur")))
    windows = check_windows(entry.get("windows"), record, problems)
    return (
        Record({"slug": slug}, values, funders, windows, use_cases, named_list or None),
        problems,
    )


def _check_url(url, record, name, problems):
    if url:
        try:
            URLValidator(schemes=["https", "http"])(url)
        except ValidationError:
            problems.append(Problem(record, name, _("adresse web invalide « %s »") % url))


# ---------------------------------------------------------------------------- writes


def _json(value):
    """A value as stored in an ImportedUpdate (JSON)."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _same(new, old) -> bool:
    if isinstance(new, Decimal) or isinstance(old, Decimal):
        return new is not None and old is not None and Decimal(new) == Decimal(old)
    return new == old


def write(records: list[Record], origin: str, checked_on: datetime.date | None) -> Summary:
    """Create or update the programmes of checked records, in one transaction."""
    summary = Summary()
    funders = {}
    lists = {n.slug: n for n in NamedList.objects.all()}
    use_cases = dict(UseCase.objects.values_list("slug", "pk"))
    with transaction.atomic():
        for record in records:
            programme = Programme.objects.filter(**record.key).first()
            created = programme is None
            if created:
                programme = Programme(**{"origin": origin, **record.key})
            values = dict(
                record.values, last_checked=record.values.get("last_checked") or checked_on
            )
            changed = False
            for name, value in values.items():
                if created or not _same(value, getattr(programme, name)):
                    if not created and name in programme.edited_fields:
                        _propose(programme, name, value, origin)
                        summary.pending += 1
                        continue
                    setattr(programme, name, value)
                    changed = changed or name != "last_checked"
            if record.named_list is not None or not created:
                named = lists.get(record.named_list) if record.named_list else None
                if programme.named_list_id != (named.pk if named else None):
                    programme.named_list = named
                    changed = True
            if record.raw:
                programme.raw = record.raw
            if created or changed:
                programme.save()
            relations_changed = _relations(programme, record, funders, use_cases)
            if created:
                summary.created += 1
            elif changed or relations_changed:
                if not changed:
                    programme.save(update_fields=["updated_at"])
                summary.updated += 1
            else:
                summary.unchanged += 1
    return summary


def _propose(programme, name, value, origin):
    ImportedUpdate.objects.update_or_create(
        programme=programme,
        field=name,
        status=enums.UpdateStatus.PENDING,
        defaults={
            "current": _json(getattr(programme, name)),
            "proposed": _json(value),
            "origin": origin,
        },
    )


def _relations(programme, record, funders, use_cases) -> bool:
    changed = False
    wanted_funders = []
    for name, kind in record.funders:
        if name not in funders:
            funders[name], _ = Funder.objects.get_or_create(name=name, defaults={"kind": kind})
        wanted_funders.append(funders[name].pk)
    if set(wanted_funders) != set(programme.funders.values_list("pk", flat=True)):
        programme.funders.set(wanted_funders)
        changed = True
    wanted_use_cases = {use_cases[s] for s in record.use_cases if s in use_cases}
    if wanted_use_cases != set(programme.use_cases.values_list("pk", flat=True)):
        programme.use_cases.set(wanted_use_cases)
        changed = True
    current = [
        {"opens_on": w.opens_on, "closes_on": w.closes_on, "recurrence": w.recurrence,
         "note": w.note}
        for w in programme.windows.order_by("pk")
    ]  # fmt: skip
    if current != record.windows and "windows" not in programme.edited_fields:
        programme.windows.all().delete()
        Window.objects.bulk_create(Window(programme=programme, **w) for w in record.windows)
        changed = True
    return changed


# ---------------------------------------------------------------------------- shipped data


def load_named_lists(directory: Path) -> list[str]:
    """Named lists shipped as CSV files (columns insee, nom); returns their slugs."""
    slugs = []
    folder = directory / NAMED_LISTS_DIR
    for path in sorted(folder.glob("*.csv")) if folder.exists() else []:
        with path.open(newline="", encoding="utf-8") as handle:
            codes = sorted({row["insee"].strip() for row in csv.DictReader(handle)
                            if INSEE.match(row.get("insee", "").strip())})  # fmt: skip
        NamedList.objects.update_or_create(
            slug=path.stem,
            defaults={
                "name": NAMED_LIST_NAMES.get(path.stem, path.stem),
                "codes": codes,
                "source": _("Fichier %(file)s, voir territoria/data/funding/README.md")
                % {"file": path.name},
            },
        )
        slugs.append(path.stem)
    for slug, name in NAMED_LIST_NAMES.items():
        NamedList.objects.get_or_create(slug=slug, defaults={"name": name})
    return slugs


def load(directory: Path = DATA_DIR) -> Summary:
    """Load the shipped programmes; raises FileRejected (nothing written) if one is bad."""
    data = json.loads((directory / PROGRAMMES_FILE).read_text(encoding="utf-8"))
    problems, records = [], []
    with transaction.atomic():
        load_named_lists(directory)
        lists = set(NamedList.objects.values_list("slug", flat=True))
        use_case_slugs = set(UseCase.objects.values_list("slug", flat=True))
        slugs = set()
        for index, entry in enumerate(data.get("programmes", [])):
            record, found = check_shipped(entry, index, use_case_slugs, lists)
            if record.key["slug"] in slugs:
                found.append(Problem(f"programmes[{index}]", "slug", _("identifiant en double")))
            slugs.add(record.key["slug"])
            problems += found
            records.append(record)
        if problems:
            raise FileRejected(problems)
        checked_on = _date(data.get("checked_on"), PROGRAMMES_FILE, "checked_on", problems)
        return write(records, "territoria", checked_on)


# ---------------------------------------------------------------------------- Aides-territoires

AT_AUDIENCES = {
    "commune": "commune",
    "communes": "commune",
    "epci": "epci",
    "intercommunalités / pays": "epci",
    "intercommunalités": "epci",
}
AT_TYPES = {
    "grant": "grant",
    "subvention": "grant",
    "loan": "loan",
    "prêt": "loan",
    "recoverable_advance": "recoverable_advance",
    "avance récupérable": "recoverable_advance",
    "technical_engineering": "engineering",
    "financial_engineering": "engineering",
    "legal_engineering": "engineering",
    "ingénierie technique": "engineering",
    "ingénierie financière": "engineering",
    "ingénierie juridique / administrative": "engineering",
}
AT_RECURRENCE = {
    "oneoff": "oneoff",
    "ponctuelle": "oneoff",
    "ongoing": "ongoing",
    "permanente": "ongoing",
    "recurring": "recurring",
    "récurrente": "recurring",
}
AT_SITE = "https://aides-territoires.beta.gouv.fr"
NATIONAL_NAMES = {"france", "france métropolitaine", "national"}


def _perimeter(name: str):
    """The scale and codes of an Aides-territoires perimeter name, or None."""
    folded = (name or "").strip().lower()
    if folded in NATIONAL_NAMES:
        return "national", [], "metropole" if "métropolitaine" in folded else "all"
    region = Region.objects.filter(name__iexact=name.strip()).first()
    if region:
        return "regions", [region.code], "all"
    departement = Departement.objects.filter(name__iexact=name.strip()).first()
    if departement:
        return "departements", [departement.code], "all"
    return None


def check_aides_territoires(item, index: int):
    record = _("fiche %(n)s (id %(id)s)") % {"n": index + 1, "id": item.get("id", "?")}
    problems: list[Problem] = []
    if not isinstance(item, dict):
        return None, [Problem(record, "-", _("objet attendu"))]
    external_id = str(item.get("id") or "").strip()
    if not external_id:
        problems.append(Problem(record, "id", _("identifiant manquant")))
    if not item.get("name"):
        problems.append(Problem(record, "name", _("nom obligatoire")))
    audiences = {AT_AUDIENCES[a.lower()] for a in item.get("targeted_audiences") or []
                 if a.lower() in AT_AUDIENCES}  # fmt: skip
    types = {AT_TYPES.get(t.lower(), "other") for t in item.get("aid_types") or []}
    perimeter = _perimeter(str(item.get("perimeter") or ""))
    low = _rate(item.get("subvention_rate_lower_bound"), record, "subvention_rate_lower_bound",
                problems)  # fmt: skip
    high = _rate(item.get("subvention_rate_upper_bound"), record, "subvention_rate_upper_bound",
                 problems)  # fmt: skip
    if low is not None and high is not None and low > high:
        problems.append(Problem(record, "subvention_rate", _("taux minimal supérieur au maximal")))
    windows = check_windows(
        [{"opens_on": item.get("start_date"), "closes_on": item.get("submission_deadline"),
          "recurrence": AT_RECURRENCE.get(str(item.get("recurrence") or "").lower(), "oneoff")}],
        record, problems,
    )  # fmt: skip
    url = str(item.get("url") or item.get("origin_url") or "")
    if url.startswith("/"):  # the API gives the aid's page on Aides-territoires as a path
        url = AT_SITE + url
    _check_url(url, record, "url", problems)
    _check_url(str(item.get("application_url") or ""), record, "application_url", problems)
    scale, codes, zone = perimeter or ("national", [], "all")
    note = "" if perimeter else _("Périmètre « %s » à vérifier.") % item.get("perimeter")
    values = {
        "name": str(item.get("name") or "")[:300],
        "short_name": str(item.get("short_title") or "")[:80],
        "description": str(item.get("description") or ""),
        "aid_types": sorted(types) or ["other"],
        "axes": [],
        "scale": scale,
        "perimeter_codes": codes,
        "zone": zone,
        "beneficiaries": sorted(audiences),
        "expense_types": [],
        "rate_min": low,
        "rate_max": high,
        "ceiling_eur": None,
        "min_project_cost_eur": None,
        "max_public_rate": None,
        "stacking_note": "",
        "eligibility": [{"check": str(item["eligibility"])[:500]}] if item.get("eligibility")
        else [],
        "application_url": str(item.get("application_url") or ""),
        "sources": [{"url": url, "title": "Aides-territoires"}] if url else [],
        "field_sources": {},
        "confidence": "medium" if perimeter else "low",
        "note": note,
        "fictitious": False,
        "last_checked": _date(item.get("date_updated"), record, "date_updated", problems),
    }  # fmt: skip
    if not audiences:
        problems.append(
            Problem(record, "targeted_audiences", _("ni les communes ni les EPCI ne sont visés"))
        )
    funders = [(str(name)[:200], "other") for name in item.get("financers") or []]
    if not funders:
        problems.append(Problem(record, "financers", _("au moins un financeur")))
    key = {"origin": "aides-territoires", "external_id": external_id}
    return Record(key, values, funders, windows, [], None, raw=item), problems


def import_aides_territoires(path: Path) -> Summary:
    """Import a saved Aides-territoires API response (a page with `results`, or a list)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FileRejected(
            [Problem(str(path), "-", _("fichier JSON illisible : %s") % error)]
        ) from None
    items = data.get("results") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise FileRejected([Problem(str(path), "results", _("liste de fiches attendue"))])
    problems, records = [], []
    for index, item in enumerate(items):
        record, found = check_aides_territoires(item, index)
        problems += found
        if record:
            record.values["name"] = record.values["name"] or slugify(record.key["external_id"])
            records.append(record)
    if problems:
        raise FileRejected(problems)
    for record in records:
        existing = Programme.objects.filter(**record.key).values_list("slug", flat=True).first()
        record.values["slug"] = existing or _free_slug(record)
    return write(records, "aides-territoires", None)


def _free_slug(record) -> str:
    base = slugify(record.values["name"])[:100] or "aide"
    slug = f"{base}-at{record.key['external_id']}"[:120]
    return slug
