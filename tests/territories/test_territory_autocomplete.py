"""The autocomplete in Chromium: keyboard use, ARIA states, the French announcement,
and the same form working with JavaScript turned off."""

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from territoria.territories import cog
from tests.territories.cog_sample import sample_extract

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture
def page_url(settings, live_server, transactional_db):
    """A page with a TerritoryField, served by the live server over the sample (imported
    per test: the live server's database is flushed after each one)."""
    cog.import_territories(cog.validate(sample_extract()))
    settings.ROOT_URLCONF = "tests.territories.autocomplete_urls"
    return f"{live_server.url}/essai-territoire/"


def test_keyboard_choice_fills_the_hidden_code(page_url):
    """Typing lists suggestions, announced in French; arrow down and Enter choose one,
    which fills the text and the hidden code; the form then resolves it."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(locale="fr-FR")
        page.set_default_timeout(10_000)
        page.goto(page_url)
        field = page.get_by_role("combobox", name="Votre commune ou intercommunalité")
        expect(field).to_have_attribute("aria-expanded", "false")
        field.press_sequentially("st amand mont", delay=30)
        listbox = page.get_by_role("listbox")
        expect(listbox).to_be_visible()
        expect(field).to_have_attribute("aria-expanded", "true")
        expect(page.get_by_role("option")).to_have_count(1)
        expect(page.get_by_role("status")).to_have_text(
            "1 territoire proposé. Flèches haut et bas pour parcourir, Entrée pour choisir."
        )
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "territory-autocomplete.png"))
        field.press("ArrowDown")
        option = page.get_by_role("option", name="Saint-Amand-Montrond (18)")
        expect(option).to_have_attribute("aria-selected", "true")
        expect(field).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
        field.press("Enter")
        expect(field).to_have_value("Saint-Amand-Montrond (18)")
        expect(field).to_have_attribute("aria-expanded", "false")
        expect(page.locator("#id_territoire_code")).to_have_value("18197")
        page.get_by_role("button", name="Valider").click()
        expect(page.locator("#chosen")).to_have_text("Saint-Amand-Montrond (18197)")
        browser.close()


def test_escape_closes_and_a_new_keystroke_clears_the_code(page_url):
    """Escape closes the list; editing the text after a choice empties the hidden code."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(locale="fr-FR")
        page.set_default_timeout(10_000)
        page.goto(page_url)
        field = page.get_by_role("combobox")
        field.press_sequentially("18200", delay=30)
        expect(page.get_by_role("option").first).to_have_text(
            "Saint-Amand-Montrond (18)18200 · 9 899 hab. · CC Coeur de France"
        )
        field.press("Escape")
        expect(page.get_by_role("listbox")).to_be_hidden()
        expect(field).to_have_attribute("aria-expanded", "false")
        field.press("ArrowDown")
        field.press("Enter")
        expect(page.locator("#id_territoire_code")).to_have_value("18197")
        field.press("Backspace")
        expect(page.locator("#id_territoire_code")).to_have_value("")
        browser.close()


def test_without_javascript_the_server_resolves_the_text(page_url):
    """With JavaScript off, the typed name is resolved by the server, and an ambiguous
    one gets a French error tied to the field."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_context(locale="fr-FR", java_script_enabled=False).new_page()
        page.set_default_timeout(10_000)
        page.goto(page_url)
        field = page.get_by_label("Votre commune ou intercommunalité")
        expect(field).not_to_have_attribute("role", "combobox")
        field.fill("st amand montrond")
        page.get_by_role("button", name="Valider").click()
        expect(page.locator("#chosen")).to_have_text("Saint-Amand-Montrond (18197)")
        page.get_by_label("Votre commune ou intercommunalité").fill("Sainte-Marie")
        page.get_by_role("button", name="Valider").click()
        expect(page.locator("#id_territoire_error")).to_contain_text(
            "Plusieurs territoires correspondent à « Sainte-Marie »"
        )
        expect(page.get_by_label("Votre commune ou intercommunalité")).to_have_attribute(
            "aria-invalid", "true"
        )
        browser.close()
