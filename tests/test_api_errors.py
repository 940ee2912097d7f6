"""Every API refusal has the same shape: a stable code and a French message."""

import pytest


@pytest.mark.parametrize(
    ("url", "code", "first_word"),
    [
        ("/api/territoires/recherche?q=a", "query_too_short", "Saisissez"),
        ("/api/catalogue/solutions?axis=inconnu", "invalid_axis", "L'axe"),
        ("/api/catalogue/cas-d-usage?axis=inconnu", "invalid_axis", "L'axe"),
    ],
    ids=["territories_case", "catalogue_solutions_case", "catalogue_use_cases_case"],
)
def test_api_refusals_are_structured_and_in_french(db, client, url, code, first_word):
    """A request the API refuses answers 422 with {"code", "message"} in French, the same
    shape in every module."""
    response = client.get(url)
    assert response.status_code == 422
    body = response.json()
    assert sorted(body) == ["code", "message"]
    assert body["code"] == code
    assert body["message"].split()[0] == first_word
