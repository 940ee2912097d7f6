"""Sensors pages: members see their dashboards and act on alerts; others get 404."""

import datetime
import re

from django.utils import timezone

import pytest

from territoria.sensors import actions, indicators, ingest
from territoria.sensors.enums import AlertKind, AlertStatus
from territoria.sensors.models import Alert, Device, Fleet

NOW = timezone.now()


def _hours(fleet, device, quantity, values):
    end = int(NOW.timestamp()) // 3600 * 3600
    rows = [(device, end - 3600 * (len(values) - i), v) for i, v in enumerate(values)]
    ingest.ingest(
        ingest.Items(
            devices=[r[0] for r in rows],
            quantities=[quantity] * len(rows),
            timestamps=[r[1] for r in rows],
            values=[r[2] for r in rows],
            units=[None] * len(rows),
            labels=list(range(len(rows))),
        ),
        ingest.device_directory(fleet.collectivite_id, fleet.pk),
    )


@pytest.fixture
def data(fleet):
    _hours(fleet, "SAM-0042", "water_volume", [0, 3, 5, 0] * 12)
    _hours(fleet, "DMA-CENTRE", "flow_rate", [30.0] * 48)
    _hours(fleet, "BAC-12", "fill_level", [10, 20, 30, 40])
    _hours(fleet, "PL-07", "occupied", [0, 1, 1, 0])
    _hours(fleet, "PLAGE-1", "people_count", [5, 50, 80])
    _hours(fleet, "AIR-1", "no2", [21.0, 23.0])
    return fleet


@pytest.mark.django_db
def test_dashboard_shows_every_indicator(data, world, client, django_assert_max_num_queries):
    """The dashboard shows water, night flows, bins, parking and counts, with a bounded
    number of queries."""
    client.force_login(world.agent_saint_amand)
    with django_assert_max_num_queries(40):
        response = client.get("/capteurs/saint-amand-montrond/")
    body = response.content.decode()
    assert response.status_code == 200
    for title in (
        "Eau : volumes des compteurs",
        "Eau : débit minimum de nuit par secteur",
        "Conteneurs : remplissage",
        "Stationnement",
        "Fréquentation",
        "Qualité de l'air (moyennes des 24 dernières heures, µg/m³)",
    ):
        assert title in body


@pytest.mark.django_db
def test_map_lists_located_devices_with_state(data, world, client):
    """The GeoJSON has the located devices; a device with an active alert is red."""
    device = Device.objects.get(external_id="SAM-0042")
    device.latitude, device.longitude = 46.72, 2.5
    device.save()
    actions.open_alert(
        world.saint_amand, kind=AlertKind.CONTINUOUS_FLOW, device=device, title="F", started_at=NOW
    )
    client.force_login(world.agent_saint_amand)
    features = client.get("/capteurs/saint-amand-montrond/carte.geojson").json()["features"]
    assert [(f["properties"]["title"], f["properties"]["state"]) for f in features] == [
        ("Capteur SAM-0042", "alert")
    ]


@pytest.mark.django_db
def test_agent_acknowledges_then_closes_through_the_pages(fleet, world, client):
    """The alert page's buttons move the alert along its lifecycle."""
    alert = actions.open_alert(
        world.saint_amand,
        kind=AlertKind.SILENT,
        device=Device.objects.get(external_id="AIR-1"),
        title="Muet",
        started_at=NOW - datetime.timedelta(days=2),
    )
    client.force_login(world.agent_saint_amand)
    base = f"/capteurs/saint-amand-montrond/alertes/{alert.pk}/"
    client.post(base + "prise-en-compte/", {"note": "Pile à changer"})
    alert.refresh_from_db()
    assert (alert.status, alert.note) == (AlertStatus.ACKNOWLEDGED, "Pile à changer")
    client.post(base + "cloture/")
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CLOSED


@pytest.mark.django_db
def test_elu_sees_but_cannot_close(fleet, world, client):
    """An élu of the commune reads alerts but cannot change them."""
    from territoria.accounts.enums import Role
    from tests.factories import make_member

    elu = make_member(world.saint_amand, Role.ELU, "elu@saint-amand.fr")
    alert = actions.open_alert(
        world.saint_amand,
        kind=AlertKind.SILENT,
        device=Device.objects.first(),
        title="Muet",
        started_at=NOW,
    )
    client.force_login(elu)
    assert client.get(alert.get_absolute_url()).status_code == 200
    assert client.post(alert.get_absolute_url() + "cloture/").status_code == 403
    assert Alert.objects.get().status == AlertStatus.OPEN


@pytest.mark.django_db
def test_csv_upload_page_reports_bad_lines(fleet, world, client):
    """The agent's upload page lists each refused line and stores nothing."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.agent_saint_amand)
    text = (
        b"device,quantity,timestamp,value\n"
        b"SAM-0042,water_volume,2025-03-15T00:00:00Z,1\n"
        b"NOPE,water_volume,2025-03-15T00:00:00Z,1\n"
    )
    response = client.post(
        "/capteurs/saint-amand-montrond/envoi-csv/", {"file": SimpleUploadedFile("r.csv", text)}
    )
    body = response.content.decode()
    assert "capteur inconnu : NOPE" in body
    assert "Lot refusé : 1 élément invalide" in body
    ok = b"device,quantity,timestamp,value\nSAM-0042,water_volume,2025-03-15T00:00:00Z,1\n"
    response = client.post(
        "/capteurs/saint-amand-montrond/envoi-csv/", {"file": SimpleUploadedFile("r.csv", ok)}
    )
    assert "1 relevés reçus, 1 nouveaux enregistrés." in response.content.decode()


@pytest.mark.django_db
def test_new_fleet_key_is_shown_once(world, client):
    """Creating a fleet shows its key on that answer only; the fleet page never does."""
    client.force_login(world.agent_saint_amand)
    response = client.post("/capteurs/saint-amand-montrond/flottes/", {"name": "Compteurs d'eau"})
    body = response.content.decode()
    fleet = Fleet.objects.get(name="Compteurs d'eau")
    assert f"trk_{fleet.key_prefix}_" in body
    again = client.get(f"/capteurs/saint-amand-montrond/flottes/{fleet.pk}/").content.decode()
    assert f"trk_{fleet.key_prefix}_" not in again


@pytest.mark.django_db
def test_public_page_of_a_public_site_only(data, world, client):
    """A public site's counts are open to visitors; a private site's are not."""
    from territoria.sensors.models import Site

    beach = Site.objects.get(name="Berges du Cher")
    assert client.get(f"/capteurs/public/saint-amand-montrond/sites/{beach.pk}/").status_code == 200
    api = client.get(f"/api/capteurs/public/saint-amand-montrond/sites/{beach.pk}").json()
    assert api["site"] == "Berges du Cher"
    private = Site.objects.get(name="Secteur Centre")
    assert (
        client.get(f"/capteurs/public/saint-amand-montrond/sites/{private.pk}/").status_code == 404
    )


@pytest.mark.django_db
def test_measured_savings_page(data, world, client):
    """The savings page compares a baseline and a recent period from the rollups."""
    from territoria.sensors.enums import DeviceKind, Quantity
    from territoria.sensors.links import measured_savings
    from territoria.sensors.models import SavingsMeasure

    today = NOW.date()
    SavingsMeasure.objects.create(
        collectivite=world.saint_amand,
        use_case_slug="capteurs-fuites-eau",
        label="Bâtiments",
        device_kind=DeviceKind.WATER_METER,
        quantity=Quantity.WATER_VOLUME,
        baseline_start=today - datetime.timedelta(days=1),
        baseline_end=today - datetime.timedelta(days=1),
        current_start=today,
        current_end=today,
        price_per_unit=4.0,
        price_source="Tarif communal 2025",
    )
    rows = measured_savings(world.saint_amand)
    assert rows[0]["use_case_slug"] == "capteurs-fuites-eau"
    assert rows[0]["unit"] == "m³ par jour"
    assert "Tarif communal 2025" in rows[0]["source"]
    client.force_login(world.agent_saint_amand)
    assert "Bâtiments" in client.get("/capteurs/saint-amand-montrond/economies/").content.decode()


@pytest.mark.django_db
def test_leak_page_gives_the_cost_its_price_source_and_where_to_correct_it(fleet, world, client):
    """A leak's page shows the water lost, its cost, the price's source and the profile link."""
    alert = actions.open_alert(
        world.saint_amand,
        kind=AlertKind.CONTINUOUS_FLOW,
        device=Device.objects.get(external_id="SAM-0042"),
        title="Fuite",
        started_at=timezone.now() - datetime.timedelta(hours=10),
        leak_m3_per_hour=0.5,
        price_per_m3=4.34,
        price_source=str(actions.NATIONAL_WATER_SOURCE),
    )
    client.force_login(world.agent_saint_amand)
    page = client.get(f"/capteurs/saint-amand-montrond/alertes/{alert.pk}/").content.decode()
    assert "5,0 m³" in page and "22 € à 4,34 €/m³" in page
    assert "Observatoire des services publics d&#x27;eau" in page
    assert 'href="/feuille-de-route/c/saint-amand-montrond/profil/"' in page


@pytest.mark.django_db
def test_sensors_home_tells_a_visitor_what_members_find_and_lists_public_sites(
    fleet, world, client
):
    """A visitor sees the public real-time sites and how members reach their dashboards."""
    page = client.get("/capteurs/").content.decode()
    assert "Berges du Cher — Saint-Amand-Montrond" in page
    assert 'href="/compte/connexion/?next=/capteurs/"' in page
    client.force_login(world.agent_saint_amand)
    page = client.get("/capteurs/").content.decode()
    assert 'href="/capteurs/saint-amand-montrond/"' in page
    assert "?next=/capteurs/" not in page


@pytest.mark.django_db
def test_alert_list_gives_each_leak_its_water_lost_and_cost(fleet, world, client):
    """The list shows a leak's m³ and € next to it; a silent sensor has neither."""
    device = Device.objects.get(external_id="SAM-0042")
    actions.open_alert(
        world.saint_amand,
        kind=AlertKind.CONTINUOUS_FLOW,
        device=device,
        title="Fuite du stade",
        started_at=timezone.now() - datetime.timedelta(hours=100),
        leak_m3_per_hour=1.0,
        price_per_m3=4.0,
        price_source="Factures",
    )
    actions.open_alert(
        world.saint_amand, kind=AlertKind.SILENT, device=device, title="Muet", started_at=NOW
    )
    client.force_login(world.agent_saint_amand)
    page = client.get("/capteurs/saint-amand-montrond/alertes/").content.decode()
    listing = page.split('id="summary-title"')[0]
    rows = re.findall(r"<tr>(.*?)</tr>", listing, re.S)
    cells = {
        re.search(r">([^<]+)</a>", row).group(1): re.findall(r"<td>\s*([^<]*?)\s*</td>", row)
        for row in rows[1:]
    }
    assert cells["Fuite du stade"][-2:] == ["100,0", "400"]
    assert cells["Muet"][-2:] == ["—", "—"]


@pytest.mark.django_db
def test_device_page_shows_every_quantity_it_sends(fleet, world, client):
    """An air sensor's page charts its pollutants together and its battery apart, with
    a column per quantity in the figures."""
    _hours(fleet, "AIR-1", "pm10", [18.0, 22.0])
    _hours(fleet, "AIR-1", "no2", [30.0, 34.0])
    _hours(fleet, "AIR-1", "battery", [3.6])
    device = Device.objects.get(external_id="AIR-1")
    client.force_login(world.agent_saint_amand)
    page = client.get(device.get_absolute_url()).content.decode()
    titles = re.findall(r"<title id=\"[^\"]+\">([^<]+)</title>", page)
    assert titles == [
        "Particules PM10, Dioxyde d&#x27;azote par heure, 7 derniers jours",
        "Tension de la pile par heure, 7 derniers jours",
    ]
    headers = re.findall(r"<th scope=\"col\">\s*([^<]+?)\s*</th>", page)
    assert [" ".join(h.split()) for h in headers] == [
        "Heure",
        "Particules PM10 (µg/m³)",
        "Dioxyde d&#x27;azote (µg/m³)",
        "Tension de la pile (V)",
    ]
    first_row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", page, re.S).group(1)
    assert [" ".join(c.split()) for c in re.findall(r"<td>(.*?)</td>", first_row, re.S)] == [
        "22,00",
        "34,00",
        "3,60",
    ]


@pytest.mark.django_db
def test_page_of_a_device_that_never_sent_anything(fleet, world, client):
    """A new device's page opens, says it never sent and has no figures."""
    client.force_login(world.agent_saint_amand)
    page = client.get(Device.objects.get(external_id="BAC-12").get_absolute_url())
    assert page.status_code == 200 and "jamais" in page.content.decode()


EMAILS = "/capteurs/saint-amand-montrond/alertes/courriels/"


def _checked(page: str) -> list[str]:
    return re.findall(r'value="(\w+)"[^>]*\bchecked', page)


@pytest.mark.django_db
def test_agent_chooses_the_alerts_they_receive_by_email(fleet, world, client):
    """Every kind is ticked at first; unticking keeps only the chosen ones."""
    client.force_login(world.agent_saint_amand)
    assert _checked(client.get(EMAILS).content.decode()) == list(AlertKind.values)
    response = client.post(EMAILS, {"kinds": ["bin_full", "stuck"]}, follow=True)
    page = response.content.decode()
    assert "Vos choix sont enregistrés." in page
    assert _checked(page) == ["bin_full", "stuck"]
    assert actions.alert_emails(world.admin_saint_amand, world.saint_amand) == list(
        AlertKind.values
    )


@pytest.mark.django_db
def test_unknown_alert_kind_is_refused_and_nothing_changes(fleet, world, client):
    """A forged kind gets a French error and the earlier choice stays."""
    client.force_login(world.agent_saint_amand)
    client.post(EMAILS, {"kinds": ["silent"]})
    response = client.post(EMAILS, {"kinds": ["bin_full", "nimporte"]})
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert actions.alert_emails(world.agent_saint_amand, world.saint_amand) == ["silent"]


@pytest.mark.django_db
def test_an_elu_is_told_alert_emails_go_to_agents(world, client):
    """An élu sees why there is nothing to choose, and cannot post a choice."""
    from territoria.accounts.enums import Role
    from tests.factories import make_member

    elu = make_member(world.saint_amand, Role.ELU, "elu@saint-amand.fr")
    client.force_login(elu)
    page = client.get(EMAILS).content.decode()
    assert "elles vont aux agents et aux administrateurs" in page
    assert 'name="kinds"' not in page
    assert client.post(EMAILS, {"kinds": []}).status_code == 403


@pytest.mark.django_db
def test_air_table_gives_24_hour_means_and_flags_those_above_the_who_guideline(
    fleet, world, client
):
    """PM2.5 averaging 20 µg/m³ over the last 24 hours is flagged; NO₂ at 22 is not."""
    _hours(fleet, "AIR-1", "pm25", [10.0, 30.0] * 12)
    _hours(fleet, "AIR-1", "no2", [21.0, 23.0])
    rows = indicators.air_quality([Device.objects.get(external_id="AIR-1")])
    assert rows[0]["cells"] == [(None, False), (20.0, True), (22.0, False), (None, False)]
    client.force_login(world.agent_saint_amand)
    page = client.get("/capteurs/saint-amand-montrond/").content.decode()
    assert page.count("au-dessus du repère OMS sur 24 h") == 1


@pytest.mark.django_db
def test_alert_page_sums_up_the_last_90_days_per_kind(fleet, world, client):
    """Counts and median delays to acknowledge and to close, per kind, over 90 days."""
    now = timezone.now()
    air, meter = (Device.objects.get(external_id=e) for e in ("AIR-1", "SAM-0042"))

    def alert(kind, device, days_ago, ack=None, close=None):
        opened = now - datetime.timedelta(days=days_ago)
        Alert.objects.create(
            collectivite=world.saint_amand, kind=kind, device=device, title=kind,
            started_at=opened, opened_at=opened,
            acknowledged_at=ack and opened + datetime.timedelta(hours=ack),
            closed_at=close and opened + datetime.timedelta(hours=close),
            status=AlertStatus.CLOSED if close else AlertStatus.ACKNOWLEDGED if ack
            else AlertStatus.OPEN,
        )  # fmt: skip

    alert(AlertKind.SILENT, air, 10, ack=2, close=4)
    alert(AlertKind.SILENT, air, 5, ack=4)
    alert(AlertKind.SILENT, air, 200, ack=1, close=1)  # older than 90 days
    alert(AlertKind.CONTINUOUS_FLOW, meter, 1)
    assert indicators.alert_summary(world.saint_amand, now) == [
        {"kind": "Capteur muet", "opened": 2, "closed": 1, "median_ack_hours": 3.0,
         "median_close_hours": 4.0},
        {"kind": "Débit continu (fuite après compteur)", "opened": 1, "closed": 0,
         "median_ack_hours": None, "median_close_hours": None},
    ]  # fmt: skip
    client.force_login(world.agent_saint_amand)
    page = client.get("/capteurs/saint-amand-montrond/alertes/").content.decode()
    summary = page.split('id="summary-title"')[1]
    cells = [" ".join(c.split()) for c in re.findall(r"<td>(.*?)</td>", summary, re.S)]
    assert cells == ["2", "1", "3,0 h", "4,0 h", "1", "0", "—", "—"]


@pytest.mark.django_db
def test_an_elu_reads_dashboards_but_sees_no_keys_nor_uploads(fleet, world, client):
    """Fleets (their keys and connection addresses) and file uploads are the agents'
    work: an élu gets neither the links nor the pages; the agent gets both."""
    from django.urls import reverse

    from territoria.accounts.enums import Role
    from tests.factories import make_member

    town = {"slug": world.saint_amand.slug}
    pages = [
        reverse("sensors:fleets", kwargs=town),
        reverse("sensors:fleet", kwargs=town | {"pk": fleet.pk}),
        reverse("sensors:upload", kwargs=town),
        reverse("sensors:device_import", kwargs=town | {"pk": fleet.pk}),
    ]
    client.force_login(make_member(world.saint_amand, Role.ELU, "elu@saint-amand.fr"))
    dashboard = client.get(reverse("sensors:dashboard", kwargs=town)).content.decode()
    assert "Flottes et raccordement" not in dashboard and "Envoyer un fichier" not in dashboard
    assert [client.get(url).status_code for url in pages] == [403] * 4
    client.force_login(world.agent_saint_amand)
    dashboard = client.get(reverse("sensors:dashboard", kwargs=town)).content.decode()
    assert "Flottes et raccordement" in dashboard
    assert [client.get(url).status_code for url in pages] == [200] * 4
