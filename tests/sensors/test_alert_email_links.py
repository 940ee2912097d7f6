"""An alert email read by a signed-out agent: plain text without HTML entities, the cost
per day, and a link that goes through sign-in to the alert itself."""

import re

from django.core import mail
from django.urls import reverse

import pytest

from territoria.sensors import detection
from territoria.sensors.models import Alert
from tests.factories import PASSWORD
from tests.sensors.test_alerts_lifecycle import NOW, meter_hours, send


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def alert_email(fleet, world, django_capture_on_commit_callbacks):
    send(
        fleet,
        "water_volume",
        meter_hours("SAM-0042", 14 * 24, lambda h: 12.0 if h < 60 else (0.0 if h % 5 else 20.0)),
    )
    with django_capture_on_commit_callbacks(execute=True):
        detection.continuous_flow(world.saint_amand, NOW)
    return next(m for m in mail.outbox if m.to == ["agent@saint-amand.fr"])


def test_the_text_has_no_html_entities_and_gives_the_cost_per_day(alert_email):
    alert = Alert.objects.get()
    body = alert_email.body
    assert "&#" not in body and "&amp;" not in body and "&quot;" not in body
    assert "l'eau ne s'arrête plus" in body
    per_day = alert.cost_per_day_eur()
    assert per_day == pytest.approx(0.012 * 24 * float(alert.price_per_m3))
    assert "€ par jour" in body


def test_the_link_works_for_a_signed_out_reader(client, world, alert_email):
    link = re.search(r"https?://[^/\s]+(/capteurs/\S+/alertes/\d+/)", alert_email.body)[1]
    response = client.get(link)
    login = reverse("accounts:login")
    assert response.status_code == 302
    assert response["Location"].startswith(login) and "next=" in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    signed_in = client.post(
        response["Location"], {"email": "agent@saint-amand.fr", "password": PASSWORD}
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == link
    assert client.get(link).status_code == 200


def test_a_forged_next_stays_on_the_site(client, world):
    client.force_login(world.agent_saint_amand)
    response = client.get(reverse("accounts:login") + "?next=https://evil.example/")
    assert response.status_code == 302 and "evil.example" not in response["Location"]


def test_another_collectivites_member_still_gets_404(client, world, alert_email):
    link = re.search(r"https?://[^/\s]+(/capteurs/\S+/alertes/\d+/)", alert_email.body)[1]
    client.force_login(world.agent_niort)
    assert client.get(link).status_code == 404


def test_the_not_found_page_offers_to_sign_in_and_come_back(client, db):
    page = client.get("/achats-groupes/999999/")
    assert page.status_code == 404
    assert "next=/achats-groupes/999999/" in page.content.decode()
