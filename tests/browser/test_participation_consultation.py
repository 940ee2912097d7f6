"""A resident answers Niort's consultation on a phone-sized Chromium, then reads the
results; the free text waits for moderation."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

CONSULTATION = "/participation/niort/consultations/velo-en-ville/"


def test_a_resident_answers_the_consultation_and_sees_the_results(demo_url, phone):
    """Conditional question, scale, ranking and text; results as charts without the
    unmoderated text; a second answer from the same browser is refused."""
    phone.goto(demo_url + CONSULTATION)
    expect(phone.get_by_role("heading", name="Le vélo en ville")).to_be_visible()
    phone.get_by_label("Chaque jour").check()
    phone.get_by_label("Travail").check()
    phone.get_by_label("4", exact=True).check()
    phone.get_by_label("Pistes protégées").select_option("1")
    phone.get_by_label("Zones 30").select_option("2")
    phone.get_by_label("Stationnement").select_option("3")
    remark = "Une piste protégée vers le lycée, s'il vous plaît."
    phone.get_by_label("Votre réponse").fill(remark)
    screenshot(phone, "participation-07-phone-consultation")
    phone.get_by_role("button", name="Envoyer mes réponses").click()
    expect(phone.get_by_text("Merci, votre réponse est enregistrée.")).to_be_visible()
    expect(phone.locator("svg.chart").first).to_be_visible()
    expect(phone.get_by_text(remark)).to_have_count(0)
    screenshot(phone, "participation-08-phone-results")

    phone.goto(demo_url + CONSULTATION)
    phone.get_by_label("Parfois").check()
    phone.get_by_role("button", name="Envoyer mes réponses").click()
    expect(phone.get_by_text("Vous avez déjà répondu à cette consultation.")).to_be_visible()
