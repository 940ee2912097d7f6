"""Open data on the real demo: an agent of Agen publishes an uploaded SCDL file after a
refused one; a visitor browses the portal, opens a dataset and downloads it; the
catalogue answers at catalog.ttl without redirect."""

import re
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_catalogue_journeys import log_in
from tests.browser.test_newcomer_journey import serious_violations

pytestmark = pytest.mark.browser

HEADER = (
    "nomAttribuant,idAttribuant,dateConvention,referenceDecision,nomBeneficiaire,"
    "idBeneficiaire,rnaBeneficiaire,objet,montant,nature,conditionsVersement,"
    "datesPeriodeVersement,idRAE,notificationUE,pourcentageSubvention,dispositifAide"
)
ROW = (
    "Ville d'Agen,21470001500008,2025-09-01,DEMO-9,Association fictive,{siret},,"
    "Fête de quartier,1200,aide en numéraire,unique,2025-09-15,,non,0.5,"
)


def _fill_metadata(page, title):
    page.get_by_label("Titre").fill(title)
    page.get_by_label("Description").fill("Subventions de la rentrée (essai).")
    page.get_by_label("Thème").select_option("GOVE")
    page.get_by_label("Fréquence de mise à jour").select_option("ANNUAL")
    page.get_by_label("Courriel du point de contact").fill("donnees@agen.demo.test")


def test_agent_publishes_an_upload_after_a_refused_file(demo_url, browser, tmp_path):
    """A file with a bad SIRET key is refused with its row and column; the corrected
    file is stored, then published and listed in the catalogue."""
    page = log_in(browser, demo_url, "agent.agen@demo.test")
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_text(f"{HEADER}\n{ROW.format(siret='21470001200018')}\n", encoding="utf-8")
    good.write_text(f"{HEADER}\n{ROW.format(siret='89912345600019')}\n", encoding="utf-8")

    page.goto(demo_url + "/donnees/agen/gerer/deposer/")
    page.get_by_label("Schéma national du fichier").select_option("scdl-subventions")
    page.get_by_label("Fichier CSV").set_input_files(str(bad))
    _fill_metadata(page, "Subventions de rentrée")
    page.get_by_role("button", name="Vérifier et enregistrer").click()
    errors = page.locator("[data-territoria-upload-errors] tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first).to_contain_text("idBeneficiaire")
    expect(errors.first).to_contain_text("clé de contrôle")
    assert serious_violations(page) == []

    page.get_by_label("Fichier CSV").set_input_files(str(good))
    page.get_by_role("button", name="Vérifier et enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Subventions de rentrée")
    expect(page.get_by_text("Non publié")).to_be_visible()
    page.get_by_role("button", name="Publier", exact=True).click()
    expect(page.get_by_text("Jeu de données publié.")).to_be_visible()

    with urllib.request.urlopen(demo_url + "/donnees/agen/catalog.ttl") as response:  # noqa: S310
        assert response.status == 200
        assert "Subventions de rentrée" in response.read().decode()


def test_visitor_browses_and_downloads(demo_url, page):
    """Portal → search → dataset page with preview and map → CSV download."""
    page.goto(demo_url + "/donnees/")
    page.get_by_label("Rechercher").fill("équipements")
    page.get_by_role("button", name="Filtrer").click()
    page.get_by_role("link", name="Équipements collectifs (démonstration)").click()
    expect(page).to_have_url(re.compile(r"/donnees/agen/jeux/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("cell", name="Médiathèque municipale (démonstration)")).to_be_visible()
    expect(
        page.locator(
            "[data-territoria-map] .leaflet-marker-icon, [data-territoria-map] .marker-cluster"
        ).first
    ).to_be_visible()
    assert serious_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger en CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("COLL_NOM,COLL_SIRET,EQUIP_UID")
    assert "@" not in text


@pytest.mark.parametrize("width", [1366, 390])
def test_a_dataset_page_says_its_period_in_words(browser, demo_url, width):
    """The facts of a dataset read « du … au … » or « non renseignée », never dots and
    dashes, and the page fits a phone."""
    context = browser.new_context(
        locale="fr-FR", viewport={"width": width, "height": 900}, is_mobile=width < 600
    )
    page = context.new_page()
    page.goto(demo_url + "/donnees/")
    page.get_by_label("Rechercher").fill("équipements")
    page.get_by_role("button", name="Filtrer").click()
    page.get_by_role("link", name="Équipements collectifs (démonstration)").click()
    period = page.locator("dt:has-text('Période couverte') + dd")
    expect(period).to_have_text(re.compile(r"^\s*(du \d{1,2} \w+ \d{4} au .+|non renseignée)\s*$"))
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    screenshot(page, f"opendata-dataset-{width}")
    context.close()
