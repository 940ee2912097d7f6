"""The multi-year plan optimiser: which use cases to start, and when, so that the
savings of the first projects pay for the next ones. Its data lives in plandata.py,
the checks of an instance before solving in checks.py.

A small multi-period capital-budgeting MILP solved by HiGHS (`highspy`). Plain data
in, plain data out; no Django model is touched here.

Variables: x[i, t] = 1 when candidate i starts in year t; s[t] >= 0 the cash at the
end of year t. A project pays its investment in its start year and receives its
expected aid `aid_delay` years later (grants are paid after the works); from the
year after its start it costs its running cost and brings its saving.

    maximise  sum x[i,t] * (value_i * (H - t) + NPV_i(t))
    cash      s[t] = s[t-1] + budget[t] + net savings of projects running in t
                     - capex of projects starting in t
                     + aid of projects started in t - aid_delay        (s[t] >= 0)
    once      sum_t x[i,t] <= 1            (= 1 when imposed)
    capacity  sum_i x[i,t] <= staff capacity
    precedence  i may start in t only if each required j started by t - lag

Explanations ("why this year?") are computed afterwards by moving each project one
year earlier and checking which constraint breaks, so they read as plain facts.
"""

import time

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

import numpy as np

from territoria.roadmap.checks import check
from territoria.roadmap.plandata import (  # noqa: F401 - the optimiser's public data
    DONE,
    EPS,
    EXCLUDED,
    EXPLAIN_RESERVE,
    IMPOSED,
    Candidate,
    Instance,
    Plan,
    PlanError,
    YearRow,
    eur,
)

# --- The model -------------------------------------------------------------------------


class _Model:
    """Index bookkeeping shared by the solver, the explanations and the greedy baseline."""

    def __init__(self, instance: Instance):
        self.instance = instance
        self.H = instance.years
        self.by_key = {c.key: c for c in instance.candidates}
        self.done = [c for c in instance.candidates if c.lock == DONE]
        self.done_keys = {c.key for c in self.done}
        blocked = self._blocked()
        self.free = [
            c
            for c in instance.candidates
            if c.lock not in (DONE, EXCLUDED) and not c.unavailable and c.key not in blocked
        ]
        self.index = {c.key: n for n, c in enumerate(self.free)}
        self.blocked = blocked
        self.discount = [(1 + instance.discount_rate) ** -t for t in range(self.H)]
        self.done_net = sum(c.net for c in self.done)

    def _blocked(self) -> dict[str, str]:
        """Candidates that cannot start because a prerequisite never can."""
        blocked: dict[str, str] = {}
        changed = True
        while changed:
            changed = False
            for c in self.instance.candidates:
                if c.key in blocked or c.lock in (DONE, EXCLUDED) or c.unavailable:
                    continue
                for other_key in c.requires:
                    other = self.by_key.get(other_key)
                    if other is None:
                        continue
                    if other.lock == EXCLUDED or other.unavailable or other_key in blocked:
                        blocked[c.key] = other.label
                        changed = True
                        break
        return blocked

    def allowed_years(self, c: Candidate) -> range:
        if c.lock == IMPOSED and c.lock_year is not None:
            t = c.lock_year - self.instance.first_year
            return range(t, t + 1)
        return range(self.H)

    def coefficient(self, c: Candidate, t: int) -> float:
        """What starting c in year t adds to the objective."""
        npv = -c.capex * self.discount[t]
        paid = t + self.instance.aid_delay
        if paid < self.H:  # aid paid after the horizon is left out, like later savings
            npv += c.aid * self.discount[paid]
        npv += c.net * sum(self.discount[t + 1 :])
        return c.value * (self.H - t) + npv

    def cash(self, starts: dict[str, int]) -> list[float]:
        """End-of-year cash for a schedule {key: year index}."""
        inst = self.instance
        cash, level = [], inst.initial_cash
        for t in range(self.H):
            level += inst.budget_of(t) + self.done_net
            for key, start in starts.items():
                c = self.by_key[key]
                if start == t:
                    level -= c.capex
                elif start < t:
                    level += c.net
                if start + inst.aid_delay == t:
                    level += c.aid
            cash.append(level)
        return cash

    def capacity_used(self, starts: dict[str, int], t: int) -> int:
        return sum(1 for start in starts.values() if start == t)


def _solve_milp(model: _Model, *, relax_cash=False, relax_capacity=False, time_limit=None):
    """Solve with HiGHS. With `relax_*`, shortfalls become penalised slack variables
    (used to explain infeasibility): returns (status, x, slacks, gap, objective)."""
    import highspy

    began = time.perf_counter()
    inst, H, free = model.instance, model.H, model.free
    n = len(free)
    nx = n * H
    # Columns: x[i,t] (i*H + t), s[t], then optional slacks.
    cost, lower, upper, integrality = [], [], [], []
    penalty = 1e9
    for c in free:
        allowed = set(model.allowed_years(c))
        for t in range(H):
            cost.append(0.0 if (relax_cash or relax_capacity) else model.coefficient(c, t))
            lower.append(
                1.0 if c.lock == IMPOSED and c.lock_year is not None and t in allowed else 0.0
            )
            upper.append(1.0 if t in allowed else 0.0)
            integrality.append(1)
    s0 = len(cost)
    for _t in range(H):
        cost.append(0.0)
        lower.append(0.0)
        upper.append(highspy.kHighsInf)
        integrality.append(0)
    cash_slack0 = len(cost)
    if relax_cash:
        for _t in range(H):
            cost.append(-penalty)
            lower.append(0.0)
            upper.append(highspy.kHighsInf)
            integrality.append(0)
    cap_slack0 = len(cost)
    if relax_capacity:
        for _t in range(H):
            cost.append(-penalty)
            lower.append(0.0)
            upper.append(highspy.kHighsInf)
            integrality.append(0)

    rows_lo, rows_hi, starts_idx, indices, values = [], [], [], [], []

    def add_row(lo, hi, entries):
        merged = {}  # one coefficient per column (HiGHS refuses repeated entries)
        for col, val in entries:
            merged[col] = merged.get(col, 0.0) + val
        starts_idx.append(len(indices))
        for col, val in merged.items():
            indices.append(col)
            values.append(val)
        rows_lo.append(lo)
        rows_hi.append(hi)

    # Cash: s[t] - s[t-1] + sum x[i,t] capex - sum x[i,t-delay] aid
    #       - sum_{tau<t} x[i,tau] net = budget + done_net
    for t in range(H):
        entries = [(s0 + t, 1.0)]
        if t > 0:
            entries.append((s0 + t - 1, -1.0))
        for i, c in enumerate(free):
            if c.capex:
                entries.append((i * H + t, c.capex))
            if c.aid and t - inst.aid_delay >= 0:
                entries.append((i * H + t - inst.aid_delay, -c.aid))
            if c.net:
                entries.extend((i * H + tau, -c.net) for tau in range(t))
        if relax_cash:
            entries.append((cash_slack0 + t, -1.0))
        rhs = inst.budget_of(t) + model.done_net + (inst.initial_cash if t == 0 else 0.0)
        add_row(rhs, rhs, entries)
    # At most one start (exactly one when imposed).
    for i, c in enumerate(free):
        lo = 1.0 if c.lock == IMPOSED else 0.0
        add_row(lo, 1.0, [(i * H + t, 1.0) for t in range(H)])
    # Staff capacity.
    for t in range(H):
        entries = [(i * H + t, 1.0) for i in range(n)]
        if relax_capacity:
            entries.append((cap_slack0 + t, -1.0))
        add_row(-highspy.kHighsInf, float(inst.capacity), entries)
    # Precedence: cumulative starts of i by t <= cumulative starts of j by t - lag.
    for i, c in enumerate(free):
        for other_key in c.requires:
            if other_key in model.done_keys or other_key not in model.index:
                continue
            j = model.index[other_key]
            for t in range(H):
                entries = [(i * H + tau, 1.0) for tau in range(t + 1)]
                entries += [(j * H + tau, -1.0) for tau in range(t - inst.lag + 1)]
                add_row(-highspy.kHighsInf, 0.0, entries)

    # Row-wise to column-wise (HiGHS takes CSC).
    ncols, nrows = len(cost), len(rows_lo)
    row_of = np.repeat(np.arange(nrows), np.diff(np.append(starts_idx, len(indices))))
    cols = np.asarray(indices, dtype=np.int64)
    order = np.argsort(cols, kind="stable")
    col_start = np.searchsorted(cols[order], np.arange(ncols + 1)).astype(np.int32)

    lp = highspy.HighsLp()
    lp.num_col_ = ncols
    lp.num_row_ = nrows
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = np.asarray(cost, dtype=np.float64)
    lp.col_lower_ = np.asarray(lower, dtype=np.float64)
    lp.col_upper_ = np.asarray(upper, dtype=np.float64)
    lp.row_lower_ = np.asarray(rows_lo, dtype=np.float64)
    lp.row_upper_ = np.asarray(rows_hi, dtype=np.float64)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = col_start
    lp.a_matrix_.index_ = row_of[order].astype(np.int32)
    lp.a_matrix_.value_ = np.asarray(values, dtype=np.float64)[order]
    lp.integrality_ = [
        highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous
        for flag in integrality
    ]
    h = highspy.Highs()
    h.silent()
    h.setOptionValue("threads", 1)
    # The whole call (building, solving, explaining) keeps within the instance's limit.
    limit = time_limit or inst.time_limit * EXPLAIN_RESERVE - (time.perf_counter() - began)
    h.setOptionValue("time_limit", max(0.5, float(limit)))
    h.setOptionValue("mip_rel_gap", 1e-6)
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    if status == highspy.HighsModelStatus.kOptimal:
        outcome = "optimal"
    elif status == highspy.HighsModelStatus.kInfeasible:
        return "infeasible", None, None, None, None
    elif has_solution:
        outcome = "time_limit"
    else:
        return "no_solution", None, None, None, None
    col = np.asarray(h.getSolution().col_value)
    x = col[:nx].reshape(n, H) if n else np.zeros((0, H))
    slacks = {
        "cash": col[cash_slack0 : cash_slack0 + H] if relax_cash else None,
        "capacity": col[cap_slack0 : cap_slack0 + H] if relax_capacity else None,
    }
    gap = max(0.0, float(info.mip_gap)) if outcome != "optimal" else 0.0
    return outcome, x, slacks, gap, float(info.objective_function_value)


# --- Explanations ----------------------------------------------------------------------


def _why_not(model: _Model, starts: dict[str, int], key: str, t: int) -> str | None:
    """The constraint that forbids starting `key` in year index t (others unchanged),
    or None if nothing does."""
    inst, c = model.instance, model.by_key[key]
    year = inst.year(t)
    if t not in model.allowed_years(c):
        return _("%(year)s : il est imposé en %(lock)s") % {"year": year, "lock": c.lock_year}
    for other_key in c.requires:
        if other_key in model.done_keys or other_key not in model.by_key:
            continue
        other_start = starts.get(other_key)
        if other_start is None or other_start > t - inst.lag:
            return _("%(year)s : son prérequis « %(other)s » n'est pas encore en service") % {
                "year": year,
                "other": model.by_key[other_key].label,
            }
    for dependent, start in starts.items():
        if key in model.by_key[dependent].requires and start < t + inst.lag and dependent != key:
            return _("%(year)s : « %(other)s », qui en dépend, commencerait avant lui") % {
                "year": year,
                "other": model.by_key[dependent].label,
            }
    moved = {k: v for k, v in starts.items() if k != key}
    if model.capacity_used(moved, t) >= inst.capacity:
        return ngettext(
            "%(year)s : l'équipe lance déjà %(count)s projet, sa capacité",
            "%(year)s : l'équipe lance déjà %(count)s projets, sa capacité",
            inst.capacity,
        ) % {
            "year": year,
            "count": inst.capacity,
        }
    moved[key] = t
    cash = model.cash(moved)
    for tau, level in enumerate(cash):
        if level < -EPS:
            return _("%(year)s : la trésorerie manquerait de %(amount)s en %(short)s") % {
                "year": year,
                "amount": eur(-level),
                "short": inst.year(tau),
            }
    return None


def explain(model: _Model, starts: dict[str, int], status: str) -> dict[str, str]:
    inst = model.instance
    reasons: dict[str, str] = {}
    for c in inst.candidates:
        if c.lock == DONE:
            reasons[c.key] = _("Déjà réalisé : ses économies comptent dès la première année.")
        elif c.lock == EXCLUDED:
            reasons[c.key] = _("Exclu par décision de la collectivité.")
        elif c.unavailable:
            reasons[c.key] = c.unavailable
        elif c.key in model.blocked:
            reasons[c.key] = _("Impossible tant que son prérequis « %(other)s » est écarté.") % {
                "other": model.blocked[c.key]
            }
    for key, t in sorted(starts.items(), key=lambda item: item[1]):
        c = model.by_key[key]
        imposed = _("Imposé par la collectivité. ") if c.lock == IMPOSED else ""
        if t == 0:
            reasons[key] = imposed + _("Lancé dès la première année : rien ne l'en empêche.")
            continue
        blockers = [_why_not(model, starts, key, earlier) for earlier in range(t)]
        found = [b for b in blockers if b]
        if len(found) == t:
            reasons[key] = imposed + _("Pas plus tôt, car en ") + " ; ".join(found) + "."
        else:
            reasons[key] = imposed + _(
                "Plus tôt serait possible mais rapporterait moins au total (actualisation, "
                "économies et priorités des autres projets)."
            )
    for c in model.free:
        if c.key in starts:
            continue
        missing = [
            model.by_key[k].label
            for k in c.requires
            if k in model.by_key and k not in model.done_keys and k not in starts
        ]
        if missing:
            reasons[c.key] = _(
                "Non retenu : son prérequis « %(other)s » n'est pas dans le plan."
            ) % {"other": missing[0]}
            continue
        found = [_why_not(model, starts, c.key, t) for t in range(model.H)]
        blockers = [b for b in found if b]
        best = max(model.coefficient(c, t) for t in range(model.H))
        if len(blockers) == model.H:
            reasons[c.key] = (
                _("Non retenu : ")
                + " ; ".join(blockers[:3])
                + (" ; …" if len(blockers) > 3 else "")
                + "."
            )
        elif best <= 0:
            reasons[c.key] = _(
                "Non retenu : sur l'horizon, son coût dépasse ses économies et sa valeur "
                "de priorité (%(amount)s au mieux)."
            ) % {"amount": eur(best)}
        else:
            reasons[c.key] = (
                _("Non retenu : d'autres projets apportent plus avec les mêmes moyens.")
                if status == "optimal"
                else _("Non retenu dans la meilleure solution trouvée dans le temps imparti.")
            )
    return reasons


def self_financed_share(rows) -> float:
    """Share of what the plan spends (investments and running costs) paid by aid and
    savings: the rest is the most the town's own budget ever had to advance, so the
    share is 100 % only when aid and savings always came before the spending."""
    spent = sum(r.capex + r.opex for r in rows)
    if spent <= 0:
        return 1.0
    advanced = running = 0.0
    for r in rows:
        running += r.capex + r.opex - r.aid - r.savings
        advanced = max(advanced, running)
    return max(0.0, 1.0 - advanced / spent)


def _plan(model: _Model, starts: dict[str, int], status: str, gap: float, seconds: float) -> Plan:
    inst = model.instance
    cash = model.cash(starts)
    rows, cum_spend, cum_save = [], 0.0, 0.0
    for t in range(model.H):
        starting = [k for k, s in starts.items() if s == t]
        running = [model.by_key[k] for k, s in starts.items() if s < t] + model.done
        capex = sum(model.by_key[k].capex for k in starting)
        aid = sum(model.by_key[k].aid for k, s in starts.items() if s + inst.aid_delay == t)
        savings = sum(c.saving for c in running)
        opex = sum(c.opex for c in running)
        cum_spend += capex - aid + opex
        cum_save += savings
        rows.append(
            YearRow(
                year=inst.year(t),
                budget=inst.budget_of(t),
                aid=aid,
                savings=savings,
                opex=opex,
                capex=capex,
                cash_end=cash[t],
                starts=starting,
                cumulative_spending=cum_spend,
                cumulative_savings=cum_save,
            )  # fmt: skip
        )
    payback = next(
        (
            r.year
            for r in rows
            if r.cumulative_spending > 0 and r.cumulative_savings >= r.cumulative_spending
        ),
        None,
    )
    share = self_financed_share(rows)
    value = sum(model.by_key[k].value * (model.H - t) for k, t in starts.items())
    npv = sum(model.coefficient(model.by_key[k], t) for k, t in starts.items()) - value
    return Plan(
        status=status, gap=gap, objective=value + npv,
        starts={k: inst.year(t) for k, t in starts.items()},
        rows=rows, reasons=explain(model, starts, status), priority_value=value, npv=npv,
        payback_year=payback, self_financed_share=share, seconds=seconds,
        done=[c.key for c in model.done],
    )  # fmt: skip


def _diagnose(model: _Model) -> PlanError:
    """Name the locks and the constraint that make the instance infeasible."""
    inst = model.instance
    imposed = [c for c in model.free if c.lock == IMPOSED]
    outcome, x, slacks, _gap, _obj = _solve_milp(model, relax_cash=True, relax_capacity=True)
    names = ", ".join(
        f"« {c.label} »" + (f" ({c.lock_year})" if c.lock_year else "") for c in imposed
    )
    parts = []
    if outcome in ("optimal", "time_limit"):
        for t, short in enumerate(slacks["cash"]):
            if short > 1e-3:
                parts.append(
                    _(
                        "la trésorerie de %(year)s manquerait de %(amount)s "
                        "(budget, économies et aides compris)"
                    )
                    % {"year": inst.year(t), "amount": eur(short)}
                )
        for t, extra in enumerate(slacks["capacity"]):
            if extra > 1e-3:
                parts.append(
                    ngettext(
                        "en %(year)s, %(count)s projet de plus que la capacité de l'équipe "
                        "(%(cap)s)",
                        "en %(year)s, %(count)s projets de plus que la capacité de l'équipe "
                        "(%(cap)s)",
                        round(extra),
                    )
                    % {"year": inst.year(t), "count": round(extra), "cap": inst.capacity}
                )
    if not parts:
        parts.append(
            _("les prérequis et les années imposées ne peuvent pas se suivre dans l'horizon")
        )
    return PlanError(
        "infeasible_locks",
        _(
            "Les décisions imposées ne peuvent pas être tenues ensemble : %(locks)s. "
            "En cause : %(why)s. "
            "Retirez une décision, décalez une année ou augmentez le budget."
        )
        % {"locks": names or _("aucune"), "why": " ; ".join(parts)},
        tuple(c.key for c in imposed),
    )


def solve(instance: Instance) -> Plan:
    """The optimal plan (or the best found within the time limit, with its gap)."""
    check(instance)
    model = _Model(instance)
    began = time.perf_counter()
    if not model.free:
        return _plan(model, {}, "optimal", 0.0, 0.0)
    outcome, x, _slacks, gap, _obj = _solve_milp(model)
    if outcome == "infeasible":
        raise _diagnose(model)
    if outcome == "no_solution":
        raise PlanError(
            "no_solution",
            _("Aucun plan trouvé dans le temps imparti ; réduisez le nombre de projets candidats."),
        )
    starts = {}
    for i, c in enumerate(model.free):
        ts = np.flatnonzero(x[i] > 0.5)
        if len(ts):
            starts[c.key] = int(ts[0])
    seconds = time.perf_counter() - began
    return _plan(model, starts, outcome, gap, seconds)


def greedy(instance: Instance) -> Plan:
    """Baseline: best value per euro first, each at its earliest feasible year."""
    check(instance)
    model = _Model(instance)
    began = time.perf_counter()
    starts: dict[str, int] = {}
    for c in model.free:  # imposed first, at their year when given
        if c.lock == IMPOSED and c.lock_year is not None:
            starts[c.key] = c.lock_year - instance.first_year

    def ratio(c):
        return model.coefficient(c, 0) / max(c.capex - c.aid, 1.0)

    queue = sorted(
        (c for c in model.free if c.key not in starts),
        key=lambda c: (c.lock != IMPOSED, -ratio(c)),
    )
    progress = True
    while progress:  # a candidate waiting for its prerequisite gets another pass
        progress = False
        for c in list(queue):
            for t in range(model.H):
                if model.coefficient(c, t) <= 0 and c.lock != IMPOSED:
                    continue
                if _why_not(model, starts, c.key, t) is None:
                    starts[c.key] = t
                    queue.remove(c)
                    progress = True
                    break
    missing = [c for c in model.free if c.lock == IMPOSED and c.key not in starts]
    if missing:
        raise PlanError(
            "greedy_infeasible",
            _("La règle simple ne place pas les projets imposés : %(names)s.")
            % {"names": ", ".join(c.label for c in missing)},
        )
    return _plan(model, starts, "heuristic", 0.0, time.perf_counter() - began)
