"""Citizen reports on the real demo: a citizen reports from a phone and confirms by
email, an agent handles it in the back-office, the citizen gets the update; Cahors
receives a report from an Open311 client application."""

import email
import json
import random
import re
import string
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from email import policy
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ROOT, instance_env, screenshot
from tests.browser.test_catalogue_journeys import log_in
from tests.browser.test_newcomer_journey import serious_violations

pytestmark = pytest.mark.browser

AGENT_ARRAS = "agent.arras@demo.test"


def demo_var(tmp_path_factory) -> Path:
    """The var folder of the shared demo started by the `demo_url` fixture."""
    folders = sorted(tmp_path_factory.getbasetemp().glob("demo-var*"))
    assert folders, "the demo's folder"
    return folders[-1]


def wait_for_mail(folder: Path, to: str, needle: str, timeout: float = 40) -> email.message.Message:
    """The first .eml to `to` whose body contains needle (the worker sends them)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(folder.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            body = message.get_body(("plain",)).get_content()
            if to in message["To"] and needle in body:
                return message
        time.sleep(0.5)
    pytest.fail(f"no email to {to} containing {needle!r}")


def test_citizen_reports_from_a_phone_and_gets_the_agents_update(
    demo_url, phone, browser, tmp_path_factory
):
    """Phone form → emailed confirmation → agent's public update → email to the citizen."""
    word = "Zor" + "".join(random.choices(string.ascii_lowercase, k=8))  # noqa: S311
    reporter = f"{word.lower()}@exemple.fr"
    mail_dir = demo_var(tmp_path_factory) / "mail"

    phone.goto(demo_url + "/signalements/arras/nouveau/")
    phone.get_by_label("Catégorie").select_option(label="Éclairage — Lampadaire en panne")
    phone.get_by_label("Le lampadaire est…").select_option(label="éteint")
    phone.get_by_label("Description du problème").fill(f"Lampadaire éteint {word}")
    phone.locator("#report-map").click(position={"x": 150, "y": 100})
    expect(phone.locator("#id_latitude")).not_to_have_value("")
    phone.get_by_label("Adresse ou repère").fill("Place des Héros")
    phone.get_by_label("Votre courriel").fill(reporter)
    assert serious_violations(phone) == []
    screenshot(phone, "reports-01-phone-form")
    phone.get_by_role("button", name="Envoyer le signalement").click()
    expect(phone.get_by_role("heading", name="Merci pour votre signalement")).to_be_visible()
    screenshot(phone, "reports-02-phone-sent")

    confirmation = wait_for_mail(mail_dir, reporter, "/confirmer/")
    link = re.search(r"https?://\S+/signalements/confirmer/\S+/", confirmation.get_content())
    path = urllib.parse.urlsplit(link.group(0)).path
    phone.goto(demo_url + path)
    expect(phone.get_by_text(f"Lampadaire éteint {word}")).to_be_visible()
    report_path = urllib.parse.urlsplit(phone.url).path
    screenshot(phone, "reports-03-phone-published")

    agent = log_in(browser, demo_url, AGENT_ARRAS)
    report_id = report_path.rstrip("/").rsplit("/", 1)[-1]
    agent.goto(f"{demo_url}/signalements/arras/gestion/{report_id}/")
    expect(agent.get_by_text(reporter)).to_be_visible()
    agent.get_by_label("Nouvel état").select_option(label="Résolu")
    agent.get_by_label("Message").fill(f"Ampoule changée {word}")
    agent.get_by_label("Mise à jour publique (l'auteur reçoit un courriel)").check()
    agent.get_by_role("button", name="Enregistrer").click()
    expect(agent.get_by_text("Signalement mis à jour.")).to_be_visible()
    screenshot(agent, "reports-04-backoffice-resolved")
    agent.context.close()

    update = wait_for_mail(mail_dir, reporter, f"Ampoule changée {word}")
    assert "Résolu" in update["Subject"]
    assert "/rouvrir/" in update.get_body(("plain",)).get_content()
    phone.goto(demo_url + report_path)
    expect(phone.get_by_text(f"Ampoule changée {word}")).to_be_visible()
    screenshot(phone, "reports-05-phone-update")


def test_cahors_receives_a_report_through_open311_post(demo_url, tmp_path_factory):
    """An Open311 client with Cahors' key POSTs a report; it is public in GET requests."""
    env = instance_env(demo_var(tmp_path_factory))
    key = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "open311_client", "cahors", "Appli de test"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "territoria.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    services = json.load(
        urllib.request.urlopen(f"{demo_url}/open311/v2/services.json?jurisdiction_id=cahors")  # noqa: S310
    )
    code = next(s["service_code"] for s in services if s["service_code"].endswith(".trottoir"))
    body = urllib.parse.urlencode(
        {
            "api_key": key,
            "jurisdiction_id": "cahors",
            "service_code": code,
            "lat": "44.4480",
            "long": "1.4420",
            "description": "Dalle descellée devant la cathédrale",
            "email": "client.open311@exemple.fr",
            "first_name": "Client",
            "last_name": "Secret",
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310
        f"{demo_url}/open311/v2/requests.xml",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310
        assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
        created = response.read().decode()
    request_id = re.search(r"<service_request_id>(\d+)</service_request_id>", created).group(1)
    with urllib.request.urlopen(  # noqa: S310
        f"{demo_url}/open311/v2/requests/{request_id}.json?jurisdiction_id=cahors"
    ) as response:
        text = response.read().decode()
    item = json.loads(text)[0]
    assert item["description"] == "Dalle descellée devant la cathédrale"
    assert item["status"] == "open"
    assert "Secret" not in text and "client.open311@exemple.fr" not in text


def caption_count(page) -> int:
    """The number of reports the back-office list's caption announces."""
    return int(re.search(r"\d+", page.locator("table caption").inner_text()).group(0))


def test_agent_limits_the_list_to_the_zoomed_map_area(demo_url, browser):
    """Zooming the map then « Limiter à la zone affichée » keeps only the reports shown."""
    agent = log_in(browser, demo_url, AGENT_ARRAS)
    agent.goto(f"{demo_url}/signalements/arras/gestion/")
    everywhere = caption_count(agent)
    expect(agent.locator("#manage-map .leaflet-marker-icon").first).to_be_visible()
    for _ in range(3):
        agent.locator("#manage-map .leaflet-control-zoom-in").click()
        agent.wait_for_timeout(400)  # the zoom animation
    shown = agent.evaluate(
        "document.getElementById('manage-map').territoriaMap.getBounds().toBBoxString()"
    )
    agent.get_by_role("button", name="Limiter à la zone affichée").click()
    expect(agent.get_by_text("Liste limitée à la zone de la carte choisie.")).to_be_visible()
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(agent.url).query)["bbox"] == [shown]
    in_box = caption_count(agent)
    assert in_box < everywhere
    screenshot(agent, "reports-06-backoffice-map-area")

    agent.get_by_role("link", name="Retirer la limite de zone").click()
    expect(agent.get_by_text("Liste limitée à la zone de la carte choisie.")).to_have_count(0)
    assert caption_count(agent) == everywhere
    agent.context.close()
