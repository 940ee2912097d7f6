"""Group purchasing in Chromium, on the real demo: a member commune changes its needs
and sees its share; the intercommunalité prepares, opens, freezes and awards a
groupement, then downloads the convention."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

PASSWORD = "demo-territoria"
DEMO_TITLE = "Capteurs de remplissage des bacs et colonnes (démonstration)"


def login(page, demo_url, email):
    page.goto(demo_url + "/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


@pytest.mark.parametrize("width", [1366, 390])
def test_a_member_losing_money_reads_why_and_what_would_change_it(browser, demo_url, width):
    """Saint-Amand-Montrond pays more together than alone in the demo: its part says so
    in words, with the 15 units that would bring the next tier, on a laptop and a phone.
    (Runs before the next test, which raises Orval's needs past that tier.)"""
    context = browser.new_context(
        locale="fr-FR", viewport={"width": width, "height": 900}, is_mobile=width < 600
    )
    page = context.new_page()
    login(page, demo_url, "agent.saint-amand-montrond@demo.test")
    page.goto(demo_url + "/achats-groupes/")
    page.get_by_role("link", name=DEMO_TITLE).click()
    mine = page.locator(".purchasing-mine")
    expect(mine.get_by_text("Attention : économie négative")).to_be_visible()
    expect(mine.get_by_text("Saint-Amand-Montrond paierait 961,57")).to_be_visible()
    expect(mine.get_by_text("Il manque 15 capteurs")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    mine.scroll_into_view_if_needed()
    screenshot(page, f"purchasing-negative-saving-{width}")
    context.close()


def test_a_member_commune_changes_its_needs_and_sees_its_share(page, demo_url):
    """Orval's agent raises its quantity: the group volume and its share follow."""
    login(page, demo_url, "agent.orval@demo.test")
    page.get_by_role("link", name="Achats groupés", exact=True).click()
    page.get_by_role("link", name=DEMO_TITLE).click()
    expect(page.get_by_role("heading", name="Votre part — Orval")).to_be_visible()
    expect(page.get_by_text("Volume du groupement : 135 capteurs")).to_be_visible()
    page.get_by_label("Capteurs de remplissage (en capteurs)").fill("40")
    page.get_by_role("button", name="Enregistrer nos besoins").click()
    expect(page.get_by_text("Besoins enregistrés.")).to_be_visible()
    expect(page.get_by_text("Volume du groupement : 150 capteurs")).to_be_visible()
    expect(page.get_by_text("40 capteurs × 105,00")).to_be_visible()
    screenshot(page, "purchasing-member-share")


def test_the_intercommunality_runs_a_groupement_to_its_convention(page, demo_url):
    """Prepare with tiers, invite, open, freeze, award, then the CSV allocation."""
    login(page, demo_url, "agent.cc-coeur-de-france@demo.test")
    page.goto(demo_url + "/achats-groupes/")
    page.get_by_role("link", name="Préparer un achat groupé").click()
    page.get_by_label("Objet de l'achat").fill("Luminaires LED pilotés")
    page.get_by_label("Cas d'usage").select_option(label="Rénovation de l'éclairage public en LED")
    deadline = datetime.date.today() + datetime.timedelta(days=30)
    page.get_by_label("Date limite de recensement des besoins").fill(deadline.isoformat())
    page.get_by_label("Ouvrir à toutes les communes de l'intercommunalité").check()
    lot = page.locator("fieldset.purchasing-lot").first
    lot.get_by_label("Lot (facultatif)").fill("Luminaires")
    lot.get_by_label("Unité (facultatif)").fill("luminaires")
    lot.get_by_label("À partir de (unités)").nth(0).fill("1")
    lot.get_by_label("Prix unitaire (€ HT)").nth(0).fill("450")
    lot.get_by_label("À partir de (unités)").nth(1).fill("100")
    lot.get_by_label("Prix unitaire (€ HT)").nth(1).fill("390")
    page.get_by_role("button", name="Préparer l'achat groupé").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Luminaires LED pilotés")
    page.get_by_role("button", name="Ouvrir aux adhésions et prévenir les invités").click()
    expect(page.get_by_text("L'achat groupé est ouvert")).to_be_visible()
    page.get_by_role("button", name="Arrêter les besoins maintenant").click()
    expect(page.get_by_text("Besoins arrêtés : plus aucune adhésion")).to_be_visible()
    page.get_by_label("Prix unitaire attribué, Luminaires (€ HT)").fill("410,00")
    page.get_by_role("button", name="Enregistrer l'attribution").click()
    expect(page.get_by_text("Attribution enregistrée")).to_be_visible()
    screenshot(page, "purchasing-coordinator-awarded")
    with page.expect_download() as download:
        page.get_by_role("link", name="Répartition (CSV)").click()
    assert download.value.suggested_filename.endswith(".csv")
