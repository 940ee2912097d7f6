"""Measured savings beside planned ones, like for like: same perimeter, a year, the
same price, the gap said in words; a project measured before its year is « réalisé »."""

import csv
import datetime
import io
import subprocess

from django.urls import reverse
from django.utils import timezone

import pytest

from territoria.roadmap import demo as roadmap_demo
from territoria.roadmap.measured import compare
from territoria.roadmap.models import Scenario
from territoria.roadmap.templatetags.roadmap_tags import eur
from territoria.sensors import ingest
from territoria.sensors.enums import DeviceKind, Quantity
from territoria.sensors.models import SavingsMeasure
from tests.sensors.factories import make_device, make_fleet

ECO = {
    "saving": [40_250, 40_250, 40_250],
    "has_saving": True,
    "units": 99,
    "unit_label": "compteurs communaux",
    "saving_percent": [35, 35, 35],
}
MEASURE = {
    "use_case_slug": "capteurs-fuites-eau",
    "saving_per_year_eur": 16_000.0,
    "saving_percent": 34.0,
    "current_period": (datetime.date(2026, 8, 1), datetime.date(2026, 12, 6)),
    "device_count": 24,
    "current_days": 128,
    "saved_per_year": 4_000.0,
    "volume_unit": "m³",
    "price_per_unit": 4.0,
    "price_source": "Tarif communal",
    "source": "Mesuré par 24 capteurs",
}


def test_the_gap_is_explained_by_perimeter_period_and_share():
    """24 meters measured of 99 planned: the plan's saving on those 24 is set beside the
    measured one, annualised from its days, with both shares of consumption."""
    found = compare(ECO, [MEASURE], planned_year=2027, profile_price=4.0)
    assert found["planned_on_perimeter"] == pytest.approx(40_250 * 24 / 99)
    assert found["eur_per_year"] == 16_000
    assert found["at_profile_price"] is None
    text = found["explanation"]
    assert "24 appareils mesurés sur 99 compteurs communaux prévus" in text
    assert "128 jours mesurés depuis le 01/08/2026" in text
    assert "× 365 jours" in text
    assert "35 % prévus, 34 % mesurés" in text


def test_both_prices_are_shown_when_they_differ():
    """A measure priced at 4 €/m³ against a profile at 4,50 €/m³ shows both values."""
    found = compare(ECO, [MEASURE], planned_year=2027, profile_price=4.5)
    assert found["at_profile_price"] == pytest.approx(18_000)
    assert "4,5 € par m³" in found["explanation"]
    assert "18\u00a0000 €" in found["explanation"]


def test_a_project_measured_before_its_year_is_realised_from_its_first_day():
    """Savings measured since 2026 on a project planned for 2027: réalisé depuis 2026."""
    found = compare(ECO, [MEASURE], planned_year=2027)
    assert found["realised"] and found["since_year"] == 2026
    later = compare(ECO, [MEASURE], planned_year=2026)
    assert not later["realised"]


def test_a_project_locked_done_starts_at_its_lock_year():
    """A project locked as done in 2024 and measured since 2026 is réalisé depuis 2024."""
    found = compare(ECO, [MEASURE], planned_year=2027, lock="done", lock_year=2024)
    assert found["realised"] and found["since_year"] == 2024


def test_no_price_no_comparison():
    """A measure without a price gives no euro comparison."""
    assert compare(ECO, [MEASURE | {"saving_per_year_eur": None}], planned_year=2027) is None


DAY = 86400


def _daily(fleet, devices, days_ago, litres):
    """One reading a day at noon for each device, `days_ago` days before today."""
    today = int(timezone.now().timestamp()) // DAY * DAY
    rows = [(d, today - n * DAY + DAY // 2, litres) for d in devices for n in days_ago]
    ingest.ingest(
        ingest.Items(
            devices=[r[0] for r in rows],
            quantities=["water_volume"] * len(rows),
            timestamps=[r[1] for r in rows],
            values=[r[2] for r in rows],
            units=[None] * len(rows),
            labels=list(range(len(rows))),
        ),
        ingest.device_directory(fleet.collectivite_id, fleet.pk),
    )


@pytest.fixture
def saint_amand(shipped):
    """The demo plan, and 4 building meters using a third less water for 30 days."""
    roadmap_demo.load([shipped.saint_amand])
    fleet, _key = make_fleet(shipped.saint_amand, "Réseau de la ville")
    meters = [f"SAM-EAU-{i}" for i in range(4)]
    for name in meters:
        make_device(fleet, name, DeviceKind.WATER_METER)
    _daily(fleet, meters, range(200, 230), 1500.0)
    _daily(fleet, meters, range(1, 31), 1000.0)
    today = timezone.now().date()
    SavingsMeasure.objects.create(
        collectivite=shipped.saint_amand,
        use_case_slug="capteurs-fuites-eau",
        label="Bâtiments communaux",
        device_kind=DeviceKind.WATER_METER,
        quantity=Quantity.WATER_VOLUME,
        baseline_start=today - datetime.timedelta(days=229),
        baseline_end=today - datetime.timedelta(days=200),
        current_start=today - datetime.timedelta(days=30),
        current_end=today - datetime.timedelta(days=1),
        price_per_unit=3.5,
        price_source="Tarif communal 2025",
    )
    return Scenario.objects.get(collectivite=shipped.saint_amand)


@pytest.mark.django_db
def test_the_plan_page_and_pdf_show_the_like_for_like_comparison(
    saint_amand, client, shipped, tmp_path
):
    """Saint-Amand's leak project, measured by 4 building meters since before its
    planned year, reads « réalisé depuis » with the gap and both prices explained, on
    the page and in the PDF."""
    measure = SavingsMeasure.objects.get(collectivite=shipped.saint_amand)
    client.force_login(shipped.agent_saint_amand)
    response = client.get(saint_amand.get_absolute_url())
    item = next(p for p in response.context["planned"] if p["slug"] == "capteurs-fuites-eau")
    found = item["measured"]
    assert found["devices"] == 4 and found["days"] == 30
    assert found["units_planned"] == item["eco"]["units"] == 99
    # 4 meters × 500 L a day × 365 days = 730 m³ a year, at 3,50 € and at the profile's.
    assert found["eur_per_year"] == 2555
    assert found["at_profile_price"] == pytest.approx(730 * 115_000 / 28_000, rel=1e-4)
    assert found["measured_percent"] == pytest.approx(33.3, abs=0.1)
    page = " ".join(response.content.decode().split())
    assert f"réalisé depuis {measure.current_start.year}" in page
    assert "4 appareils mesurés sur 99 compteurs communaux prévus" in page
    assert "35 % prévus, 33,3 % mesurés" in page
    story = " ".join(str(sentence) for sentence in response.context["story"])
    assert f"</a> est en service depuis {found['since_year']}" in story
    assert f"{eur(2555)} par an" in story
    assert 'le plan commence par <a href="/catalogue/cas-d-usage/capteurs-fuites-eau/' not in story
    pdf = client.get(
        reverse(
            "roadmap:scenario_pdf", kwargs={"slug": "saint-amand-montrond", "pk": saint_amand.pk}
        )
    )
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = " ".join(text.split())
    assert f"réalisé depuis {measure.current_start.year}" in text
    assert "4 appareils mesurés sur 99 compteurs communaux prévus" in text.replace("\xa0", " ")


@pytest.mark.django_db
def test_the_projects_csv_carries_the_same_comparison(saint_amand, client, shipped):
    """The projects CSV gives, per project, the planned and measured savings, the
    perimeter, days, both prices and the sentence the page shows."""
    client.force_login(shipped.agent_saint_amand)
    response = client.get(
        reverse(
            "roadmap:scenario_projects_csv",
            kwargs={"slug": "saint-amand-montrond", "pk": saint_amand.pk},
        )
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    water = next(r for r in rows if r["cas_usage"] == "capteurs-fuites-eau")
    page = client.get(saint_amand.get_absolute_url()).context["planned"]
    shown = next(p for p in page if p["slug"] == "capteurs-fuites-eau")["measured"]
    assert water["statut"] == "realise"
    assert water["realise_depuis"] == str(shown["since_year"])
    assert water["economie_mesuree_eur_par_an"] == "2555.00"
    assert water["appareils_mesures"] == "4" and water["unites_prevues"] == "99"
    assert water["jours_mesures"] == "30"
    assert water["prix_mesure_eur"] == "3.5000"
    assert water["explication"] == shown["explanation"]
    others = [r for r in rows if r["cas_usage"] != "capteurs-fuites-eau"]
    assert others and all(r["statut"] == "prevu" for r in others)


@pytest.mark.django_db
def test_other_modules_read_the_same_comparison(saint_amand, client, shipped):
    """The roadmap's public link gives the sensors page the comparison the plan shows."""
    from territoria.roadmap.links import measured_comparisons

    client.force_login(shipped.agent_saint_amand)
    page = client.get(saint_amand.get_absolute_url()).context["planned"]
    shown = next(p for p in page if p["slug"] == "capteurs-fuites-eau")["measured"]
    assert measured_comparisons(shipped.saint_amand)["capteurs-fuites-eau"] == shown
