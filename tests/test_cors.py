"""CORS on the public APIs: other sites' pages read Open311 and the JSON API, never
with credentials; a POST is shared only when it carries an API key; the origins come
from CORS_ALLOWED_ORIGINS."""

from types import SimpleNamespace

import pytest

from territoria.reports.models import ClientApplication
from tests.reports.factories import SAINT_AMAND, make_category, make_question, make_zone

pytestmark = pytest.mark.django_db

APP = "https://carte.exemple.org"
SERVICES = "/open311/v2/services.json?jurisdiction_id=saint-amand-montrond"
SEARCH = "/api/territoires/recherche?q=saint"


@pytest.fixture
def rw(world):
    """Saint-Amand-Montrond taking reports, with one Open311 service."""
    make_zone(world.saint_amand, SAINT_AMAND)
    make_question(make_category(world.saint_amand, "eclairage", "Éclairage public"))
    return SimpleNamespace(world=world)


@pytest.mark.parametrize("url", [SERVICES, SEARCH], ids=["open311_case", "json_api_case"])
def test_any_site_reads_the_public_apis_without_credentials(client, rw, url):
    """By default any origin may read; cookies are never allowed along."""
    response = client.get(url, headers={"Origin": APP})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_errors_are_readable_too(client, rw):
    """A browser app sees the spec's error body, not an opaque failure."""
    response = client.get(
        "/open311/v2/services.json?jurisdiction_id=nulle-part", headers={"Origin": APP}
    )
    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == "*"


def test_pages_and_back_office_get_no_cors(client, rw):
    """Only the APIs are shared: the HTML pages answer without CORS headers."""
    response = client.get("/signalements/saint-amand-montrond/", headers={"Origin": APP})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


def test_preflight_is_answered_for_a_keyed_request(client):
    """OPTIONS with Access-Control-Request-Method gets the methods and key headers."""
    response = client.options(
        "/api/capteurs/releves",
        headers={
            "Origin": APP,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response["Access-Control-Allow-Methods"]
    assert {"authorization", "content-type", "x-api-key"} <= {
        name.strip().lower() for name in response["Access-Control-Allow-Headers"].split(",")
    }
    assert "Access-Control-Allow-Credentials" not in response


def test_post_is_shared_only_with_an_api_key(client, rw):
    """An Open311 POST with api_key is readable cross-origin; one without is not."""
    app = ClientApplication(collectivite=rw.world.saint_amand, name="Carte")
    key = app.issue_key()
    app.save()
    form = {
        "service_code": "saint-amand-montrond.eclairage",
        "lat": str(SAINT_AMAND[0]),
        "long": str(SAINT_AMAND[1]),
        "attribute[danger]": "non",
    }
    keyed = client.post(
        "/open311/v2/requests.json", form | {"api_key": key}, headers={"Origin": APP}
    )
    assert keyed.status_code == 200
    assert keyed["Access-Control-Allow-Origin"] == "*"
    anonymous = client.post("/open311/v2/requests.json", form, headers={"Origin": APP})
    assert anonymous.status_code == 403
    assert "Access-Control-Allow-Origin" not in anonymous


def test_a_list_of_origins_is_echoed_and_others_refused(client, rw, settings):
    """With a list, an allowed origin is echoed (Vary: Origin), another gets nothing."""
    settings.CORS_ALLOWED_ORIGINS = [APP]
    allowed = client.get(SERVICES, headers={"Origin": APP})
    assert allowed["Access-Control-Allow-Origin"] == APP
    assert "Origin" in allowed["Vary"]
    other = client.get(SERVICES, headers={"Origin": "https://autre.exemple.net"})
    assert other.status_code == 200
    assert "Access-Control-Allow-Origin" not in other
    preflight = client.options(
        SERVICES,
        headers={"Origin": "https://autre.exemple.net", "Access-Control-Request-Method": "GET"},
    )
    assert "Access-Control-Allow-Origin" not in preflight


def test_empty_setting_turns_cors_off(client, rw, settings):
    """CORS_ALLOWED_ORIGINS empty: no site but this one reads the APIs."""
    settings.CORS_ALLOWED_ORIGINS = []
    response = client.get(SERVICES, headers={"Origin": APP})
    assert "Access-Control-Allow-Origin" not in response
