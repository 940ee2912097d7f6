"""Fleet API keys: stored hashed, wrong or missing key refused in French."""

import pytest

from territoria.sensors.models import Fleet
from tests.sensors.conftest import table_count

BODY = {
    "readings": [
        {
            "device": "SAM-0042",
            "quantity": "water_volume",
            "timestamp": "2025-03-15T00:00:00Z",
            "value": 1,
        }
    ]
}
UNAUTHORIZED = {
    "code": "invalid_key",
    "message": "Clé d'API absente ou invalide : envoyez la clé de la flotte dans l'en-tête "
    "Authorization (Bearer) ou X-Api-Key.",
}


@pytest.mark.django_db
def test_key_is_stored_only_as_a_hash(fleet):
    """The database holds the key's SHA-256, never the key itself."""
    stored = Fleet.objects.filter(pk=fleet.pk).values_list("key_prefix", "key_hash").get()
    secret = fleet.key.split("_", 2)[2]
    assert secret not in stored
    assert len(stored[1]) == 64
    assert Fleet.authenticate(fleet.key) == fleet


@pytest.mark.django_db
@pytest.mark.parametrize(
    "key",
    [
        pytest.param("", id="missing_case"),
        pytest.param("trk_00000000_faux", id="unknown_prefix_case"),
        pytest.param("nimportequoi", id="garbage_case"),
    ],
)
def test_wrong_key_is_refused(fleet, post, key):
    """A missing or wrong key gets 401 with a French JSON error and writes nothing."""
    response = post("releves", BODY, key)
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED
    assert table_count("sensors_reading") == 0


@pytest.mark.django_db
def test_right_prefix_wrong_secret_is_refused(fleet, post):
    """A key whose secret part is altered is refused."""
    response = post("releves", BODY, fleet.key[:-2] + "xx")
    assert response.status_code == 401


@pytest.mark.django_db
def test_x_api_key_header_is_accepted(fleet, client):
    """The key may come in X-Api-Key (for network servers with custom headers)."""
    import json

    response = client.post(
        "/api/capteurs/releves",
        json.dumps(BODY),
        content_type="application/json",
        headers={"X-Api-Key": fleet.key},
    )
    assert response.status_code == 200


@pytest.mark.django_db
def test_rotated_key_replaces_the_old_one(fleet, world, post):
    """After a rotation the old key no longer opens the fleet."""
    from territoria.sensors.actions import rotate_key

    new = rotate_key(fleet, world.agent_saint_amand)
    assert post("releves", BODY, fleet.key).status_code == 401
    assert post("releves", BODY, new).status_code == 200
