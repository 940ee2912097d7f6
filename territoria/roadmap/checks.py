"""Checks of an instance before it is solved: amounts, years, locks and prerequisite
cycles, each refusal a French explanation naming what conflicts."""

import math

from django.utils.translation import gettext as _

from territoria.roadmap.plandata import (
    DONE,
    EXCLUDED,
    IMPOSED,
    LOCKS,
    MAX_BUDGET,
    Instance,
    PlanError,
    eur,
)


def find_cycle(requires: dict[str, tuple[str, ...]]) -> list[str] | None:
    """A list of keys forming a prerequisite cycle (first key repeated at the end)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(key):
        state[key] = 1
        stack.append(key)
        for other in requires.get(key, ()):
            if other not in requires:
                continue
            if state.get(other) == 1:
                return stack[stack.index(other) :] + [other]
            if other not in state:
                found = visit(other)
                if found:
                    return found
        stack.pop()
        state[key] = 2
        return None

    for key in requires:
        if key not in state:
            found = visit(key)
            if found:
                return found
    return None


def check(instance: Instance) -> None:
    """Refuse what cannot be planned, before any solving, with reasons in French."""
    if instance.years < 1 or instance.years > 30:
        raise PlanError("bad_horizon", _("L'horizon doit compter entre 1 et 30 ans."))
    if instance.capacity < 0:
        raise PlanError("bad_capacity", _("La capacité de l'équipe ne peut pas être négative."))
    for t in range(instance.years):
        budget = instance.budget_of(t)
        if not math.isfinite(budget):
            raise PlanError(
                "bad_budget",
                _("Le budget de %(year)s n'est pas un nombre.") % {"year": instance.year(t)},
            )
        if budget < 0:
            raise PlanError(
                "negative_budget",
                _("Le budget d'investissement de %(year)s est négatif (%(amount)s).")
                % {"year": instance.year(t), "amount": eur(budget)},
            )
        if budget > MAX_BUDGET:
            raise PlanError(
                "absurd_budget",
                _("Le budget de %(year)s (%(amount)s) n'est pas vraisemblable : vérifiez l'unité.")
                % {"year": instance.year(t), "amount": eur(budget)},
            )
    if not 0 <= instance.discount_rate < 1:
        raise PlanError(
            "bad_discount_rate", _("Le taux d'actualisation doit être compris entre 0 et 100 %.")
        )
    by_key = {c.key: c for c in instance.candidates}
    for c in instance.candidates:
        if min(c.capex, c.opex, c.saving, c.aid) < 0 or not all(
            math.isfinite(v) for v in (c.capex, c.opex, c.saving, c.aid, c.value)
        ):
            raise PlanError(
                "negative_figure",
                _("« %(label)s » a un montant négatif ou non numérique.") % {"label": c.label},
                (c.key,),
            )
        if c.lock not in LOCKS:
            raise PlanError(
                "bad_lock", _("Décision inconnue pour « %(label)s ».") % {"label": c.label}
            )
    cycle = find_cycle({c.key: c.requires for c in instance.candidates})
    if cycle:
        names = " → ".join(by_key[k].label for k in cycle)
        raise PlanError(
            "prerequisite_cycle",
            _("Les prérequis forment un cercle, aucun ne peut commencer : %(cycle)s.")
            % {"cycle": names},
            tuple(cycle[:-1]),
        )
    last = instance.year(instance.years - 1)
    for c in instance.candidates:
        if c.lock not in (IMPOSED, DONE):
            continue
        if (
            c.lock == IMPOSED
            and c.lock_year is not None
            and not (instance.first_year <= c.lock_year <= last)
        ):
            raise PlanError(
                "lock_outside_horizon",
                _("« %(label)s » est imposé en %(year)s, hors de l'horizon %(first)s–%(last)s.")
                % {
                    "label": c.label,
                    "year": c.lock_year,
                    "first": instance.first_year,
                    "last": last,
                },
                (c.key,),
            )
        if c.lock == IMPOSED and c.unavailable:
            raise PlanError(
                "imposed_unavailable",
                _("« %(label)s » est imposé mais ne peut pas être lancé : %(reason)s")
                % {"label": c.label, "reason": c.unavailable},
                (c.key,),
            )
        for other_key in c.requires:
            other = by_key.get(other_key)
            if other is None or other.lock == DONE:
                continue
            if c.lock == DONE:
                continue  # a project already running had its prerequisites
            if other.lock == EXCLUDED or other.unavailable:
                raise PlanError(
                    "imposed_requires_excluded",
                    _("« %(label)s » est imposé mais son prérequis « %(other)s » est %(state)s.")
                    % {
                        "label": c.label,
                        "other": other.label,
                        "state": _("exclu") if other.lock == EXCLUDED else _("impossible à lancer"),
                    },
                    (c.key, other.key),
                )
            if (
                c.lock_year is not None
                and other.lock == IMPOSED
                and other.lock_year is not None
                and c.lock_year < other.lock_year + instance.lag
            ):
                raise PlanError(
                    "imposed_before_prerequisite",
                    _(
                        "« %(label)s » est imposé en %(year)s mais son prérequis « %(other)s » "
                        "est imposé en %(other_year)s : il doit être en service avant."
                    )
                    % {
                        "label": c.label,
                        "year": c.lock_year,
                        "other": other.label,
                        "other_year": other.lock_year,
                    },
                    (c.key, other.key),
                )
