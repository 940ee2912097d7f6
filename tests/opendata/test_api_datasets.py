"""The open-data API lists published datasets only, with their files."""

import uuid

import pytest


@pytest.mark.django_db
def test_api_lists_published_datasets_with_files(client, published):
    """The list holds the 9 published datasets, each with size and checksum per file."""
    body = client.get("/api/donnees/jeux", {"collectivite": "saint-amand-montrond"}).json()
    assert len(body) == 9
    assert all(d["resources"] and d["id"].startswith("urn:uuid:") for d in body)
    assert {r["format"] for d in body for r in d["resources"]} == {
        "csv", "json", "geojson", "parquet"
    }  # fmt: skip


@pytest.mark.django_db
def test_api_hides_unpublished_dataset(client, published):
    """An unpublished dataset answers 404 with a French message."""
    response = client.get(f"/api/donnees/jeux/{published['hidden'].uid}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert client.get(f"/api/donnees/jeux/{uuid.uuid4()}").status_code == 404


@pytest.mark.django_db
def test_api_refuses_bad_paging(client, published):
    """A limit out of range is refused with a structured error."""
    response = client.get("/api/donnees/jeux", {"limit": 0})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_paging"
