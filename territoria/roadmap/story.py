"""The plan told in a few sentences a mayor can read aloud: what starts first and why,
what it saves, what those savings pay for and when, what was left out and the profile
change that would bring it in, and the cash left unused. Each figure links to where it
comes from (the use case's sourced figures, the cash-flow table, the profile field).
The plan page and the council PDF show the same sentences."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from territoria.roadmap.templatetags.roadmap_tags import eur, eur_range, pct

# Cash left at the end below this share of a year's budget is not worth a sentence.
UNUSED_CASH_SHARE = 0.5


def _use_case(slug: str, title: str) -> SafeString:
    return format_html('<a href="{}">{}</a>', reverse("catalogue:use_case", args=[slug]), title)


def _figure(text: str, url: str) -> SafeString:
    return format_html('<a href="{}">{}</a>', url, text)


def _titles(items) -> SafeString:
    links = [_use_case(item["slug"], item["title"]) for item in items]
    if len(links) == 1:
        return links[0]
    return format_html("{} " + _("et") + " {}", SafeString(", ".join(links[:-1])), links[-1])


def tell(context: dict, collectivite) -> list[SafeString]:
    """Three to five sentences from the plan page's context (views.plan.plan_context)."""
    if "plan_error" in context or not context.get("planned"):
        return []
    planned, rows, plan = context["planned"], context["rows"], context["plan"]
    cash_url = "#cash-title"
    said = []
    running = [p for p in planned if (p.get("measured") or {}).get("realised")]
    for item in running:
        said.append(
            format_html(
                _("{what} est en service depuis {year} : ses économies sont mesurées, {saving}."),
                what=_use_case(item["slug"], item["title"]),
                year=item["measured"]["since_year"],
                saving=_figure(
                    _("%(amount)s par an") % {"amount": eur(item["measured"]["eur_per_year"])},
                    "#projects-title",
                ),
            )
        )
    planned = [p for p in planned if p not in running]
    if not planned:
        return said
    first_year = planned[0]["year"]
    first = [p for p in planned if p["year"] == first_year]
    saving = [sum(p["eco"]["saving"][i] for p in first) for i in range(3)]
    capex = [sum(p["eco"]["capex"][i] for p in first) for i in range(3)]
    # One project: its sourced figures; several: the plan's table of projects.
    figures_url = (
        reverse("catalogue:use_case", args=[first[0]["slug"]])
        if len(first) == 1
        else "#projects-title"
    )
    said.append(
        format_html(
            _(
                "En {year}, le plan commence par {what} : {capex} d'investissement, "
                "pour {saving} d'économies par an."
            ),
            year=first_year,
            what=_titles(first),
            capex=_figure(eur_range(capex), figures_url),
            saving=_figure(eur_range(saving), figures_url)
            if any(saving)
            else _("aucune économie chiffrée"),
        )
    )
    later = [p for p in planned if p["year"] > first_year]
    if later:
        steps = ", ".join(
            format_html("{} {} {}", _use_case(p["slug"], p["title"]), _("en"), p["year"])
            for p in later[:4]
        )
        said.append(
            format_html(
                _("Ces économies, ajoutées au budget annuel, paient ensuite {steps}{more}."),
                steps=SafeString(steps),
                more=ngettext(" et %(n)s autre projet", " et %(n)s autres projets", len(later) - 4)
                % {"n": len(later) - 4}
                if len(later) > 4
                else "",
            )
        )
    if plan.get("payback_year"):
        said.append(
            format_html(
                _(
                    "Les économies cumulées rattrapent les dépenses en {year} ; aides et "
                    "économies paient {share} de ce que le plan dépense, le budget de la "
                    "commune avance le reste."
                ),
                year=_figure(str(plan["payback_year"]), cash_url),
                share=_figure(pct(plan["self_financed_share"] * 100), cash_url),
            )
        )
    left_out = _left_out(context, collectivite)
    if left_out:
        said.append(left_out)
    unused = _unused_cash(rows, context)
    if unused:
        said.append(unused)
    return said


def _left_out(context: dict, collectivite) -> SafeString | None:
    """The best saving the plan leaves out for a reason the profile could change."""
    economics = context["scenario"].result["economics"]
    candidates = [
        (slug, eco)
        for slug, eco in economics.items()
        if slug not in context["plan"]["starts"]
        and slug not in context["plan"].get("done", [])
        and (eco.get("missing") or eco.get("in_place"))
        and eco["saving"][1] > 0
    ]
    if not candidates:
        return None
    slug, eco = max(candidates, key=lambda item: item[1]["saving"][1])
    profile_url = reverse("roadmap:profile", kwargs={"slug": collectivite.slug}) + "#id_equipment"
    if eco.get("in_place"):
        why = _("le profil le déclare déjà en place")
        change = _("si ce n'est pas le cas, décochez-le dans le profil")
    else:
        why = _("il lui faut « %(tags)s », que le profil ne déclare pas") % {
            "tags": ", ".join(eco["missing"])
        }
        change = _("si cet équipement existe, cochez-le dans le profil")
    return format_html(
        _("{what} ({saving} d'économies par an) n'est pas dans le plan : {why} ; {change}."),
        what=_use_case(slug, eco["title"]),
        saving=_figure(eur_range(eco["saving"]), reverse("catalogue:use_case", args=[slug])),
        why=why,
        change=_figure(change, profile_url),
    )


def _unused_cash(rows: list[dict], context: dict) -> SafeString | None:
    """Cash left at the end of the horizon, and the years that start nothing."""
    if not rows:
        return None
    last = rows[-1]
    if last["cash_end"] < UNUSED_CASH_SHARE * max(last["budget"], 1):
        return None
    idle = [r["year"] for r in rows if not r["starts"]]
    years = (
        _(", sans nouveau projet en %(years)s") % {"years": ", ".join(map(str, idle))}
        if idle
        else ""
    )
    return format_html(
        _(
            "Il reste {cash} de trésorerie en {year}{years} : les cas d'usage non "
            "retenus coûtent plus qu'ils ne rapportent d'ici là, ou attendent un "
            "prérequis (liste « Non retenus »)."
        ),
        cash=_figure(eur(last["cash_end"]), "#cash-title"),
        year=last["year"],
        years=years,
    )
