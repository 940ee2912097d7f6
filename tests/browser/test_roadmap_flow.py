"""The roadmap journey of Saint-Amand-Montrond's agent in Chromium, on the real demo:
profile, re-ranking by sliders, a new scenario, a decision, the comparison, the PDF."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

AGENT = "agent.saint-amand-montrond@demo.test"
PASSWORD = "demo-territoria"


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def first_ranked(page) -> str:
    return page.locator("#ranking [data-use-case]").first.get_attribute("data-use-case")


def test_agent_builds_a_self_financed_plan_and_downloads_the_pdf(page, demo_url, tmp_path):
    """From the profile to the council PDF, every step works in the browser."""
    page.goto(demo_url + "/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(AGENT)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    page.goto(demo_url + "/feuille-de-route/")
    page.get_by_role("link", name="Saint-Amand-Montrond").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Feuille de route de Saint-Amand-Montrond"
    )

    # The profile: give the water bill its source.
    page.get_by_role("link", name="Modifier le profil").click()
    page.get_by_label("eau : source").fill("Factures d'eau 2025")
    page.get_by_role("button", name="Enregistrer le profil").click()
    expect(page.get_by_text("Profil enregistré.")).to_be_visible()
    expect(page.get_by_role("cell", name="Factures d'eau 2025")).to_be_visible()

    # The ranking follows the sliders (HTMX partial).
    page.get_by_role("link", name="Voir les recommandations").click()
    before = first_ranked(page)
    for axis in ("Optimisation des réseaux", "Environnement", "Qualité de vie"):
        page.get_by_label(axis, exact=True).fill("0")
    page.get_by_label("Cohésion sociale", exact=True).fill("5")
    expect(page.locator("#ranking [data-use-case]").first).not_to_have_attribute(
        "data-use-case", before
    )
    assert serious_violations(page) == []
    screenshot(page, "roadmap-recommendations")

    # A new scenario copying the town's decisions, then a decision on it.
    page.goto(demo_url + "/feuille-de-route/c/saint-amand-montrond/")
    page.get_by_label("Nom du scénario").fill("Sans capteurs de CO2")
    page.get_by_label("Reprendre les décisions de").select_option(label="Politique des petits pas")
    page.get_by_role("button", name="Calculer le plan").click()
    expect(page.get_by_text("Scénario calculé.")).to_be_visible()
    expect(page.locator("svg.chart")).to_be_visible()
    expect(page.get_by_text("Lancé dès la première année").first).to_be_visible()
    page.get_by_label("Cas d'usage", exact=True).select_option("capteurs-co2-ecoles")
    page.get_by_label("Décision (facultatif)").select_option("excluded")
    page.get_by_role("button", name="Enregistrer et recalculer").click()
    expect(page.get_by_text("Décision enregistrée, plan recalculé.")).to_be_visible()
    expect(page.get_by_text("Exclu par décision de la collectivité.")).to_be_visible()
    assert serious_violations(page) == []
    screenshot(page, "roadmap-plan")

    # Side by side with the town's scenario.
    page.goto(demo_url + "/feuille-de-route/c/saint-amand-montrond/comparer/")
    page.get_by_label("Scénario A").select_option(label="Politique des petits pas")
    page.get_by_label("Scénario B").select_option(label="Sans capteurs de CO2")
    page.get_by_role("button", name="Comparer").click()
    expect(page.get_by_role("row", name=re.compile("Part autofinancée"))).to_be_visible()

    # The PDF for the municipal council.
    page.get_by_role("link", name="Sans capteurs de CO2").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF pour le conseil municipal").click()
    download = download_info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert download.suggested_filename == (
        "feuille-de-route-saint-amand-montrond-sans-capteurs-de-co2.pdf"
    )
    assert path.read_bytes().startswith(b"%PDF-")
