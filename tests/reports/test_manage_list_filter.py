"""The back-office list filtered by the map's visible box ("Limiter à la zone affichée")."""

from django.urls import reverse

import pytest

from tests.reports.factories import SAINT_AMAND, make_report

pytestmark = pytest.mark.django_db

LAT, LON = SAINT_AMAND
# A box around the town centre that leaves out a point 2 km to the north-east.
BOX = f"{LON - 0.01},{LAT - 0.01},{LON + 0.01},{LAT + 0.01}"


def _list(client, **params):
    return client.get(
        reverse("reports:manage_list", kwargs={"slug": "saint-amand-montrond"}), params
    )


def _detail(report):
    return reverse(
        "reports:manage_detail", kwargs={"slug": "saint-amand-montrond", "report_id": report.pk}
    )


def test_bbox_keeps_the_reports_inside_the_visible_box(client, rw):
    """Only the reports inside the box are listed and mapped, with a way back."""
    inside = make_report(rw.lighting, at=(LAT + 0.001, LON - 0.001))
    outside = make_report(rw.lighting, at=(LAT + 0.018, LON + 0.025))
    client.force_login(rw.world.agent_saint_amand)
    whole = _list(client).content.decode()
    assert _detail(inside) in whole and _detail(outside) in whole
    assert "Liste limitée à la zone" not in whole
    page = _list(client, bbox=BOX, status="open").content.decode()
    assert _detail(inside) in page
    assert _detail(outside) not in page
    assert "Liste limitée à la zone de la carte choisie." in page
    assert 'href="?status=open">Retirer la limite de zone' in page
    features = _list(client, bbox=BOX, format="geojson").json()["features"]
    assert [f["properties"]["url"] for f in features] == [_detail(inside)]


def test_bbox_combines_with_the_other_filters(client, rw):
    """The box narrows the other filters, it does not replace them."""
    make_report(rw.lighting, at=(LAT, LON), status="resolved")
    open_inside = make_report(rw.lighting, at=(LAT, LON))
    client.force_login(rw.world.agent_saint_amand)
    features = _list(client, bbox=BOX, status="open", format="geojson").json()["features"]
    assert [f["properties"]["url"] for f in features] == [_detail(open_inside)]


def test_list_offers_the_visible_box_control(client, rw):
    """The control is in the filter form, hidden until the map script shows it."""
    client.force_login(rw.world.agent_saint_amand)
    page = _list(client).content.decode()
    assert 'data-territoria-bbox-filter="manage-map"' in page
    assert 'data-bbox-input="id_bbox"' in page
    assert 'id="manage-map"' in page
    assert "Limiter à la zone affichée" in page


@pytest.mark.parametrize(
    "bbox",
    [
        pytest.param("a,b,c,d", id="not_numbers_case"),
        pytest.param(f"{LON + 0.01},{LAT - 0.01},{LON - 0.01},{LAT + 0.01}", id="inverted_case"),
        pytest.param("1,2,3", id="three_numbers_case"),
    ],
)
def test_invalid_bbox_does_not_limit_the_list(client, rw, bbox):
    """A malformed box is ignored like any invalid filter: the whole list shows."""
    far = make_report(rw.lighting, at=(LAT + 0.018, LON + 0.025))
    client.force_login(rw.world.agent_saint_amand)
    page = _list(client, bbox=bbox).content.decode()
    assert _detail(far) in page
    assert "Liste limitée à la zone" not in page
