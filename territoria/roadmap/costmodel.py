"""What a use case would cost and save in one territory, as ranges (low, central, high),
from the catalogue's figures and the territory's cost bases.

Plain data in and out. Every number says where it comes from: a catalogue figure
(with its source), the territory's own cost base, or a labelled hypothesis of this
module (the tables below, each with its reasoning). Savings are never invented: a use
case without a saving figure saves nothing here until the élu enters one.
"""

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

# How many units a per-unit investment figure is multiplied by: (unit label,
# inhabitants per unit, minimum units, text the figure's basis must contain,
# reasoning). Totals ("pour 21 places") are taken as they are.
QUANTITY_RULES = {
    "capteurs-fuites-eau": (
        gettext_lazy("compteurs communaux"),
        100,
        10,
        "par compteur",
        gettext_lazy(
            "Hypothèse : un compteur communal (bâtiments, espaces verts) pour 100 habitants."
        ),
    ),
    "telemesure-batiments": (None, None, None, "pour six", ""),
    "telegestion-eclairage": (
        gettext_lazy("points lumineux"),
        6,
        50,
        "1 900 points",
        gettext_lazy(
            "Hypothèse : un point lumineux pour 6 habitants ; coût par point tiré de "
            "l'exemple cité (2 M€ pour 1 900 points)."
        ),
    ),
    "eclairage-a-la-demande": (
        gettext_lazy("armoires"),
        250,
        2,
        "par armoire",
        gettext_lazy("Hypothèse : une armoire de commande pour 250 habitants."),
    ),
    "reseau-lorawan": (
        gettext_lazy("passerelles"),
        2500,
        2,
        "par passerelle",
        gettext_lazy("Hypothèse : une passerelle pour 2 500 habitants, deux au moins."),
    ),
    "corbeilles-compactantes": (
        gettext_lazy("corbeilles"),
        1000,
        2,
        "par corbeille",
        gettext_lazy("Hypothèse : une corbeille compactante pour 1 000 habitants."),
    ),
    "capteurs-co2-ecoles": (
        gettext_lazy("salles de classe"),
        250,
        4,
        "par salle",
        gettext_lazy("Hypothèse : une salle de classe pour 250 habitants."),
    ),
    "stationnement-minute": (None, None, None, "21 places", ""),
    "guidage-stationnement": (None, None, None, "ordre de grandeur", ""),
    "videoprotection": (
        gettext_lazy("caméras"),
        1000,
        4,
        "77 caméras",
        gettext_lazy(
            "Hypothèse : une caméra pour 1 000 habitants ; coût par caméra tiré de "
            "l'exemple cité (77 caméras)."
        ),
    ),
    "telereleve-compteurs-abonnes": (
        gettext_lazy("compteurs d'abonnés"),
        2.2,
        100,
        "115 000",
        gettext_lazy(
            "Hypothèse : un compteur d'abonné pour 2,2 habitants ; "
            "coût par compteur de l'exemple cité."
        ),
    ),
    "bancs-connectes": (
        gettext_lazy("bancs"),
        3000,
        1,
        "par banc",
        gettext_lazy("Hypothèse : un banc connecté pour 3 000 habitants."),
    ),
}
# The unit count a "pour N …" total was quoted for, to scale it per unit.
QUOTED_UNITS = {
    "telegestion-eclairage": 1900,
    "videoprotection": 77,
    "telereleve-compteurs-abonnes": 115000,
}


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


def _envelope(figures):
    lows = [float(f["value_min"]) for f in figures]
    highs = [float(f["value_max"]) for f in figures]
    centrals = sorted(_mid(float(f["value_min"]), float(f["value_max"])) for f in figures)
    return min(lows), centrals[len(centrals) // 2], max(highs)


def _cite(f, what, text) -> Line:
    return Line(
        what=what, text=text, kind=f["kind"], source_title=f.get("source_title", ""),
        source_url=f.get("source_url", ""), note=f.get("note", ""),
    )  # fmt: skip


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

    # Investment.
    capex = None
    generic = False
    rule = QUANTITY_RULES.get(slug)
    euro = [f for f in figures if f["metric"] == "capex" and f["unit"] == "eur"]
    if rule:
        euro = [f for f in euro if rule[3] in f["basis"]] or euro
    if euro:
        low, central, high = _envelope(euro)
        if rule and rule[1]:
            units = max(rule[2], round(population / rule[1]))
            per = QUOTED_UNITS.get(slug, 1)
            low, central, high = (v / per * units for v in (low, central, high))
            lines.append(
                Line(
                    _("Quantité"),
                    _("%(n)s %(unit)s") % {"n": format_number(units), "unit": rule[0]},
                    "hypothesis",
                    note=str(rule[4]),
                )  # fmt: skip
            )
        capex = (low, central, high)
        for f in euro:
            lines.append(_cite(f, _("Investissement"), f"{f['label']} ({f['basis']})"))
    if capex is None:
        generic = True
        per_head = float(profile["generic_capex_eur_per_inhabitant"])
        central = per_head * population
        capex = (central * 0.5, central, central * 1.5)
        lines.append(
            Line(
                _("Investissement"),
                _("%(v)s € par habitant, à ±50 %% (aucun chiffre au catalogue)")
                % {"v": format_number(per_head)},
                "hypothesis",
                note=_(
                    "Hypothèse générique du profil : à remplacer par un devis dans le scénario."
                ),
            )
        )

    # Running cost.
    opex_figures = [f for f in figures if f["metric"] == "opex"]
    opex = None
    for f in opex_figures:
        if f["unit"] == "percent":
            low, high = float(f["value_min"]) / 100, float(f["value_max"]) / 100
            opex = (capex[0] * low, capex[1] * _mid(low, high), capex[2] * high)
            lines.append(_cite(f, _("Fonctionnement"), f"{f['label']} ({f['basis']})"))
            break
    if opex is None:
        rate = float(profile["generic_opex_percent"]) / 100
        opex = tuple(v * rate for v in capex)
        lines.append(
            Line(
                _("Fonctionnement"),
                _("%(v)s %% de l'investissement par an") % {"v": format_number(rate * 100)},
                "hypothesis",
                note=_("Hypothèse du profil (maintenance, abonnements, licences)."),
            )
        )

    # Saving.
    saving = (0.0, 0.0, 0.0)
    has_saving = False
    srule = SAVING_RULES.get(slug)
    if srule:
        key, share, contains, share_note = srule
        percents = [
            f for f in figures
            if f["metric"] == "saving" and f["unit"] == "percent" and contains in f["basis"]
        ]  # fmt: skip
        basis = (profile.get("cost_bases") or {}).get(key)
        if percents and basis:
            low, central, high = (
                v / 100 * share * basis["amount_eur"] for v in _envelope(percents)
            )
            saving = (low, central, high)
            has_saving = True
            for f in percents:
                lines.append(_cite(f, _("Économie"), f"{f['label']} ({f['basis']})"))
            lines.append(
                Line(
                    _("Base de coût"),
                    _("%(label)s : %(amount)s € par an")
                    % {
                        "label": basis["label"],
                        "amount": format_number(round(basis["amount_eur"])),
                    },
                    "hypothesis" if basis["is_hypothesis"] else "territory",
                    source_title=basis.get("source", ""),
                    note=basis.get("note", ""),
                )  # fmt: skip
            )
            if share < 1:
                lines.append(
                    Line(
                        _("Part concernée"),
                        f"{format_number(share * 100)} %",
                        "hypothesis",
                        note=str(share_note),
                    )  # fmt: skip
                )
    if not has_saving:
        lines.append(
            Line(
                _("Économie"),
                _("aucune économie chiffrée pour ce territoire"),
                "hypothesis",
                note=_(
                    "Aucun chiffre d'économie applicable : "
                    "le plan ne compte que sa valeur de priorité."
                ),
            )
        )

    for what, value in overrides.items():
        amount, note = value
        amount = float(amount)
        if what == "capex":
            capex, generic = (amount, amount, amount), False
        elif what == "opex":
            opex = (amount, amount, amount)
        elif what == "saving":
            saving, has_saving = (amount, amount, amount), True
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
    return Economics(capex, opex, saving, lines, generic, has_saving)
