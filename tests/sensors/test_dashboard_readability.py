"""Sensors dashboards read right: French names, places in natural order, parking stays
and overstays, a crowd level against the site's capacity, a map legend that matches
the markers."""

import datetime
import re
import zoneinfo

from django.utils import timezone

import numpy as np
import pytest

from territoria.french import de, natural_key
from territoria.sensors import indicators, ingest
from territoria.sensors.enums import DeviceKind, SiteKind
from territoria.sensors.models import Device
from tests.factories import make_collectivite, make_commune, make_member
from tests.sensors.factories import make_device, make_fleet, make_site

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
HOUR = 3600


def _send(fleet, readings):
    """Ingest (external id, quantity, epoch s, value) rows through the ingestion path."""
    ingest.ingest(
        ingest.Items(
            devices=[r[0] for r in readings],
            quantities=[r[1] for r in readings],
            timestamps=[r[2] for r in readings],
            values=[float(r[3]) for r in readings],
            units=[None] * len(readings),
            labels=list(range(len(readings))),
        ),
        ingest.device_directory(fleet.collectivite_id, fleet.pk),
    )


def _words(html: str) -> str:
    """The page's text, one space between words."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("Arras", "d'Arras", id="vowel_case"),
        pytest.param("Hyères", "d'Hyères", id="mute_h_case"),
        pytest.param("Haguenau", "de Haguenau", id="aspirated_h_case"),
        pytest.param("Le Mans", "du Mans", id="le_case"),
        pytest.param("Les Sables-d'Olonne", "des Sables-d'Olonne", id="les_case"),
        pytest.param("La Baule-Escoublac", "de La Baule-Escoublac", id="la_case"),
        pytest.param("Saint-Amand-Montrond", "de Saint-Amand-Montrond", id="consonant_case"),
        pytest.param("Évreux", "d'Évreux", id="accented_vowel_case"),
    ],
)
def test_de_elides_and_contracts_like_french(name, expected):
    """« de » elides before a vowel or a mute h and contracts with le and les."""
    assert de(name) == expected


def test_natural_key_puts_place_2_before_place_10():
    """Numbered names sort by their number, not digit by digit."""
    names = ["Place 10", "Place 2", "place 1", "Place 11", "Parking"]
    assert sorted(names, key=natural_key) == [
        "Parking",
        "place 1",
        "Place 2",
        "Place 10",
        "Place 11",
    ]


@pytest.mark.django_db
def test_dashboard_title_elides_before_a_vowel(world, client):
    """Arras' dashboard is titled « Capteurs d'Arras », never « Capteurs de Arras »."""
    arras = make_collectivite(make_commune("62041", "Arras", dep="62", reg="32"), "arras")
    client.force_login(make_member(arras, email="agent@arras.fr"))
    body = client.get("/capteurs/arras/").content.decode()
    assert re.search(r"<h1>\s*Capteurs d&#x27;Arras\s*</h1>", body)
    assert "Capteurs de Arras" not in body


@pytest.mark.django_db
def test_site_page_and_fleet_list_places_in_natural_order(world, client):
    """A car park's places are listed 1, 2, 10 on its page and its fleet's page."""
    fleet, _key = make_fleet(world.saint_amand)
    park = make_site(world.saint_amand, "Parking du marché", SiteKind.CAR_PARK)
    for number in (10, 2, 1):
        make_device(fleet, f"P{number}", DeviceKind.PARKING_SPOT, site=park, name=f"Place {number}")
    client.force_login(world.agent_saint_amand)
    for url in (park.get_absolute_url(), f"/capteurs/saint-amand-montrond/flottes/{fleet.pk}/"):
        body = client.get(url).content.decode()
        assert re.findall(r"Place \d+", body) == ["Place 1", "Place 2", "Place 10"]


def test_stays_are_the_occupied_stretches_that_ended():
    """A stay runs from the reading that sees the place taken to the one that sees it free;
    a stay already going at the first reading or still going is left out, and another
    place's free reading never ends it."""
    devices = [1, 1, 1, 1, 1, 1, 2, 2, 2]
    ts = [0, 3600, 10800, 14400, 16200, 18000, 0, 3600, 7200]
    occupied = [0, 1, 0, 1, 0, 1, 1, 0, 1]
    device, start, end = indicators.stays(devices, ts, occupied)
    assert device.tolist() == [1, 1]
    assert (end - start).tolist() == [7200, 1800]
    _device, start, end = indicators.stays([1, 2], [0, 60], [1, 0])
    assert len(start) == 0
    assert [len(a) for a in indicators.stays([], [], [])] == [0, 0, 0]


@pytest.mark.django_db
def test_parking_median_stay_and_overstay_share(world):
    """Stays of 2 h and 30 min under a 1 h limit: median 75 min, half of them too long;
    today counts the stays that ended today only."""
    fleet, _key = make_fleet(world.saint_amand)
    park = make_site(
        world.saint_amand, "Parking", SiteKind.CAR_PARK, capacity=2, max_stay_minutes=60
    )
    spots = [make_device(fleet, f"S{i}", DeviceKind.PARKING_SPOT, site=park) for i in (1, 2)]
    now = datetime.datetime(2026, 7, 1, 18, 0, tzinfo=PARIS)
    morning = int(datetime.datetime(2026, 7, 1, 9, 0, tzinfo=PARIS).timestamp())
    yesterday = morning - 24 * HOUR
    _send(
        fleet,
        [
            ("S1", "occupied", yesterday, 0),
            ("S1", "occupied", yesterday + HOUR, 1),
            ("S1", "occupied", yesterday + 2 * HOUR, 0),  # 1 h yesterday: not too long
            ("S1", "occupied", morning, 1),
            ("S1", "occupied", morning + 2 * HOUR, 0),  # 2 h today: too long
            ("S2", "occupied", morning, 0),
            ("S2", "occupied", morning + HOUR, 1),
            ("S2", "occupied", morning + HOUR + 1800, 0),  # 30 min today
            ("S2", "occupied", morning + 3 * HOUR, 1),  # still there
        ],
    )
    spots = list(Device.objects.filter(pk__in=[s.pk for s in spots]))
    figures = indicators.parking(park, spots, now)
    assert figures["max_stay_minutes"] == 60
    assert figures["stays_today"] == {"count": 2, "median_minutes": 75.0, "overstay_share": 0.5}
    assert figures["stays_week"] == {"count": 3, "median_minutes": 60.0, "overstay_share": 1 / 3}
    assert figures["turnover"] == 1.5  # three arrivals today on two places
    park.max_stay_minutes = None
    default = indicators.parking(park, spots, now)
    assert default["max_stay_minutes"] == 120
    assert default["stays_today"]["overstay_share"] == 0.0


@pytest.mark.django_db
def test_dashboard_shows_parking_stays(world, client):
    """The car park's card gives the median stay and the share of overstays."""
    fleet, _key = make_fleet(world.saint_amand)
    park = make_site(world.saint_amand, "Parking", SiteKind.CAR_PARK, max_stay_minutes=60)
    make_device(fleet, "S1", DeviceKind.PARKING_SPOT, site=park)
    start = (int(timezone.now().timestamp()) // HOUR - 60) * HOUR
    _send(
        fleet,
        [
            ("S1", "occupied", start, 0),
            ("S1", "occupied", start + HOUR, 1),
            ("S1", "occupied", start + 3 * HOUR, 0),
            ("S1", "occupied", start + 4 * HOUR, 1),
            ("S1", "occupied", start + 4 * HOUR + 1800, 0),
        ],
    )
    client.force_login(world.agent_saint_amand)
    body = client.get("/capteurs/saint-amand-montrond/").content.decode()
    medians = re.findall(r"data-stay-median>\s*([^<]*?)\s*<", body)
    overstays = re.findall(r"data-stay-overstay>\s*([^<]*?)\s*<", body)
    assert medians[1] == "75 min"
    assert overstays[1] == "50&nbsp;%"
    assert "Au-delà de la durée maximale (60 min)" in _words(body)


@pytest.mark.parametrize(
    ("present", "level", "label"),
    [
        pytest.param(0, "calm", "calme", id="empty_case"),
        pytest.param(499, "calm", "calme", id="under_half_case"),
        pytest.param(500, "busy", "fréquentée", id="half_case"),
        pytest.param(849, "busy", "fréquentée", id="under_85_case"),
        pytest.param(850, "saturated", "saturée", id="from_85_case"),
        pytest.param(1200, "saturated", "saturée", id="over_capacity_case"),
    ],
)
def test_crowd_level_thresholds(present, level, label):
    """Calm under 50 % of the capacity, busy up to 85 %, saturated from 85 %."""
    crowd = indicators.crowd_level(present, 1000)
    assert (crowd["level"], crowd["label"], crowd["present"]) == (level, label, present)


def test_no_crowd_level_without_capacity():
    """A site without a capacity shows its counts, and no level."""
    assert indicators.crowd_level(100, None) is None


@pytest.mark.django_db
def test_public_page_and_api_give_the_crowd_level_with_the_number(world, client):
    """The beach page titles « Fréquentation — Plage (commune) », and shows « saturée »
    with the number present against the capacity; its JSON gives the same."""
    fleet, _key = make_fleet(world.saint_amand)
    beach = make_site(
        world.saint_amand, "Plage du Cher", SiteKind.BEACH, is_public=True, capacity=100
    )
    make_device(fleet, "PLAGE-1", DeviceKind.PEOPLE_COUNTER, site=beach)
    _send(fleet, [("PLAGE-1", "people_count", int(timezone.now().timestamp()) // HOUR * HOUR, 90)])
    body = client.get(f"/capteurs/public/saint-amand-montrond/sites/{beach.pk}/").content.decode()
    assert "Fréquentation — Plage du Cher (Saint-Amand-Montrond)" in body
    assert "Fréquentation de" not in body
    text = _words(body)
    assert re.search(r"saturée — environ 90 personnes pour 100 places", text)
    api = client.get(f"/api/capteurs/public/saint-amand-montrond/sites/{beach.pk}").json()
    assert api["crowd"] == {
        "level": "saturated",
        "label": "saturée",
        "present": 90,
        "capacity": 100,
        "share": 0.9,
    }
    client.force_login(world.agent_saint_amand)
    dashboard = _words(client.get("/capteurs/saint-amand-montrond/").content.decode())
    assert "Plage du Cher : saturée — environ 90 personnes pour 100 places" in dashboard


@pytest.mark.django_db
def test_map_legend_draws_the_markers_symbols(world, client):
    """The legend shows each state's symbol (colour, shape and glyph), not colour words."""
    fleet, _key = make_fleet(world.saint_amand)
    make_device(fleet, "SAM-1", latitude=46.72, longitude=2.5)
    client.force_login(world.agent_saint_amand)
    body = client.get("/capteurs/saint-amand-montrond/").content.decode()
    legend = re.search(r'<ul class="map-legend".*?</ul>', body, re.S).group(0)
    symbols = re.findall(
        r'class="map-symbol map-symbol-(\w+)" aria-hidden="true">(.)</span>', legend
    )
    assert symbols == [("ok", "✓"), ("warn", "?"), ("alert", "!")]
    assert "Vert :" not in body and "orange" not in body


def test_stays_match_a_reading_by_reading_walk():
    """On random readings of several places, the vectorised stays are exactly those a
    walk through the readings finds."""
    rng = np.random.default_rng(1)
    devices = np.repeat(np.arange(5), 400)
    ts = np.tile(np.arange(400) * 600, 5)
    occupied = (rng.random(len(ts)) < 0.6).astype(float)
    expected, begun = [], None
    for i in range(len(ts)):
        if i and devices[i] != devices[i - 1]:
            begun = None
        first = i == 0 or devices[i] != devices[i - 1]
        if occupied[i] and not first and not occupied[i - 1]:
            begun = ts[i]
        if not occupied[i] and begun is not None:
            expected.append((devices[i], begun, ts[i]))
            begun = None
    device, start, end = indicators.stays(devices, ts, occupied)
    assert list(zip(device.tolist(), start.tolist(), end.tolist(), strict=True)) == [
        (int(d), int(b), int(e)) for d, b, e in expected
    ]
    assert len(expected) > 300
