"""The optimiser's plain data: a candidate use case, an instance to solve, the plan it
gives and the refusal of an impossible instance."""

from dataclasses import dataclass, field

DONE = "done"
IMPOSED = "imposed"
EXCLUDED = "excluded"
LOCKS = ("", DONE, IMPOSED, EXCLUDED)
MAX_BUDGET = 1e10  # € a year: beyond this an amount is a typing error, not a budget
EPS = 1e-6
EXPLAIN_RESERVE = 0.9  # share of the time limit for the solver; the rest for explanations


def eur(amount: float) -> str:
    """12 345.6 -> '12 346 €' (narrow no-break spaces, as French prints amounts)."""
    text = f"{abs(round(amount)):,.0f}".replace(",", "\u202f")
    return f"{'−' if round(amount) < 0 else ''}{text}\u00a0€"


@dataclass(frozen=True)
class Candidate:
    key: str
    label: str
    capex: float
    opex: float = 0.0
    saving: float = 0.0
    value: float = 0.0  # priority value, € of public value per year of service
    aid: float = 0.0  # expected funding, received `aid_delay` years after the start
    requires: tuple[str, ...] = ()
    lock: str = ""
    lock_year: int | None = None
    unavailable: str = ""  # why it cannot be planned at all (a missing prerequisite)

    @property
    def net(self) -> float:
        return self.saving - self.opex


@dataclass(frozen=True)
class Instance:
    first_year: int
    years: int
    budget: float | tuple[float, ...]
    capacity: int
    discount_rate: float
    candidates: tuple[Candidate, ...]
    initial_cash: float = 0.0
    lag: int = 1
    time_limit: float = 30.0
    aid_delay: int = 0  # years between a project's start and the payment of its aid

    def budget_of(self, t: int) -> float:
        return self.budget[t] if isinstance(self.budget, tuple) else self.budget

    def year(self, t: int) -> int:
        return self.first_year + t


@dataclass
class YearRow:
    year: int
    budget: float
    aid: float
    savings: float
    opex: float
    capex: float
    cash_end: float
    starts: list[str]
    cumulative_spending: float = 0.0
    cumulative_savings: float = 0.0


@dataclass
class Plan:
    status: str  # "optimal" or "time_limit"
    gap: float
    objective: float
    starts: dict[str, int]  # key -> calendar start year
    rows: list[YearRow]
    reasons: dict[str, str]
    priority_value: float
    npv: float
    payback_year: int | None
    self_financed_share: float
    seconds: float = 0.0
    done: list[str] = field(default_factory=list)


class PlanError(Exception):
    """An instance that cannot be planned, with a French explanation naming the
    conflicting constraints."""

    def __init__(self, code: str, message: str, conflicts: tuple[str, ...] = ()):
        super().__init__(message)
        self.code = code
        self.message = message
        self.conflicts = conflicts
