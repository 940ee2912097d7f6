"""Catalogue objects for tests: sourced figures, published solutions, feedback."""

import datetime
import itertools
from decimal import Decimal

from territoria.catalogue.enums import (
    Axis,
    FigureKind,
    Hosting,
    LicenceKind,
    Maturity,
    Metric,
    Moderation,
    Unit,
)
from territoria.catalogue.models import Feedback, Figure, Provider, Solution, Tag, UseCase
from territoria.catalogue.search import reindex

_seq = itertools.count(1)
SOURCE = {
    "kind": FigureKind.ESTIMATED,
    "source_title": "Localtis, 19 décembre 2018",
    "source_url": "https://www.banquedesterritoires.fr/localtis",
    "source_date": datetime.date(2018, 12, 19),
}


def make_tag(slug, kind=Tag.Kind.STANDARD, name=None) -> Tag:
    tag, _ = Tag.objects.get_or_create(slug=slug, defaults={"kind": kind, "name": name or slug})
    return tag


def make_use_case(title="Détection des fuites d'eau", axis=Axis.NETWORKS, **extra) -> UseCase:
    slug = extra.pop("slug", None) or f"cas-{next(_seq)}"
    defaults = {
        "summary": f"{title} : résumé",
        "problem": "Des fuites coûteuses et invisibles sur le réseau.",
        "how_it_works": "Des capteurs relèvent les débits et signalent les anomalies.",
        "maturity": Maturity.PROVEN,
    }
    return UseCase.objects.create(slug=slug, title=title, axis=axis, **(defaults | extra))


def make_provider(name="Exemple SARL", siren=None, **extra) -> Provider:
    return Provider.objects.create(name=name, siren=siren, is_fictitious=True, **extra)


def make_figure(owner, metric=Metric.SAVING, low="10", high="35", unit=Unit.PERCENT, **extra):
    target = {"use_case": owner} if isinstance(owner, UseCase) else {"solution": owner}
    fields = {
        "metric": metric,
        "label": extra.pop("label", f"{metric} {low}–{high}"),
        "value_min": Decimal(low),
        "value_max": Decimal(high),
        "unit": unit,
        **SOURCE,
        **extra,
    }
    return Figure.objects.create(**target, **fields)


def make_solution(name=None, *, use_cases=(), provider=None, status=Moderation.APPROVED, **extra):
    name = name or f"Solution {next(_seq)}"
    defaults = {
        "summary": f"{name} : résumé",
        "maturity": Maturity.PROVEN,
        "licence_kind": LicenceKind.PROPRIETARY,
        "hosting": Hosting.FRANCE,
        "is_fictitious": True,
    }
    solution = Solution.objects.create(
        slug=extra.pop("slug", None) or f"solution-{next(_seq)}",
        name=name,
        provider=provider,
        status=status,
        **(defaults | extra),
    )
    solution.use_cases.set(use_cases)
    reindex([solution.pk])
    return solution


def make_feedback(use_case, commune, *, solution=None, status=Moderation.APPROVED, **extra):
    defaults = {
        "population": commune.population,
        "title": f"Retour de {commune.name}",
        "source_title": "Localtis, 19 décembre 2018",
    }
    return Feedback.objects.create(
        use_case=use_case, solution=solution, commune=commune, status=status, **(defaults | extra)
    )
