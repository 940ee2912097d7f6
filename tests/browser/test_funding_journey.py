"""The funding single window in Chromium, on the real demo: an agent finds the
programmes its commune may use, reads why, and sees the aid expected for its projects."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_an_agent_finds_its_programmes_and_the_aid_for_its_projects(page, demo_url):
    """Territory search, verdicts with their reasons, a programme page, the projects."""
    page.goto(demo_url + "/compte/connexion/")
    page.get_by_label("Adresse électronique").fill("agent.saint-amand-montrond@demo.test")
    page.get_by_label("Mot de passe").fill("demo-territoria")
    page.get_by_role("button", name="Se connecter").click()

    page.get_by_role("link", name="Financements", exact=True).click()
    page.get_by_label("Commune ou intercommunalité").fill("st amand montrond")
    page.get_by_role("option", name="Saint-Amand-Montrond").first.click()
    page.get_by_role("button", name="Voir les programmes possibles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Financements possibles pour Saint-Amand-Montrond"
    )
    detr = page.locator(".funding-match", has_text="Dotation d'équipement des territoires ruraux")
    expect(detr.get_by_text("Probablement éligible")).to_be_visible()
    expect(detr.get_by_text("Potentiel financier par habitant").first).to_be_visible()
    screenshot(page, "funding-territory")

    detr.get_by_role("link", name="Dotation d'équipement des territoires ruraux (DETR)").click()
    expect(page.get_by_role("heading", name="Pour vos collectivités")).to_be_visible()

    page.goto(demo_url + "/aides/c/saint-amand-montrond/")
    table = page.get_by_role("table", name="Aide attendue par projet (hypothèse, en euros)")
    expect(
        table.get_by_role("link", name="Détection des fuites d'eau par capteurs")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Ne plus recevoir ce récapitulatif")).to_be_visible()
    screenshot(page, "funding-projects")


def test_a_territory_typed_before_the_search_script_runs_gets_its_suggestions(page, demo_url):
    """Text typed while the autocomplete script is still loading is searched once it runs."""
    page.route("**/autocomplete*.js", lambda route: route.abort())
    page.goto(demo_url + "/aides/")
    source = page.locator('script[src*="autocomplete"]').first.get_attribute("src")
    page.get_by_label("Commune ou intercommunalité").fill("st amand montrond")
    page.unroute("**/autocomplete*.js")
    page.evaluate(
        "src => { const s = document.createElement('script'); s.src = src; "
        "document.body.appendChild(s); }",
        source,
    )
    expect(page.get_by_role("option", name="Saint-Amand-Montrond").first).to_be_visible()
