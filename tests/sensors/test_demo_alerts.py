"""The sensors demo shows the leaks it simulates, and only those; every dashboard has
data; the live tick continues every simulated device."""

import datetime

from django.utils import timezone

import pytest

from territoria.accounts.enums import Role
from territoria.sensors import demo, indicators
from territoria.sensors.enums import AlertKind, DeviceKind
from territoria.sensors.models import Alert, Device
from tests.factories import make_collectivite, make_commune, make_member


@pytest.mark.django_db
def test_saint_amand_demo_raises_the_simulated_leaks_and_no_other(world):
    """The Gare district and the gymnasium leak; the Centre district raises nothing."""
    demo.load([world.saint_amand])
    leaks = sorted(
        (alert.kind, alert.device.name)
        for alert in Alert.objects.leaks().filter(collectivite=world.saint_amand)
    )
    assert leaks == [
        ("continuous_flow", "Gymnase municipal"),
        ("night_flow", "Débitmètre Secteur Gare"),
    ]


@pytest.fixture
def agen(world):
    commune = make_commune("47001", "Agen", population=32_000, dep="47", reg="75")
    return make_collectivite(commune, "agen")


@pytest.mark.django_db
def test_agen_demo_shows_energy_and_every_pollutant(agen, client):
    """Agen's dashboard has its buildings' energy chart and both air sensors' values."""
    demo.load([agen])
    client.force_login(make_member(agen, Role.AGENT, "agent@agen.fr"))
    page = client.get("/capteurs/agen/").content.decode()
    assert 'id="energy-title"' in page and "Hôtel de ville" in page
    assert "directive 2008/50/CE" in page and "OMS (2021) PM10 45" in page
    sensors = list(Device.objects.filter(collectivite=agen, kind=DeviceKind.AIR_QUALITY))
    rows = indicators.air_quality(sensors)
    assert [row["device"].name for row in rows] == demo.AGEN_AIR
    for row in rows:
        (pm10, _), (pm25, _), (no2, _), (o3, _) = row["cells"]
        assert 0 < pm25 < pm10 < 150 and 0 < no2 < 200 and o3 is None


@pytest.mark.django_db
def test_live_tick_continues_every_simulated_device(agen):
    """Loaded three hours ago, each device gets its three missing hours in each quantity."""
    now = timezone.now()
    demo.load([agen], now=now - datetime.timedelta(hours=3))
    current = datetime.datetime.fromtimestamp(int(now.timestamp()) // 3600 * 3600, tz=datetime.UTC)
    devices = list(Device.objects.filter(collectivite=agen))
    assert {d.kind for d in devices} == {DeviceKind.ENERGY_METER, DeviceKind.AIR_QUALITY}
    missing = {d.pk: int((current - d.last_seen_at).total_seconds()) // 3600 for d in devices}
    assert set(missing.values()) == {3}
    air = sum(1 for d in devices if d.kind == DeviceKind.AIR_QUALITY)
    assert demo.tick(now) == 3 * (len(devices) - air) + 3 * 3 * air
    assert {d.last_seen_at for d in Device.objects.filter(collectivite=agen)} == {current}
    assert demo.tick(now) == 0


@pytest.mark.django_db
def test_loading_again_adds_only_the_collectivites_without_demo_devices(agen):
    """A second load leaves Cahors' demo as it was and gives Agen its own."""
    cahors = make_collectivite(make_commune("46042", "Cahors", dep="46", reg="76"), "cahors")
    demo.load([cahors])
    first = Device.objects.filter(collectivite=cahors).count()
    demo.load([cahors, agen])
    assert Device.objects.filter(collectivite=cahors).count() == first == 10
    assert Device.objects.filter(collectivite=agen).count() == 6


@pytest.mark.django_db
def test_arras_demo_flags_its_stuck_spot_which_stays_stuck_live(world):
    """Arras' demo has one alert, « Place 7 » stuck occupied, and live data keep it so."""
    arras = make_collectivite(make_commune("62041", "Arras", dep="62", reg="32"), "arras")
    now = timezone.now()
    demo.load([arras], now=now - datetime.timedelta(hours=2))
    assert [(a.kind, a.device.name) for a in Alert.objects.filter(collectivite=arras)] == [
        (AlertKind.STUCK, "Place 7")
    ]
    demo.tick(now)
    spot = Device.objects.get(collectivite=arras, name="Place 7")
    hours = indicators.device_hours(spot, int(now.timestamp()) - 3 * 3600)
    assert list(hours[spot.main_quantity].values()) == [1.0, 1.0, 1.0]
