"""Coverage of the shipped figures: every use case has a cost, a running cost and a
saving (or its stated benefit), and every non-hypothesis figure says where it comes from.

The thresholds are the coverage reached; they guard it from silently dropping.
"""

from collections import Counter

import pytest

from territoria.catalogue import content
from territoria.catalogue.enums import FigureKind, Metric, Unit
from territoria.catalogue.models import Figure, UseCase
from tests.catalogue.test_catalogue_content import LOCALTIS, make_reference_communes

pytestmark = pytest.mark.django_db

NO_SAVING_BASIS = "aucune économie directe attendue"
UNDATED = "Date non indiquée par la source."


@pytest.fixture
def loaded():
    make_reference_communes()
    return content.load()


def _use_cases_with(**filters) -> set[str]:
    return set(Figure.objects.filter(use_case__isnull=False, **filters).values_list(
        "use_case__slug", flat=True))  # fmt: skip


def test_every_use_case_has_an_investment_and_a_running_cost(loaded):
    """All 73 use cases carry a capital cost in euros and a yearly running cost."""
    everything = set(UseCase.objects.values_list("slug", flat=True))
    assert len(everything) == 73
    assert _use_cases_with(metric=Metric.CAPEX, unit=Unit.EUR) == everything
    assert _use_cases_with(metric=Metric.OPEX) == everything


def test_every_use_case_states_its_saving_or_its_benefit(loaded):
    """A use case has a saving with its basis, or says it has no direct saving and names
    its benefit; never both."""
    everything = set(UseCase.objects.values_list("slug", flat=True))
    savings = Figure.objects.filter(use_case__isnull=False, metric=Metric.SAVING)
    no_saving = savings.filter(basis=NO_SAVING_BASIS)
    with_saving = set(
        savings.exclude(basis=NO_SAVING_BASIS).values_list("use_case__slug", flat=True)
    )
    benefit_only = set(no_saving.values_list("use_case__slug", flat=True))
    assert with_saving | benefit_only == everything
    assert with_saving & benefit_only == set()
    assert len(with_saving) >= 21
    for figure in savings.exclude(basis=NO_SAVING_BASIS):
        assert figure.basis, figure.label
    for figure in no_saving:
        assert (figure.value_min, figure.value_max) == (0, 0)
        assert figure.label.startswith("Pas d'économie directe : "), figure.label
        assert len(figure.label) > len("Pas d'économie directe : ") + 10, figure.label


def test_every_sourced_figure_has_title_https_address_and_date(loaded):
    """A measured, declared or estimated figure cites a title, an https address and its
    date, or says the source gives none."""
    sourced = Figure.objects.exclude(kind=FigureKind.HYPOTHESIS)
    assert sourced.count() >= 60
    for figure in sourced:
        assert figure.source_title, figure.label
        assert figure.source_url.startswith("https://"), figure.label
        assert figure.source_date or UNDATED in figure.note, figure.label


def test_estimates_show_their_method_and_hypotheses_their_reasoning(loaded):
    """An estimate computed from named inputs shows the calculation; a hypothesis its
    reasoning."""
    for figure in Figure.objects.filter(kind=FigureKind.ESTIMATED):
        assert "×" in figure.note, figure.label
    for figure in Figure.objects.filter(kind=FigureKind.HYPOTHESIS):
        assert len(figure.note) >= 40, figure.label


def test_a_mayors_claim_reported_by_the_press_is_declared_not_measured(loaded):
    """Saint-Amand-Montrond's 35 % on water bills is the mayor's statement: declared."""
    figure = Figure.objects.get(source_url=LOCALTIS, metric=Metric.SAVING)
    assert (figure.value_min, figure.kind) == (35, FigureKind.DECLARED)


def test_figure_counts_by_kind(loaded):
    """The counts by kind published in docs/catalogue.md match the shipped data."""
    kinds = Counter(Figure.objects.filter(use_case__isnull=False).values_list("kind", flat=True))
    assert kinds == {
        FigureKind.MEASURED: 8,
        FigureKind.DECLARED: 46,
        FigureKind.ESTIMATED: 6,
        FigureKind.HYPOTHESIS: 193,
    }
