"""Admins set the zone, the categories and the Open311 keys of their collectivité."""

from django.urls import reverse

import pytest

from territoria.reports.models import Category, ClientApplication, ReportZone

pytestmark = pytest.mark.django_db


def test_admin_sets_the_zone_and_adds_a_category(client, rw):
    """An admin saves the zone and adds a category with its service."""
    client.force_login(rw.world.admin_saint_amand)
    url = reverse("reports:settings", kwargs={"slug": "saint-amand-montrond"})
    response = client.post(
        url,
        {"form": "zone", "south": "46.7", "north": "46.75", "west": "2.45", "east": "2.55"},
    )
    assert response.status_code == 302
    zone = ReportZone.objects.get(collectivite=rw.world.saint_amand)
    assert (zone.south, zone.north, zone.is_open) == (46.7, 46.75, False)
    client.post(
        url,
        {
            "form": "category",
            "name": "Mobilier urbain",
            "code": "mobilier",
            "service": "Voirie",
            "duplicate_radius_m": "100",
            "is_active": "on",
        },
    )
    category = Category.objects.get(code="mobilier")
    assert (category.service.name, category.duplicate_radius_m) == ("Voirie", 100)


def test_inverted_zone_is_refused(client, rw):
    """A box whose south is north of its north is refused and nothing changes."""
    client.force_login(rw.world.admin_saint_amand)
    response = client.post(
        reverse("reports:settings", kwargs={"slug": "saint-amand-montrond"}),
        {"form": "zone", "south": "47", "north": "46", "west": "2.45", "east": "2.55"},
    )
    assert response.status_code == 400
    assert "La latitude sud doit être inférieure" in response.content.decode()
    assert ReportZone.objects.get(collectivite=rw.world.saint_amand) == rw.zone_sa
    rw.zone_sa.refresh_from_db()
    assert rw.zone_sa.south < rw.zone_sa.north


def test_agent_cannot_change_settings_nor_keys(client, rw):
    """Agents handle reports; only admins change settings and Open311 keys."""
    client.force_login(rw.world.agent_saint_amand)
    for name in ("settings", "clients"):
        url = reverse(f"reports:{name}", kwargs={"slug": "saint-amand-montrond"})
        assert client.get(url).status_code == 403


def test_admin_issues_a_key_shown_once_and_stored_hashed(client, rw):
    """A new key is shown once; only its hash is stored; it can be revoked."""
    client.force_login(rw.world.admin_saint_amand)
    url = reverse("reports:clients", kwargs={"slug": "saint-amand-montrond"})
    body = client.post(url, {"name": "Appli mobile"}).content.decode()
    app = ClientApplication.objects.get()
    key = body.split('<code class="report-key">')[1].split("</code>")[0]
    assert ClientApplication.objects.by_key(key) == app
    assert key not in (app.key_hash, app.key_prefix)
    assert key not in client.get(url).content.decode()
    client.post(url, {"revoke": app.pk})
    assert ClientApplication.objects.by_key(key) is None
