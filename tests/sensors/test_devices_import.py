"""Bulk device import from CSV; devices created through the typed API."""

import pytest

from territoria.sensors.actions import import_devices
from territoria.sensors.ingest import BatchRejected
from territoria.sensors.models import Device, Site


@pytest.mark.django_db
def test_import_creates_devices_and_sites(fleet, world):
    """Every line becomes a device; named sites are created; DevEUI normalised."""
    text = (
        "external_id;name;kind;site;dev_eui;latitude;longitude;threshold\n"
        "BAC-100;Bac rue Nationale;waste_bin;Quartier gare;;46,72;2,50;85\n"
        "M-100;Compteur école;water_meter;Secteur Centre;A8-40-41-9E-DB-62-99-99;;;\n"
    )
    devices = import_devices(fleet, world.agent_saint_amand, text)
    assert [(d.external_id, d.dev_eui, d.site.name, d.threshold) for d in devices] == [
        ("BAC-100", "", "Quartier gare", 85.0),
        ("M-100", "a840419edb629999", "Secteur Centre", None),
    ]
    assert Site.objects.filter(name="Quartier gare", collectivite=world.saint_amand).exists()


@pytest.mark.django_db
def test_import_with_bad_lines_creates_nothing(fleet, world):
    """Bad lines are all named by number and no device is created."""
    text = (
        "external_id,name,kind,dev_eui\n"
        "OK-1,Bon,water_meter,\n"
        "SAM-0042,Doublon,water_meter,\n"
        "X-2,Mauvais type,grille-pain,\n"
        "X-3,Mauvais DevEUI,water_meter,zz\n"
    )
    before = Device.objects.count()
    with pytest.raises(BatchRejected) as caught:
        import_devices(fleet, world.agent_saint_amand, text)
    assert [(e["item"], e["code"]) for e in caught.value.errors] == [
        (3, "duplicate_id"),
        (4, "unknown_kind"),
        (5, "invalid_dev_eui"),
    ]
    assert Device.objects.count() == before


@pytest.mark.django_db
def test_import_needs_a_member_who_may_change(fleet, world):
    """An élu of another collectivité cannot import into this fleet."""
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_devices(fleet, world.elu_niort, "external_id,name,kind\nA,B,water_meter\n")


@pytest.mark.django_db
def test_device_created_through_the_api(fleet, post):
    """A device declared with the fleet key is created in the fleet's collectivité."""
    body = {
        "external_id": "M-7",
        "name": "Compteur stade",
        "kind": "water_meter",
        "dev_eui": "A840419EDB620777",
    }
    response = post("appareils", body, fleet.key)
    assert response.status_code == 201
    assert response.json()["dev_eui"] == "a840419edb620777"
    assert Device.objects.get(external_id="M-7").collectivite == fleet.collectivite
    assert post("appareils", body, fleet.key).status_code == 409
