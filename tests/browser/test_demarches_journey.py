"""Online procedures on the real demo: a resident of Saint-Amand-Montrond files a
domain-occupation request from a 390 px phone, corrects a wrong SIRET, gets a receipt
number and the tracking link by email; an agent refuses it with a reason the resident
then reads."""

import email
import random
import re
import string
from email import policy

import pytest
from playwright.sync_api import expect

from tests.browser.test_catalogue_journeys import log_in
from tests.browser.test_newcomer_journey import serious_violations
from tests.browser.test_reports_journey import demo_var

pytestmark = pytest.mark.browser

AGENT = "agent.saint-amand-montrond@demo.test"


def _mail_to(folder, to):
    for path in sorted(folder.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        if to in message["To"]:
            return message
    return None


def test_a_resident_files_from_a_phone_and_reads_the_decision(
    demo_url, phone, browser, tmp_path_factory
):
    """Phone form without JavaScript errors → receipt and email → agent's refusal with
    its reason → the resident reads it on the tracking page."""
    word = "dem" + "".join(random.choices(string.ascii_lowercase, k=8))  # noqa: S311
    resident = f"{word}@exemple.fr"
    phone.goto(demo_url + "/demarches/saint-amand-montrond/")
    phone.get_by_role("link", name="Occupation temporaire du domaine public").click()
    phone.get_by_label("Nom et prénom").fill("Café " + word)
    phone.get_by_label("Adresse postale").fill("1 place de la République")
    phone.get_by_role("group", name="Faites-vous cette demande pour une entreprise ?").get_by_label(
        "Oui"
    ).check()
    phone.get_by_label("SIRET de l'entreprise").fill("73282932000075")
    phone.get_by_label("Terrasse ou étalage").check()
    phone.get_by_label("Adresse de l'occupation").fill("2 rue Nationale")
    phone.get_by_label("Surface occupée").fill("12,5")
    phone.get_by_label("Premier jour").fill("2027-06-01")
    phone.get_by_label("Dernier jour").fill("2027-09-30")
    phone.get_by_label("Votre courriel").fill(resident)
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    phone.get_by_role("button", name="Déposer le dossier").click()
    expect(
        phone.get_by_text("Ce SIRET est invalide : vérifiez les chiffres saisis.").first
    ).to_be_visible()
    assert serious_violations(phone) == []
    phone.get_by_label("SIRET de l'entreprise").fill("73282932000074")
    phone.get_by_role("button", name="Déposer le dossier").click()
    expect(phone.get_by_role("heading", name="Votre dossier est déposé")).to_be_visible()
    number = re.search(r"SAM-\d{4}-\d{6}", phone.content()).group(0)
    tracking = phone.url
    message = _mail_to(demo_var(tmp_path_factory) / "mail", resident)
    assert message is not None
    assert number in message["Subject"]
    assert tracking.split("/demarches/")[1] in message.get_body(("plain",)).get_content()

    agent = log_in(browser, demo_url, AGENT)
    agent.goto(demo_url + "/demarches/saint-amand-montrond/gestion/")
    agent.get_by_role("link", name="Occupation temporaire du domaine public").first.click()
    agent.get_by_role("link", name=number).click()
    agent.get_by_label("Nouvel état").select_option(label="Refusé")
    agent.get_by_role("button", name="Valider").click()
    expect(
        agent.get_by_text("Un refus doit être motivé : indiquez le motif.").first
    ).to_be_visible()
    agent.get_by_label("Nouvel état").select_option(label="Refusé")
    agent.get_by_label("Motif (obligatoire pour un refus").fill(
        "Trottoir trop étroit pour les piétons."
    )
    agent.get_by_role("button", name="Valider").click()
    expect(agent.get_by_text("État du dossier mis à jour.")).to_be_visible()
    agent.context.close()

    phone.goto(tracking)
    expect(phone.get_by_text("Trottoir trop étroit pour les piétons.").first).to_be_visible()
    expect(phone.get_by_text("Refusé").first).to_be_visible()
