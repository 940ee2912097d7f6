"""The plan optimiser on plain data: cash with carry-over, precedence, staff capacity,
locks, the three ends of the ranges, and French explanations of impossible plans."""

import pytest

from territoria.roadmap.costmodel import Economics
from territoria.roadmap.optimiser import Candidate, Instance, PlanError, greedy, solve


def instance(*candidates, budget=10_000.0, capacity=5, years=4, rate=0.0):
    return Instance(
        first_year=2027, years=years, budget=budget, capacity=capacity, discount_rate=rate,
        candidates=tuple(candidates),
    )  # fmt: skip


def test_savings_of_a_first_project_pay_for_the_next():
    """A project too dear for one year's budget starts once earlier savings cover it."""
    plan = solve(
        instance(
            Candidate("water", "Fuites", capex=8_000, saving=20_000, value=1),
            Candidate("bins", "Poubelles", capex=25_000, saving=1_000, value=50_000),
        )
    )
    assert plan.starts == {"water": 2027, "bins": 2028}
    assert [round(r.cash_end) for r in plan.rows] == [2_000, 7_000, 38_000, 69_000]


def test_cash_carries_over_between_years():
    """Unspent budget carries over: 3 years of 10 000 € pay for a 30 000 € project."""
    plan = solve(instance(Candidate("big", "Gros projet", capex=30_000, value=100_000)))
    assert plan.starts == {"big": 2029}
    assert "2027 : la trésorerie manquerait de 20\u202f000\u00a0€ en 2027" in plan.reasons["big"]


def test_a_project_waits_for_its_prerequisite():
    """A project starts at least one year after the project it requires."""
    plan = solve(
        instance(
            Candidate("net", "Réseau LoRaWAN", capex=1_000, value=10),
            Candidate("leaks", "Fuites", capex=1_000, value=1_000, requires=("net",)),
        )
    )
    assert plan.starts == {"net": 2027, "leaks": 2028}
    assert "son prérequis « Réseau LoRaWAN » n'est pas encore en service" in plan.reasons["leaks"]


def test_staff_capacity_limits_starts_per_year():
    """No year starts more projects than the team's capacity."""
    candidates = [Candidate(f"p{i}", f"Projet {i}", capex=100, value=100) for i in range(5)]
    plan = solve(instance(*candidates, capacity=2))
    per_year = [len(row.starts) for row in plan.rows]
    assert per_year == [2, 2, 1, 0]


@pytest.mark.parametrize(
    ("lock", "lock_year", "expected"),
    [("imposed", 2029, {"a": 2029}), ("excluded", None, {}), ("done", 2020, {})],
    ids=["imposed_year_case", "excluded_case", "done_case"],
)
def test_locks_are_obeyed(lock, lock_year, expected):
    """Imposed projects start in their year, excluded ones never, done ones are not re-bought."""
    plan = solve(
        instance(
            Candidate("a", "A", capex=100, saving=500, value=100, lock=lock, lock_year=lock_year)
        )
    )
    assert plan.starts == expected


def test_a_done_project_brings_its_savings_from_the_first_year():
    """The savings of a project already done add to the cash from the first year."""
    plan = solve(instance(Candidate("a", "A", capex=100, saving=500, lock="done", lock_year=2020)))
    assert plan.rows[0].savings == 500
    assert plan.done == ["a"]


def test_an_unaffordable_imposed_project_is_explained():
    """A locked project the cash cannot pay names itself and the short year, in French."""
    with pytest.raises(PlanError) as caught:
        solve(
            instance(
                Candidate("big", "Vidéoprotection", capex=50_000, lock="imposed", lock_year=2027)
            )
        )
    assert caught.value.code == "infeasible_locks"
    assert "« Vidéoprotection » (2027)" in caught.value.message
    assert "la trésorerie de 2027 manquerait de 40\u202f000\u00a0€" in caught.value.message


def test_too_many_imposed_projects_in_one_year_name_the_capacity():
    """Imposing more starts in a year than the team can do names the capacity."""
    with pytest.raises(PlanError) as caught:
        solve(
            instance(
                *[
                    Candidate(f"p{i}", f"P{i}", capex=1, lock="imposed", lock_year=2027)
                    for i in range(3)
                ],
                capacity=2,
            )
        )
    assert "1 projet de plus que la capacité de l'équipe (2)" in caught.value.message


def test_a_prerequisite_cycle_is_refused_with_its_names():
    """Prerequisites that loop are refused and the cycle is named."""
    with pytest.raises(PlanError) as caught:
        solve(
            instance(
                Candidate("a", "Plateforme", capex=1, requires=("b",)),
                Candidate("b", "Capteurs", capex=1, requires=("a",)),
            )
        )
    assert caught.value.code == "prerequisite_cycle"
    assert caught.value.message == (
        "Les prérequis forment un cercle, aucun ne peut commencer : "
        "Plateforme → Capteurs → Plateforme."
    )


@pytest.mark.parametrize(
    ("budget", "code"),
    [(-1.0, "negative_budget"), (1e12, "absurd_budget"), (float("nan"), "bad_budget")],
    ids=["negative_case", "absurd_case", "nan_case"],
)
def test_bad_budgets_are_refused(budget, code):
    """Negative, absurd or non-numeric budgets are refused before solving."""
    with pytest.raises(PlanError) as caught:
        solve(instance(Candidate("a", "A", capex=1), budget=budget))
    assert caught.value.code == code


def test_an_imposed_project_cannot_need_an_excluded_one():
    """Imposing a project whose prerequisite is excluded names both."""
    with pytest.raises(PlanError) as caught:
        solve(
            instance(
                Candidate("net", "Réseau", capex=1, lock="excluded"),
                Candidate("leaks", "Fuites", capex=1, requires=("net",), lock="imposed"),
            )
        )
    assert caught.value.message == "« Fuites » est imposé mais son prérequis « Réseau » est exclu."


def test_the_prudent_end_plans_no_more_than_the_favourable_one():
    """With dearer projects and smaller savings, the prudent end saves less."""
    eco = Economics(capex=(5_000, 8_000, 12_000), opex=(0, 0, 0), saving=(2_000, 4_000, 6_000))
    plans = {}
    for end in ("low", "central", "high"):
        capex, opex, saving = eco.at(end)
        plans[end] = solve(
            instance(Candidate("a", "A", capex=capex, opex=opex, saving=saving, value=10_000))
        )
    totals = {end: sum(r.savings for r in plan.rows) for end, plan in plans.items()}
    assert totals == {"low": 4_000, "central": 12_000, "high": 18_000}


def test_the_optimiser_beats_the_greedy_rule_when_it_matters():
    """Best value per euro first misses a better combination the optimiser finds."""
    candidates = (
        Candidate("small", "Petit", capex=6_000, value=7_200),
        Candidate("big1", "Grand 1", capex=5_000, value=5_800),
        Candidate("big2", "Grand 2", capex=5_000, value=5_800),
    )
    best = solve(instance(*candidates, budget=10_000, years=1))
    baseline = greedy(instance(*candidates, budget=10_000, years=1))
    assert set(best.starts) == {"big1", "big2"}
    assert set(baseline.starts) == {"small"}
    assert best.objective > baseline.objective


@pytest.mark.parametrize(
    ("delay", "start", "cash"),
    [(0, 2027, [0, 10_000, 20_000, 30_000]), (1, 2028, [10_000, 0, 20_000, 30_000])],
    ids=["aid_with_the_works_case", "aid_a_year_later_case"],
)
def test_expected_aid_arrives_after_its_payment_delay(delay, start, cash):
    """An aid paid a year after the works cannot finance their first year: the project
    waits until the budget covers the whole cost, then the aid comes back."""
    candidate = Candidate("lights", "Éclairage", capex=20_000, aid=10_000, value=100_000)
    plan = solve(
        Instance(
            first_year=2027, years=4, budget=10_000.0, capacity=5, discount_rate=0.0,
            candidates=(candidate,), aid_delay=delay,
        )
    )  # fmt: skip
    assert plan.starts == {"lights": start}
    assert [round(r.cash_end) for r in plan.rows] == cash
    assert sum(r.aid for r in plan.rows) == 10_000
