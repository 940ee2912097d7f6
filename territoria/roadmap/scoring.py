"""The explained ranking of use cases for one territory. Plain data in and out, no
query: the caller loads the catalogue once and re-ranks as often as sliders move.

    score = 100 × (0.6 × priority + 0.4 × finance) × prerequisite factor
    priority = weight of the axis / 5 × impact
    impact = maturity × fit to the population × fit to the kind of place
    finance = 1 − payback / horizon (0 without a saving figure or beyond the horizon)
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

MATURITY_FACTOR = {"experimental": 0.4, "emerging": 0.6, "proven": 0.85, "mainstream": 1.0}
OUT_OF_SIZE = 0.5
OUT_OF_PLACE = 0.4
MISSING_PROVIDABLE = 0.8  # a prerequisite another use case brings
MISSING_OUTSIDE = 0.5  # a prerequisite to gather outside the catalogue
PRIORITY_SHARE, FINANCE_SHARE = 0.6, 0.4

# Use cases meant for some kinds of place only.
PLACE_FIT = {
    "comptage-frequentation-plages": {"coastal", "tourist"},
    "plateforme-touristique": {"tourist", "coastal", "mountain"},
    "comptage-visiteurs-touristiques": {"tourist", "coastal", "mountain"},
    "patrimoine-numerique": {"tourist", "town_centre"},
    "suivi-viabilite-hivernale": {"mountain", "rural"},
    "transport-a-la-demande": {"rural", "periurban"},
    "observatoire-vacance-commerciale": {"town_centre", "urban"},
    "comptage-flux-pietons": {"town_centre", "urban", "tourist"},
    "alerte-crues": {"coastal", "mountain", "rural"},
    "zones-activite-tres-haut-debit": {"periurban", "industrial", "urban"},
}
# The use case that brings a prerequisite tag when the territory lacks it.
TAG_PROVIDERS = {
    "lorawan-network": "reseau-lorawan",
    "open-data-portal": "portail-open-data",
    "sensor-platform": "plateforme-donnees",
    "smart-meters": "telereleve-compteurs-abonnes",
    "website": "site-accessible",
}
DEFAULT_EQUIPMENT_NOTE = gettext_lazy(
    "Hypothèse : Territoria fournit la plateforme de capteurs et le portail de données "
    "ouvertes ; un site internet et une couverture mobile sont supposés présents."
)


@dataclass
class Ranked:
    slug: str
    title: str
    axis: str
    axis_label: str
    score: float
    priority: float
    impact: float
    weight: int
    finance: float
    payback_years: float | None
    reasons: list[str] = field(default_factory=list)
    missing_providable: list[tuple[str, str]] = field(default_factory=list)  # (tag, provider)
    missing_outside: list[str] = field(default_factory=list)
    similar_feedback: int = 0
    economics: object = None
    value_per_year: float = 0.0
    in_place: bool = False

    @property
    def plannable(self) -> bool:
        return not self.missing_outside


def missing_prerequisites(prerequisites, equipment, slug, tag_names):
    """(tags another use case brings, tags to gather elsewhere) for this territory."""
    providable, outside = [], []
    for tag in prerequisites:
        if tag in equipment or TAG_PROVIDERS.get(tag) == slug:
            continue
        if tag in TAG_PROVIDERS:
            providable.append((tag_names.get(tag, tag), TAG_PROVIDERS[tag]))
        else:
            outside.append(tag_names.get(tag, tag))
    return providable, outside


def rank(use_cases: list[dict], profile: dict, economics: dict) -> list[Ranked]:
    """Every use case scored for this territory, best first.

    `use_cases`: slug, title, axis, axis_label, maturity, maturity_label, prerequisites
    (tag slugs), population_min, population_max, similar_feedback. `profile`: population,
    weights {axis: 0..5}, equipment (tag slugs), place_kinds, horizon_years,
    priority_value_eur_per_inhabitant, tag_names {slug: name}, titles {slug: title}.
    `economics`: {slug: costmodel.Economics}.
    """
    from territoria.catalogue.templatetags.catalogue_figures import format_number

    population = profile["population"]
    equipment = set(profile["equipment"])
    kinds = set(profile["place_kinds"])
    horizon = profile["horizon_years"]
    value_scale = float(profile["priority_value_eur_per_inhabitant"]) * population
    titles = profile.get("titles", {})
    ranked = []
    for uc in use_cases:
        reasons = []
        weight = int(profile["weights"].get(uc["axis"], 3))
        maturity = MATURITY_FACTOR.get(uc["maturity"], 0.6)
        impact = maturity
        reasons.append(
            _("Maturité : %(label)s (facteur %(f)s).")
            % {"label": uc["maturity_label"], "f": format_number(maturity)}
        )
        low, high = uc["population_min"], uc["population_max"]
        if population < low or (high is not None and population > high):
            impact *= OUT_OF_SIZE
            reasons.append(
                _("Conseillé entre %(low)s et %(high)s habitants : taille moins adaptée.")
                % {"low": format_number(low), "high": format_number(high) if high else "∞"}
            )
        places = PLACE_FIT.get(uc["slug"])
        if places and not places & kinds:
            impact *= OUT_OF_PLACE
            reasons.append(_("Pensé pour un autre type de territoire."))
        elif places:
            reasons.append(_("Adapté au type de territoire."))
        priority = weight / 5 * impact
        reasons.insert(
            0,
            _("Priorité « %(axis)s » : %(w)s/5 × effet attendu %(i)s.")
            % {"axis": uc["axis_label"], "w": weight, "i": format_number(round(impact, 2))},
        )
        eco = economics[uc["slug"]]
        payback = eco.payback_years if eco.has_saving_figure else None
        finance = max(0.0, 1 - payback / horizon) if payback is not None else 0.0
        if payback is not None:
            reasons.append(
                _("Retour sur investissement estimé : %(y)s ans sur ce territoire.")
                % {"y": format_number(round(payback, 1))}
            )
        else:
            reasons.append(_("Pas d'économie chiffrée : seule la priorité compte."))
        providable, outside = missing_prerequisites(
            uc["prerequisites"], equipment, uc["slug"], profile.get("tag_names", {})
        )
        factor = 1.0
        if outside:
            factor = MISSING_OUTSIDE
            reasons.append(
                _("Prérequis à réunir d'abord : %(tags)s.") % {"tags": ", ".join(outside)}
            )
        elif providable:
            factor = MISSING_PROVIDABLE
            reasons.append(
                _("Prérequis à lancer avant : %(tags)s.")
                % {"tags": ", ".join(f"{tag} ({titles.get(p, p)})" for tag, p in providable)}
            )
        else:
            reasons.append(_("Prérequis réunis."))
        similar = uc.get("similar_feedback", 0)
        if similar:
            reasons.append(
                ngettext(
                    "%(n)s retour d'expérience d'une commune de taille comparable.",
                    "%(n)s retours d'expérience de communes de taille comparable.",
                    similar,
                )
                % {"n": similar}
            )
        in_place = any(TAG_PROVIDERS.get(tag) == uc["slug"] for tag in equipment)
        if in_place:
            factor = 0.0
            reasons.insert(0, _("Déjà en place selon le profil du territoire."))
        score = 100 * (PRIORITY_SHARE * priority + FINANCE_SHARE * finance) * factor
        ranked.append(
            Ranked(
                slug=uc["slug"],
                title=uc["title"],
                axis=uc["axis"],
                axis_label=uc["axis_label"],
                score=round(score, 1),
                priority=priority,
                impact=impact,
                weight=weight,
                finance=finance,
                payback_years=payback,
                reasons=reasons,
                missing_providable=providable,
                missing_outside=outside,
                similar_feedback=similar,
                economics=eco,
                value_per_year=priority * value_scale,
                in_place=in_place,
            )  # fmt: skip
        )
    ranked.sort(key=lambda r: (-r.score, r.title))
    return ranked
