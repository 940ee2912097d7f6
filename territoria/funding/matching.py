"""Which programmes a territory and its projects may use, and how much aid to expect.

Published programmes are compiled once per process into plain data (refreshed when a
programme or window changes), so matching a collectivité against thousands of
programmes costs no query per programme.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

import numpy as np

from territoria.funding.eligibility import (
    Conditions,
    Project,
    Result,
    Territories,
    evaluate,
    evaluate_all,
)
from territoria.funding.enums import AidType, Verdict

# CGCT L1111-10 III: the owner of an investment finances at least 20% of the public
# funding of its project, so public aid covers at most 80% of its cost.
MIN_SELF_FINANCING = Decimal("0.20")
CLOSING_SOON_DAYS = 30


@dataclass(frozen=True)
class Compiled:
    id: int
    slug: str
    name: str
    conditions: Conditions
    aid_types: tuple[str, ...]
    funder_kinds: tuple[str, ...]
    axes: tuple[str, ...]
    use_case_ids: frozenset[int]
    rate_min: Decimal | None
    rate_max: Decimal | None
    ceiling: int | None
    windows: tuple[tuple[date | None, date | None, int], ...]  # opens, closes, window id
    fictitious: bool = False

    def is_open(self, day: date | None = None) -> bool:
        day = day or timezone.localdate()
        return any(
            (opens is None or opens <= day) and (closes is None or day <= closes)
            for opens, closes, _ in self.windows
        )

    def next_deadline(self, day: date | None = None) -> date | None:
        day = day or timezone.localdate()
        return min((c for _, c, _ in self.windows if c is not None and c >= day), default=None)

    def closes_within(self, day: date, days: int) -> bool:
        end = day + timedelta(days)
        return any(closes is not None and day <= closes <= end for _, closes, _ in self.windows)

    def fits_use_case(self, use_case_id: int, axis: str) -> bool:
        """A programme funds a use case it names, or any use case of its axes when it
        names none."""
        if self.use_case_ids:
            return use_case_id in self.use_case_ids
        return not self.axes or axis in self.axes

    def aid_range(self, cost: Decimal) -> tuple[Decimal, Decimal] | None:
        """The grant this programme may give for a project of that cost, or None when it
        states no rate (loans, engineering)."""
        if self.rate_max is None or AidType.GRANT not in self.aid_types:
            return None
        low = cost * (self.rate_min if self.rate_min is not None else Decimal(0)) / 100
        high = cost * self.rate_max / 100
        if self.ceiling is not None:
            low, high = min(low, self.ceiling), min(high, self.ceiling)
        return low, high


_cache: dict = {"key": None, "programmes": []}


def _key():
    from territoria.funding.models import Programme, Window

    stats = Programme.objects.published().aggregate(n=Count("id"), last=Max("updated_at"))
    return stats["n"], stats["last"], Window.objects.count()


def compiled() -> list[Compiled]:
    """Every published programme as plain data, recompiled when one changes."""
    from territoria.funding.models import Programme

    key = _key()
    if _cache["key"] != key:
        programmes = (
            Programme.objects.published()
            .select_related("named_list")
            .prefetch_related("windows", "funders", "use_cases")
            .order_by("name")
        )
        _cache["programmes"] = [
            Compiled(
                id=p.pk,
                slug=p.slug,
                name=p.name,
                conditions=p.conditions(),
                aid_types=tuple(p.aid_types),
                funder_kinds=tuple(sorted({f.kind for f in p.funders.all()})),
                axes=tuple(p.axes),
                use_case_ids=frozenset(u.pk for u in p.use_cases.all()),
                rate_min=p.rate_min,
                rate_max=p.rate_max,
                ceiling=p.ceiling_eur,
                windows=tuple((w.opens_on, w.closes_on, w.pk) for w in p.windows.all()),
                fictitious=p.fictitious,
            )
            for p in programmes
        ]
        for programme in _cache["programmes"]:
            programme.conditions.compiled  # noqa: B018 - texts computed once, here
        _cache["key"] = key
    return _cache["programmes"]


@dataclass
class Filters:
    funder_kind: str = ""
    aid_type: str = ""
    axis: str = ""
    open_now: bool = False
    closing_soon: bool = False
    today: date = field(default_factory=timezone.localdate)

    def keep(self, programme: Compiled) -> bool:
        return (
            (not self.funder_kind or self.funder_kind in programme.funder_kinds)
            and (not self.aid_type or self.aid_type in programme.aid_types)
            and (not self.axis or not programme.axes or self.axis in programme.axes)
            and (not self.open_now or programme.is_open(self.today))
            and (not self.closing_soon or programme.closes_within(self.today, CLOSING_SOON_DAYS))
        )


@dataclass
class Match:
    programme: Compiled
    result: Result


def match(
    territory: Territories, *, project: Project | None = None, filters: Filters | None = None
) -> dict[str, list[Match]]:
    """The programmes by verdict (eligible, probable, ineligible) for one territory."""
    filters = filters or Filters()
    found = {verdict.value: [] for verdict in Verdict}
    for programme in compiled():
        if filters.keep(programme):
            result = evaluate(programme.conditions, territory, project)
            found[result.verdict].append(Match(programme, result))
    return found


def match_all_communes(territories: Territories, project: Project | None = None) -> np.ndarray:
    """For every commune of a batch, how many programmes it is eligible or probably
    eligible for (one vectorised pass per programme)."""
    counts = np.zeros(len(territories), dtype=np.int64)
    for programme in compiled():
        possible, certain, _ = evaluate_all(programme.conditions, territories, project)
        counts += possible
    return counts


@dataclass
class ProjectFunding:
    """The programmes a project may use and the aid to expect, capped so the owner keeps
    its minimum share of self-financing."""

    cost: Decimal
    matches: list[Match]
    low: Decimal
    high: Decimal
    capped: bool
    min_self_financing: Decimal

    @property
    def cap(self) -> Decimal:
        return self.cost * (1 - self.min_self_financing)

    @property
    def explanation(self) -> str:
        return _(
            "Borne basse : la meilleure aide dont l'éligibilité est certaine, à son taux "
            "minimal. Borne haute : le cumul des aides possibles à leur taux maximal, "
            "plafonné pour que la collectivité finance au moins %(share)s %% du projet "
            "(article L1111-10 du CGCT). Hypothèse à confirmer auprès de chaque financeur."
        ) % {"share": int(self.min_self_financing * 100)}


def project_funding(
    territory: Territories,
    *,
    use_case_id: int,
    axis: str,
    cost: Decimal,
    expense_type: str = "investment",
    min_self_financing: Decimal = MIN_SELF_FINANCING,
) -> ProjectFunding:
    project = Project(cost=float(cost), expense_type=expense_type)
    matches, low, high = [], Decimal(0), Decimal(0)
    for programme in compiled():
        if not programme.fits_use_case(use_case_id, axis):
            continue
        result = evaluate(programme.conditions, territory, project)
        if result.verdict == Verdict.INELIGIBLE:
            continue
        matches.append(Match(programme, result))
        aid = programme.aid_range(cost)
        if aid is not None:
            if result.verdict == Verdict.ELIGIBLE:
                low = max(low, aid[0])
            high += aid[1]
    cap = cost * (1 - min_self_financing)
    capped = high > cap
    return ProjectFunding(
        cost=cost,
        matches=matches,
        low=min(low, cap),
        high=min(high, cap),
        capped=capped,
        min_self_financing=min_self_financing,
    )
