"""Detectors open alerts from stored readings; alerts go open -> acknowledged ->
closed, members are emailed, leaks carry their lost water and its cost."""

import datetime
import re
from decimal import Decimal

from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

import numpy as np
import pytest

from territoria.accounts.actions import ActionError
from territoria.roadmap.planning import default_profile
from territoria.sensors import actions, detection, ingest, tasks
from territoria.sensors.enums import AlertKind, AlertStatus
from territoria.sensors.links import leak_savings
from territoria.sensors.models import Alert, Device

HOUR, DAY = 3600, 86400
NOW = datetime.datetime(2025, 3, 20, 12, 0, tzinfo=datetime.UTC)
END = int(NOW.timestamp()) // HOUR * HOUR


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def send(fleet, quantity, rows):
    directory = ingest.device_directory(fleet.collectivite_id, fleet.pk)
    items = ingest.Items(
        devices=[r[0] for r in rows],
        quantities=[quantity] * len(rows),
        timestamps=[r[1] for r in rows],
        values=[r[2] for r in rows],
        units=[None] * len(rows),
        labels=list(range(len(rows))),
    )
    ingest.ingest(items, directory, now=NOW.timestamp())


def meter_hours(device, hours, volume):
    return [(device, END - HOUR * (h + 1), volume(h)) for h in range(hours)]


@pytest.mark.django_db(transaction=False)
def test_continuous_flow_opens_one_alert_with_cost_and_emails_members(
    fleet, world, django_capture_on_commit_callbacks
):
    """A meter whose nights stood still for weeks and no longer stop opens a leak alert
    (severity = rise of its night level in L/h, start = after its last idle hour, price
    labelled) once, and agents and admins get an email."""
    send(
        fleet,
        "water_volume",
        # Six litres an hour for the last 54 h; before, an idle hour every five hours.
        meter_hours("SAM-0042", 14 * 24, lambda h: 6.0 if h < 54 else (h % 5 != 4) * 20.0),
    )
    with django_capture_on_commit_callbacks(execute=True):
        opened = detection.continuous_flow(world.saint_amand, NOW)
        detection.continuous_flow(world.saint_amand, NOW)
    assert len(opened) == 1
    alert = Alert.objects.get()
    assert (alert.kind, alert.severity, alert.severity_unit) == (
        AlertKind.CONTINUOUS_FLOW,
        6.0,
        "L/h",
    )
    assert alert.started_at == datetime.datetime.fromtimestamp(END - 54 * HOUR, tz=datetime.UTC)
    assert alert.detail.startswith("Depuis 2 nuits, l'eau ne s'arrête plus la nuit")
    assert alert.detail.endswith("Débit de la fuite estimé : 6,0 L/h.")
    assert alert.leak_m3_per_hour == pytest.approx(0.006)
    assert alert.price_per_m3 > 0 and alert.price_source
    assert alert.lost_m3(NOW) == pytest.approx(0.006 * 54)
    assert sorted(m.to[0] for m in mail.outbox) == ["admin@saint-amand.fr", "agent@saint-amand.fr"]
    assert mail.outbox[0].subject == (
        "[Saint-Amand-Montrond] Alerte capteur : "
        "Fuite probable après compteur sur Capteur SAM-0042 : +6,0 L/h la nuit"
    )


@pytest.mark.django_db
def test_water_price_falls_back_to_a_labelled_national_hypothesis(world):
    """A profile still at its population defaults gives way to the sourced national price."""
    default_profile(world.niort).save()
    assert actions.water_price(world.niort, network=True) == (
        actions.NATIONAL_WATER_PRICE["network"],
        str(actions.NATIONAL_WATER_SOURCE),
    )
    assert actions.water_price(world.niort, network=False)[0] == 4.34
    assert (
        "Observatoire des services publics d'eau"
        in actions.water_price(world.niort, network=False)[1]
    )


@pytest.mark.django_db
def test_water_price_from_the_profile_says_whether_it_has_a_source(world):
    """The water bill an élu entered prices leaks; without a source it is a hypothesis."""
    profile = default_profile(world.saint_amand)
    profile.water_eur, profile.water_m3 = Decimal("115000"), Decimal("28000")
    profile.hypotheses = [h for h in profile.hypotheses if h not in ("water_eur", "water_m3")]
    profile.save()
    price, source = actions.water_price(world.saint_amand, network=True)
    assert price == pytest.approx(115000 / 28000, abs=1e-4)
    assert source == (
        "Hypothèse : factures d'eau du profil du territoire (115\xa0000 € pour 28\xa0000 m³ "
        "par an), sans source indiquée"
    )
    profile.water_source = "Factures 2025 du service des eaux"
    profile.save()
    assert actions.water_price(world.saint_amand, network=True)[1] == (
        "Profil du territoire : Factures 2025 du service des eaux"
    )


@pytest.mark.django_db
def test_night_flow_rise_opens_a_district_alert(fleet, world):
    """A district whose 02:00–04:00 flow rises 25 % above its 10-night minimum alarms."""
    hours = 17 * 24
    rows = []
    for h in range(hours):
        ts = END - HOUR * (hours - h)
        local = datetime.datetime.fromtimestamp(ts, tz=datetime.UTC).astimezone(
            __import__("zoneinfo").ZoneInfo("Europe/Paris")
        )
        night = 20.0 if local.hour in (2, 3) else 40.0
        leak = 5.0 if ts >= END - 30 * HOUR else 0.0
        rows.append(("DMA-CENTRE", ts, night * (1 + 0.01 * np.sin(h)) + leak))
    send(fleet, "flow_rate", rows)
    opened = detection.night_flow(world.saint_amand, NOW)
    assert [a.kind for a in opened] == [AlertKind.NIGHT_FLOW]
    assert opened[0].leak_m3_per_hour == pytest.approx(5.0, abs=0.5)
    assert opened[0].site.name == "Secteur Centre"


@pytest.mark.django_db
def test_full_bin_silent_device_and_threshold(fleet, world):
    """A bin above 80 %, a device silent past its delay and a value above a threshold
    each open their alert."""
    send(
        fleet, "fill_level", [("BAC-12", END - HOUR, 86.0), ("bac-place-carnot", END - HOUR, 40.0)]
    )
    Device.objects.filter(external_id="AIR-1").update(threshold=40.0)
    send(fleet, "pm10", [("AIR-1", END - HOUR, 55.0)])
    Device.objects.filter(external_id="PLAGE-1").update(created_at=NOW - datetime.timedelta(days=3))
    detection.refresh_last_seen(world.saint_amand)
    bins = detection.bins_full(world.saint_amand, NOW)
    silent = detection.silent_devices(world.saint_amand, NOW)
    over = detection.thresholds(world.saint_amand, NOW)
    assert [a.device.external_id for a in bins] == ["BAC-12"]
    assert "PLAGE-1" in {a.device.external_id for a in silent}
    assert "BAC-12" not in {a.device.external_id for a in silent}
    assert [a.device.external_id for a in over] == ["AIR-1"]


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        pytest.param(lambda h: 1.0, "occupée", id="always_occupied_case"),
        pytest.param(lambda h: 0.0, "libre", id="always_free_case"),
        pytest.param(lambda h: float(h == 40), None, id="one_change_case"),
        pytest.param(lambda h: 1.0 if h < 30 else None, None, id="silent_since_case"),
    ],
)
@pytest.mark.django_db
def test_a_spot_stuck_in_one_state_for_three_days_alarms(fleet, world, states, expected):
    """A spot sensor still sending one state for 72 h is flagged; a change, or a sensor
    that stopped sending (the silent rule's case), is not."""
    hours = [(h, states(h)) for h in range(detection.STUCK_AFTER_HOURS + 5)]
    send(fleet, "occupied", [("PL-07", END - HOUR * (h + 1), v) for h, v in hours if v is not None])
    opened = detection.stuck_spots(world.saint_amand, NOW)
    if expected is None:
        assert opened == []
        return
    assert [(a.kind, a.title) for a in opened] == [
        (AlertKind.STUCK, f"Capteur PL-07 : même état depuis au moins 72 h ({expected})")
    ]
    assert detection.stuck_spots(world.saint_amand, NOW) == [None]  # already open


@pytest.mark.django_db(transaction=False)
def test_a_member_who_muted_a_kind_gets_only_the_other_kinds(
    fleet, world, django_capture_on_commit_callbacks
):
    """An agent who unticked silent sensors still gets leaks; the admin gets both; each
    email says where to change one's choices."""
    kinds = [k for k in AlertKind.values if k != AlertKind.SILENT]
    actions.set_alert_emails(world.agent_saint_amand, world.saint_amand, kinds)
    device = Device.objects.get(external_id="SAM-0042")
    with django_capture_on_commit_callbacks(execute=True):
        actions.open_alert(
            world.saint_amand, kind=AlertKind.SILENT, device=device, title="Muet", started_at=NOW
        )
    assert [m.to for m in mail.outbox] == [["admin@saint-amand.fr"]]
    assert "/capteurs/saint-amand-montrond/alertes/courriels/" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        actions.open_alert(
            world.saint_amand, kind=AlertKind.CONTINUOUS_FLOW, device=device, title="Fuite",
            started_at=NOW,
        )  # fmt: skip
    assert sorted(m.to[0] for m in mail.outbox[1:]) == [
        "admin@saint-amand.fr",
        "agent@saint-amand.fr",
    ]


@pytest.mark.django_db
def test_only_agents_and_admins_choose_their_alert_emails(world):
    """An élu receives no alert email, so has no choice to save."""
    with pytest.raises(PermissionDenied):
        actions.set_alert_emails(world.elu_niort, world.niort, [])


@pytest.mark.django_db(transaction=False)
def test_a_leak_nobody_acknowledged_for_a_day_is_sent_again_once(
    fleet, world, django_capture_on_commit_callbacks
):
    """After 24 h still open, a leak is emailed again with the water lost so far; an
    acknowledged alert is not, and the reminder is sent only once."""
    device = Device.objects.get(external_id="SAM-0042")
    with django_capture_on_commit_callbacks(execute=True):
        leak = actions.open_alert(
            world.saint_amand, kind=AlertKind.CONTINUOUS_FLOW, device=device, title="Fuite",
            started_at=timezone.now() - datetime.timedelta(hours=30),
            leak_m3_per_hour=0.5, price_per_m3=4.0, price_source="Factures",
        )  # fmt: skip
        seen = actions.open_alert(
            world.saint_amand, kind=AlertKind.SILENT, device=device, title="Muet",
            started_at=timezone.now(),
        )  # fmt: skip
    actions.acknowledge_alert(seen, world.agent_saint_amand)
    mail.outbox.clear()
    assert tasks.remind_open_alerts.call() == 0  # not a day old yet
    Alert.objects.update(opened_at=timezone.now() - datetime.timedelta(hours=25))
    assert tasks.remind_open_alerts.call() == 2
    assert {m.subject for m in mail.outbox} == {
        "[Saint-Amand-Montrond] Rappel, alerte capteur toujours ouverte : Fuite"
    }
    body = mail.outbox[0].body
    assert "n'a encore été prise en compte par personne" in body
    assert re.search(r"Eau perdue depuis le début estimé : 15,\d m³, soit environ 6\d €", body)
    assert tasks.remind_open_alerts.call() == 0
    leak.refresh_from_db()
    assert leak.reminded_at is not None


@pytest.mark.django_db
def test_lifecycle_acknowledge_then_close(fleet, world):
    """Open -> acknowledged -> closed; a closed leak counts in the savings; a second
    close is refused in French."""
    device = Device.objects.get(external_id="SAM-0042")
    alert = actions.open_alert(
        world.saint_amand,
        kind=AlertKind.CONTINUOUS_FLOW,
        device=device,
        title="Fuite",
        started_at=NOW - datetime.timedelta(hours=10),
        leak_m3_per_hour=0.01,
        price_per_m3=4.0,
    )
    actions.acknowledge_alert(alert, world.agent_saint_amand, "Plombier prévenu")
    assert (alert.status, alert.note) == (AlertStatus.ACKNOWLEDGED, "Plombier prévenu")
    actions.close_alert(alert, world.agent_saint_amand)
    assert alert.status == AlertStatus.CLOSED
    with pytest.raises(ActionError) as refused:
        actions.close_alert(alert, world.agent_saint_amand)
    assert refused.value.message == "Cette alerte est déjà close."
    savings = leak_savings(world.saint_amand)
    assert savings["count"] == 1
    assert savings["saved_m3_per_year"] == pytest.approx(0.01 * 24 * 365)
    assert savings["saved_eur_per_year"] == pytest.approx(0.01 * 24 * 365 * 4.0)


@pytest.mark.django_db
def test_other_collectivite_cannot_acknowledge(fleet, world):
    """A member of Niort cannot act on Saint-Amand-Montrond's alert."""
    from django.core.exceptions import PermissionDenied

    alert = actions.open_alert(
        world.saint_amand,
        kind=AlertKind.SILENT,
        device=Device.objects.first(),
        title="Muet",
        started_at=NOW,
    )
    with pytest.raises(PermissionDenied):
        actions.acknowledge_alert(alert, world.agent_niort)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN
