"""The read-only funding API speaks in official codes and French errors."""

from django.urls import reverse

import pytest

from territoria.funding.models import Programme
from tests.funding.factories import DETR_RULES, make_programme


@pytest.fixture
def programmes(world):
    make_programme("detr", eligibility=DETR_RULES, rate_min=20, rate_max=80)
    make_programme("pret", aid_types=["loan"])


def test_programmes_are_listed_with_their_rules_and_no_internal_id(client, programmes):
    """Programmes carry their rules as data, and no database id."""
    body = client.get(reverse("api:funding_programmes")).json()
    assert [p["slug"] for p in body] == ["detr", "pret"]
    assert body[0]["eligibility"] == DETR_RULES
    assert "id" not in body[0]


def test_the_type_filter_and_a_bad_filter(client, programmes):
    """type=loan keeps the loan; an unknown type is a 400 with a French message."""
    assert [p["slug"] for p in client.get("/api/aides/programmes?type=loan").json()] == ["pret"]
    response = client.get("/api/aides/programmes?type=don")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_filter"


def test_eligibility_by_insee_code(client, programmes):
    """Eligibility for Saint-Amand-Montrond by its INSEE code, with the checks."""
    body = client.get(reverse("api:funding_eligibility", args=["18197"])).json()
    assert (body["code"], body["name"], body["population"]) == (
        "18197",
        "Saint-Amand-Montrond",
        9899,
    )
    detr = next(p for p in body["programmes"] if p["programme"] == "detr")
    assert detr["verdict"] == "probable"
    assert detr["checks"][0].startswith("à vérifier : potentiel financier")


def test_unknown_codes_and_slugs_are_404_in_french(client, programmes):
    """Unknown territory code or programme: 404 with a French message."""
    response = client.get(reverse("api:funding_eligibility", args=["99999"]))
    assert (response.status_code, response.json()["code"]) == (404, "unknown_territory")
    response = client.get(reverse("api:funding_programme", args=["inconnu"]))
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_every_shipped_programme_is_served_with_its_sources(client, shipped_catalogue):
    """The shipped programmes (sources without a known date included) are listed and
    each one answers on its own URL."""
    from territoria.funding import content

    content.load()
    listed = client.get(reverse("api:funding_programmes"))
    assert listed.status_code == 200
    slugs = [p["slug"] for p in listed.json()]
    assert len(slugs) == Programme.objects.published().count() > 0
    undated = [s for p in listed.json() for s in p["sources"] if s["date"] is None]
    assert undated, "the shipped data has sources without a date"
    for slug in slugs:
        response = client.get(reverse("api:funding_programme", args=[slug]))
        assert (slug, response.status_code) == (slug, 200)
