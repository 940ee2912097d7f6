"""What a use case would cost and save in one territory, as ranges (low, central, high),
from the catalogue's figures and the territory's cost bases.

Plain data in and out. Every number says where it comes from: a catalogue figure
(with its source), the territory's own cost base, or a labelled hypothesis of this
module (the tables below, each with its reasoning). Savings are never invented: a use
case without a saving figure saves nothing here until the élu enters one.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Default cost bases per inhabitant and per year, used until the collectivité enters
# its own (then labelled "hypothèse"). (amount €, volume, volume unit, reasoning)
COST_BASIS_DEFAULTS = {
    "water": (
        8.0,
        2.0,
        "m³",
        gettext_lazy(
            "Ordre de grandeur retenu faute de référence nationale : eau des bâtiments, "
            "espaces verts et équipements communaux, environ 2 m³ par habitant et par an à "
            "4 € le m³. À remplacer par le total des factures d'eau de la commune."
        ),
    ),
    "lighting": (
        15.0,
        85.0,
        "kWh",
        gettext_lazy(
            "Ordre de grandeur : environ 85 kWh par habitant et par an pour l'éclairage "
            "public, à 0,18 € le kWh. À remplacer par les factures des points de livraison "
            "de l'éclairage."
        ),
    ),
    "waste": (
        40.0,
        0.25,
        "t",
        gettext_lazy(
            "Ordre de grandeur du coût de la collecte seule quand la collectivité la "
            "finance. Mettre 0 si l'intercommunalité exerce la compétence."
        ),
    ),
    "fuel": (
        3.0,
        2.0,
        "L",
        gettext_lazy(
            "Ordre de grandeur du carburant des véhicules municipaux (environ 2 litres par "
            "habitant et par an à 1,5 €). À remplacer par les factures de carburant."
        ),
    ),
    "buildings_energy": (
        30.0,
        150.0,
        "kWh",
        gettext_lazy(
            "Ordre de grandeur de l'énergie (chauffage et électricité) des bâtiments "
            "communaux, environ 150 kWh par habitant et par an à 0,20 € le kWh. À remplacer "
            "par les factures."
        ),
    ),
}

# Which cost base a use case's percentage saving applies to, and the share of that base
# concerned (a hypothesis when below 1). (basis key, share, text that the figure's
# basis must contain, reasoning of the share)
SAVING_RULES = {
    "capteurs-fuites-eau": ("water", 1.0, "eau", ""),
    "telemesure-batiments": ("buildings_energy", 1.0, "", ""),
    "eclairage-led": ("lighting", 1.0, "éclairage", ""),
    "telegestion-eclairage": ("lighting", 1.0, "éclairage", ""),
    "gtb-batiments": (
        "buildings_energy",
        0.5,
        "bâtiment",
        gettext_lazy("Hypothèse : les grands bâtiments équipables pèsent la moitié de la facture."),
    ),
    "econome-de-flux": ("buildings_energy", 1.0, "", ""),
    "compteurs-electricite-batiments": (
        "buildings_energy",
        0.5,
        "",
        gettext_lazy("Hypothèse : l'électricité représente la moitié de l'énergie des bâtiments."),
    ),
    "programmation-chauffage-ecoles": (
        "buildings_energy",
        0.3,
        "",
        gettext_lazy("Hypothèse : le chauffage des écoles pèse 30 % de l'énergie des bâtiments."),
    ),
    "capteurs-remplissage-conteneurs": (
        "waste",
        0.5,
        "temps de collecte",
        gettext_lazy(
            "Hypothèse : la moitié du coût de collecte suit le temps des tournées "
            "(personnel et véhicules)."
        ),
    ),
    "arrosage-intelligent": (
        "water",
        0.2,
        "arrosage",
        gettext_lazy("Hypothèse : l'arrosage représente 20 % de l'eau facturée à la commune."),
    ),
}

# How many units a per-unit figure ("par compteur", "pour 1 900 points") is multiplied
# by: (unit label, inhabitants per unit, minimum units, reasoning). Each count is a
# labelled hypothesis of this module until the profile states its own.
UNIT_RULES = {
    "capteurs-fuites-eau": (
        gettext_lazy("compteurs communaux"),
        100,
        10,
        gettext_lazy(
            "Hypothèse : un compteur communal (bâtiments, espaces verts) pour 100 habitants."
        ),
    ),
    "telegestion-eclairage": (
        gettext_lazy("points lumineux"),
        6,
        50,
        gettext_lazy(
            "Hypothèse : un point lumineux pour 6 habitants ; coût par point tiré de "
            "l'exemple cité (2 M€ pour 1 900 points)."
        ),
    ),
    "eclairage-a-la-demande": (
        gettext_lazy("armoires"),
        250,
        2,
        gettext_lazy("Hypothèse : une armoire de commande pour 250 habitants."),
    ),
    "reseau-lorawan": (
        gettext_lazy("passerelles"),
        2500,
        2,
        gettext_lazy("Hypothèse : une passerelle pour 2 500 habitants, deux au moins."),
    ),
    "corbeilles-compactantes": (
        gettext_lazy("corbeilles"),
        1000,
        2,
        gettext_lazy("Hypothèse : une corbeille compactante pour 1 000 habitants."),
    ),
    "capteurs-co2-ecoles": (
        gettext_lazy("salles de classe"),
        250,
        4,
        gettext_lazy("Hypothèse : une salle de classe pour 250 habitants."),
    ),
    "videoprotection": (
        gettext_lazy("caméras"),
        1000,
        4,
        gettext_lazy(
            "Hypothèse : une caméra pour 1 000 habitants ; coût par caméra tiré de "
            "l'exemple cité (77 caméras)."
        ),
    ),
    "telereleve-compteurs-abonnes": (
        gettext_lazy("compteurs d'abonnés"),
        2.2,
        100,
        gettext_lazy(
            "Hypothèse : un compteur d'abonné pour 2,2 habitants ; "
            "coût par compteur de l'exemple cité."
        ),
    ),
    "bancs-connectes": (
        gettext_lazy("bancs"),
        3000,
        1,
        gettext_lazy("Hypothèse : un banc connecté pour 3 000 habitants."),
    ),
    "telematique-flotte": (
        gettext_lazy("véhicules"),
        250,
        4,
        gettext_lazy(
            "Hypothèse : un véhicule municipal pour 250 habitants (une quarantaine pour "
            "10 000 habitants)."
        ),
    ),
}
# Which of several investment figures a use case's plan uses: the basis must contain
# this text (the others are examples of another scale, kept in the catalogue).
CAPEX_CHOICE = {
    "capteurs-fuites-eau": "par compteur",
    "telemesure-batiments": "pour six",
    "telegestion-eclairage": "1 900 points",
    "eclairage-a-la-demande": "par armoire",
    "reseau-lorawan": "par passerelle",
    "corbeilles-compactantes": "par corbeille",
    "capteurs-co2-ecoles": "par salle",
    "stationnement-minute": "21 places",
    "guidage-stationnement": "ordre de grandeur",
    "videoprotection": "77 caméras",
    "telereleve-compteurs-abonnes": "115 000",
    "bancs-connectes": "par banc",
}
# The unit count a quoted total ("pour 1 900 points") was given for, to scale it per unit.
QUOTED_UNITS = {
    "telegestion-eclairage": 1900,
    "videoprotection": 77,
    "telereleve-compteurs-abonnes": 115000,
}
PER_UNIT = re.compile(
    r"\bpar (compteur|salle|corbeille|passerelle|armoire|banc|véhicule|caméra|point)\b"
)
# "pour une commune d'environ 10 000 habitants", "commune de 4 500 habitants", "pour une
# intercommunalité d'environ 30 000 habitants", "pour une commune de plus de 20 000 …".
OBSERVED_SIZE = re.compile(
    r"(?:commune|intercommunalité) (?:d'environ |de plus de |de )?(\d[\d\s]*) habitants"
)
PER_INHABITANT = "par habitant"
NO_DIRECT_SAVING = "aucune économie directe"
MODULE_SOURCE = gettext_lazy("Territoria, modèle de coûts de la feuille de route")


@dataclass
class Line:
    """One explained ingredient of a use case's economics."""

    what: str
    text: str
    kind: str  # a catalogue FigureKind value, "territory" or "hypothesis"
    source_title: str = ""
    source_url: str = ""
    note: str = ""


@dataclass
class Economics:
    capex: tuple[float, float, float]
    opex: tuple[float, float, float]
    saving: tuple[float, float, float]
    lines: list[Line] = field(default_factory=list)
    generic_capex: bool = False
    has_saving_figure: bool = False
    # The plan's perimeter, when its cost is per unit: how many units, of what.
    units: int | None = None
    unit_label: str = ""
    # The saving as a percentage of a cost base (low, central, high), and that base.
    saving_percent: tuple[float, float, float] | None = None
    saving_base_eur: float | None = None
    no_direct_saving: bool = False

    @property
    def payback_years(self) -> float | None:
        net = self.saving[1] - self.opex[1]
        return self.capex[1] / net if net > 0 else None

    def at(self, end: str) -> tuple[float, float, float]:
        """(capex, opex, saving) at one end: "low" is the prudent end (dear and
        saving little), "high" the favourable one."""
        if end == "low":
            return self.capex[2], self.opex[2], self.saving[0]
        if end == "high":
            return self.capex[0], self.opex[0], self.saving[2]
        return self.capex[1], self.opex[1], self.saving[1]


def _mid(low, high):
    return (low + high) / 2


def _envelope(ranges):
    """(low, central, high) over several (min, max) ranges: the widest range, and the
    median of their middles as the central value."""
    ranges = [(float(low), float(high)) for low, high in ranges]
    centrals = sorted(_mid(low, high) for low, high in ranges)
    return min(r[0] for r in ranges), centrals[len(centrals) // 2], max(r[1] for r in ranges)


def _cite(f, what, text) -> Line:
    return Line(
        what=what, text=text, kind=f["kind"], source_title=f.get("source_title", ""),
        source_url=f.get("source_url", ""), note=f.get("note", ""),
    )  # fmt: skip


def _hypothesis(what, text, note) -> Line:
    return Line(what, text, "hypothesis", source_title=str(MODULE_SOURCE), note=str(note))


def observed_size(basis: str) -> int | None:
    """The population a per-town total was stated for, read from its basis."""
    found = OBSERVED_SIZE.search(basis)
    return int("".join(found.group(1).split())) if found else None


def unit_count(slug: str, population: int) -> tuple[int, str, str] | None:
    """(units, unit label, reasoning) the plan assumes for a per-unit figure."""
    rule = UNIT_RULES.get(slug)
    if rule is None:
        return None
    label, inhabitants_per_unit, minimum, note = rule
    return max(minimum, round(population / inhabitants_per_unit)), str(label), str(note)


def scale(slug: str, figure: dict, population: int) -> tuple[float, str, str] | None:
    """How a figure becomes this territory's amount: (factor, text, reasoning). None
    when the figure is per unit and the plan knows no unit count for this use case."""
    from territoria.catalogue.templatetags.catalogue_figures import format_number

    basis = figure["basis"]
    quoted = QUOTED_UNITS.get(slug)
    quoted = quoted if quoted and str(quoted) in "".join(basis.split()) else None
    if PER_UNIT.search(basis) or quoted:
        counted = unit_count(slug, population)
        if counted is None:
            return None
        units, label, note = counted
        per = quoted or 1
        text = _("%(n)s %(unit)s") % {"n": format_number(units), "unit": label}
        if per > 1:
            text += " " + _("(total cité pour %(q)s, ramené à l'unité)") % {"q": format_number(per)}
        return units / per, text, note
    if PER_INHABITANT in basis:
        return (
            float(population),
            _("%(p)s habitants × le montant par habitant") % {"p": format_number(population)},
            _("Montant par habitant multiplié par la population du profil."),
        )
    size = observed_size(basis)
    if size:
        factor = population / size
        return (
            factor,
            _(
                "total cité pour %(size)s habitants, ramené à %(p)s habitants "
                "(× %(f)s, proportionnel à la population)"
            )
            % {
                "size": format_number(size),
                "p": format_number(population),
                "f": format_number(round(factor, 2)),
            },
            _(
                "Hypothèse : le montant varie comme la population (règle de trois depuis "
                "la taille de commune de la source)."
            ),
        )
    return (
        1.0,
        _("montant cité pour un projet, repris tel quel"),
        _("La source donne un total pour un projet sans taille de commune : il n'est pas mis "
          "à l'échelle."),
    )  # fmt: skip


def _scaled(slug, figures, population, what, lines) -> tuple[float, float, float] | None:
    """The scaled envelope of figures, with one cited line each; None if none scales."""
    ranges = []
    for f in figures:
        found = scale(slug, f, population)
        if found is None:
            continue
        factor, text, note = found
        ranges.append((float(f["value_min"]) * factor, float(f["value_max"]) * factor))
        line = _cite(f, what, f"{f['label']} ({f['basis']}) : {text}")
        line.note = " ".join(filter(None, [line.note, str(note)]))
        lines.append(line)
    if not ranges:
        return None
    return _envelope(ranges)


def economics(use_case: dict, profile: dict) -> Economics:
    """Capex, opex and saving ranges of one use case for one territory.

    `use_case`: slug, figures (dicts with metric, value_min, value_max, unit, basis,
    kind, source_title, source_url, note, label). `profile`: population,
    cost_bases {key: {"amount_eur", ...}}, generic_capex_eur_per_inhabitant,
    generic_opex_percent, overrides {"capex"|"opex"|"saving": (value, note)}.
    """
    from territoria.catalogue.templatetags.catalogue_figures import format_number

    slug, figures = use_case["slug"], use_case.get("figures", [])
    population = max(int(profile["population"]), 1)
    lines: list[Line] = []
    overrides = profile.get("overrides") or {}
    counted = unit_count(slug, population)

    # Investment.
    generic = False
    euro = [f for f in figures if f["metric"] == "capex" and f["unit"] == "eur"]
    chosen = CAPEX_CHOICE.get(slug)
    if chosen:
        euro = [f for f in euro if chosen in f["basis"]] or euro
    found = _scaled(slug, euro, population, _("Investissement"), lines)
    if found is not None:
        capex = found
    else:
        generic = True
        per_head = float(profile["generic_capex_eur_per_inhabitant"])
        central = per_head * population
        capex = (central * 0.5, central, central * 1.5)
        lines.append(
            _hypothesis(
                _("Investissement"),
                _("%(v)s € par habitant, à ±50 %% (aucun chiffre au catalogue)")
                % {"v": format_number(per_head)},
                _("Hypothèse générique du profil : à remplacer par un devis dans le scénario."),
            )
        )

    # Running cost: a yearly amount read as such; a percentage of the investment only
    # when the source states it so, else the profile's percentage as a hypothesis.
    yearly = [f for f in figures if f["metric"] == "opex" and f["unit"] == "eur_per_year"]
    found = _scaled(slug, yearly, population, _("Fonctionnement"), lines)
    opex = found
    if opex is None:
        for f in figures:
            if f["metric"] == "opex" and f["unit"] == "percent":
                low, high = float(f["value_min"]) / 100, float(f["value_max"]) / 100
                opex = (capex[0] * low, capex[1] * _mid(low, high), capex[2] * high)
                lines.append(_cite(f, _("Fonctionnement"), f"{f['label']} ({f['basis']})"))
                break
    if opex is None:
        rate = float(profile["generic_opex_percent"]) / 100
        opex = tuple(v * rate for v in capex)
        lines.append(
            _hypothesis(
                _("Fonctionnement"),
                _("%(v)s %% de l'investissement par an") % {"v": format_number(rate * 100)},
                _(
                    "Hypothèse du profil (maintenance, abonnements, licences) : aucun coût "
                    "annuel au catalogue."
                ),
            )  # fmt: skip
        )

    # Saving: a percentage of the right cost base of the territory, else a yearly amount
    # scaled like the costs; a stated « aucune économie directe » saves nothing.
    saving = (0.0, 0.0, 0.0)
    has_saving = no_direct = False
    saving_percent = saving_base = None
    srule = SAVING_RULES.get(slug)
    basis = (profile.get("cost_bases") or {}).get(srule[0]) if srule else None
    percents = [
        f for f in figures
        if srule and f["metric"] == "saving" and f["unit"] == "percent" and srule[2] in f["basis"]
    ]  # fmt: skip
    amounts = [
        f for f in figures
        if f["metric"] == "saving" and f["unit"] == "eur_per_year"
        and NO_DIRECT_SAVING not in f["basis"]
    ]  # fmt: skip
    if percents and basis:
        _key, share, _contains, share_note = srule
        saving_percent = tuple(
            v * share for v in _envelope((f["value_min"], f["value_max"]) for f in percents)
        )
        saving_base = float(basis["amount_eur"])
        saving = tuple(v / 100 * saving_base for v in saving_percent)
        has_saving = True
        for f in percents:
            lines.append(_cite(f, _("Économie"), f"{f['label']} ({f['basis']})"))
        lines.append(
            Line(
                _("Base de coût"),
                _("%(label)s : %(amount)s € par an")
                % {"label": basis["label"], "amount": format_number(round(saving_base))},
                "hypothesis" if basis["is_hypothesis"] else "territory",
                source_title=basis.get("source", "") or str(MODULE_SOURCE),
                note=basis.get("note", ""),
            )  # fmt: skip
        )
        if share < 1:
            lines.append(
                _hypothesis(_("Part concernée"), f"{format_number(share * 100)} %", share_note)
            )
    elif amounts:
        found = _scaled(slug, amounts, population, _("Économie"), lines)
        if found is not None:
            saving, has_saving = found, True
    if not has_saving:
        stated = [f for f in figures if f["metric"] == "saving" and NO_DIRECT_SAVING in f["basis"]]
        if stated:
            no_direct = True
            lines.append(
                _cite(stated[0], _("Économie"), f"{stated[0]['label']} ({stated[0]['basis']})")
            )
        else:
            lines.append(
                _hypothesis(
                    _("Économie"),
                    _("aucune économie chiffrée pour ce territoire"),
                    _(
                        "Aucun chiffre d'économie applicable : "
                        "le plan ne compte que sa valeur de priorité."
                    ),
                )  # fmt: skip
            )

    for what, value in overrides.items():
        amount, note = value
        amount = float(amount)
        if what == "capex":
            capex, generic = (amount, amount, amount), False
        elif what == "opex":
            opex = (amount, amount, amount)
        elif what == "saving":
            saving, has_saving, saving_percent = (amount, amount, amount), True, None
        lines.append(
            Line(
                {
                    "capex": _("Investissement"),
                    "opex": _("Fonctionnement"),
                    "saving": _("Économie"),
                }[what],
                _("%(v)s € saisi dans le scénario") % {"v": format_number(round(amount))},
                "territory",
                note=note,
            )  # fmt: skip
        )
    return Economics(
        capex=tuple(capex), opex=tuple(opex), saving=tuple(saving), lines=lines,
        generic_capex=generic, has_saving_figure=has_saving,
        units=counted[0] if counted else None, unit_label=counted[1] if counted else "",
        saving_percent=saving_percent, saving_base_eur=saving_base, no_direct_saving=no_direct,
    )  # fmt: skip
