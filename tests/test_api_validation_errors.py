"""The API's payload validation errors are French and structured (territoria/api.py),
shown through a typed endpoint: the sensors module's device declaration."""

import pytest

from tests.sensors.factories import make_fleet


@pytest.mark.django_db
def test_invalid_payload_gets_the_french_422_shape(world, client):
    """Missing and mistyped fields are each named with a French message; nothing is
    created."""
    from territoria.sensors.models import Device

    _, key = make_fleet(world.saint_amand)
    response = client.post(
        "/api/capteurs/appareils",
        {"name": "Compteur", "kind": "grille-pain", "latitude": "nord"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid_payload",
        "message": "Requête invalide — payload.external_id : champ obligatoire manquant; "
        "payload.kind : valeur hors de la liste permise; payload.latitude : nombre attendu.",
        "fields": [
            {"field": "payload.external_id", "message": "champ obligatoire manquant"},
            {"field": "payload.kind", "message": "valeur hors de la liste permise"},
            {"field": "payload.latitude", "message": "nombre attendu"},
        ],
    }
    assert Device.objects.count() == 0


@pytest.mark.django_db
def test_an_unreadable_body_gets_a_french_400(world, client):
    """A body that is not JSON is refused in the same shape, in French."""
    _, key = make_fleet(world.saint_amand)
    response = client.post(
        "/api/capteurs/appareils",
        "{pas du json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert (response.status_code, response.json()) == (
        400,
        {"code": "unreadable_body", "message": "Corps de requête illisible : JSON attendu."},
    )
