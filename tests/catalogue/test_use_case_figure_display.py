"""Figures are written the French way and always show where they come from."""

import datetime
from decimal import Decimal

from django.template.loader import render_to_string

import pytest

from territoria.catalogue.enums import FigureKind, Metric, Unit
from territoria.catalogue.templatetags.catalogue_figures import format_number, format_range
from tests.catalogue.factories import make_figure, make_use_case

NBSP = "\xa0"


@pytest.mark.parametrize(
    "value,text",
    [("3000", f"3{NBSP}000"), ("1234567.5", f"1{NBSP}234{NBSP}567,5"), ("10.00", "10"),
     ("0.25", "0,25"), ("999", "999"), ("-1500", f"-1{NBSP}500")],
    ids=["thousands_case", "million_case", "zeros_case", "decimal_case", "small_case",
         "negative_case"],
)  # fmt: skip
def test_format_number(value, text):
    """Thousands are separated by a no-break space, decimals by a comma, no useless zeros."""
    assert format_number(Decimal(value)) == text


@pytest.mark.parametrize(
    "low,high,unit,basis,text",
    [
        ("10", "35", Unit.PERCENT, "", f"10 à 35{NBSP}%"),
        ("360", "3000", Unit.EUR, "par point lumineux",
         f"360 à 3{NBSP}000{NBSP}€ par point lumineux"),
        ("35", "35", Unit.PERCENT, "de la facture d'eau", f"35{NBSP}% de la facture d'eau"),
        ("1", "1", Unit.YEARS, "", f"1{NBSP}an"),
        ("3", "7", Unit.YEARS, "", f"3 à 7{NBSP}ans"),
        ("1200", "2000", Unit.EUR_PER_YEAR, "", f"1{NBSP}200 à 2{NBSP}000{NBSP}€ par an"),
        ("12", "30", Unit.COUNT, "capteurs", "12 à 30 capteurs"),
    ],
    ids=["percent_case", "basis_case", "single_case", "one_year_case", "years_case",
         "per_year_case", "count_case"],
)  # fmt: skip
def test_format_range(low, high, unit, basis, text):
    """A range reads "10 à 35 %"; a single value when min equals max."""
    assert format_range(Decimal(low), Decimal(high), unit, basis) == text


@pytest.mark.django_db
def test_sourced_figure_shows_kind_source_date_and_verification():
    """A sourced figure shows its kind, its linked source with its date, and its verification."""
    figure = make_figure(
        make_use_case(), Metric.SAVING, "10", "35", basis="de la facture d'eau",
        label="Économie sur la facture", kind=FigureKind.MEASURED,
        verified_at=datetime.datetime(2025, 3, 4, 10, 0, tzinfo=datetime.UTC),
    )  # fmt: skip
    html = render_to_string("catalogue/includes/figure.html", {"figure": figure})
    assert "Économie sur la facture :" in html
    assert f"<strong>10 à 35{NBSP}% de la facture d&#x27;eau</strong>" in html
    assert '<span class="badge badge-accent">Mesuré</span>' in html
    assert (
        '<a href="https://www.banquedesterritoires.fr/localtis" rel="noopener noreferrer">'
        "Localtis, 19 décembre 2018</a>" in html
    )
    assert "(19 décembre 2018)" in html
    assert "vérifié par l'opérateur le 4 mars 2025" in html
    assert "<details" not in html


@pytest.mark.django_db
def test_hypothesis_shows_its_reasoning():
    """A hypothesis is labelled so and its reasoning is one click away."""
    figure = make_figure(
        make_use_case(), Metric.CAPEX, "500", "500", Unit.EUR, kind=FigureKind.HYPOTHESIS,
        source_title="", source_url="", source_date=None, note="Devis moyen de trois communes.",
    )  # fmt: skip
    html = render_to_string("catalogue/includes/figure.html", {"figure": figure})
    assert '<span class="badge badge-warn">Hypothèse</span>' in html
    assert "<summary>Raisonnement de l'hypothèse</summary>" in html
    assert "Devis moyen de trois communes." in html
    assert "Source" not in html
    assert "vérifié" not in html


@pytest.mark.django_db
def test_declared_figure_is_marked_as_declared():
    """A figure declared by the provider says so."""
    figure = make_figure(make_use_case(), kind=FigureKind.DECLARED)
    html = render_to_string("catalogue/includes/figure.html", {"figure": figure})
    assert '<span class="badge badge-warn">Déclaré</span>' in html
