"""Comparing solutions in Chromium: tick two offers on a use case, compare them, keep only
the differences, download the PDF.

The offers are loaded with `territoria manage catalogue import` into a throwaway instance
served by `territoria serve`, so the test process never touches a database while the
browser runs."""

import json
import re
import subprocess
import sys

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import ROOT, instance_env, screenshot, serving

pytestmark = pytest.mark.browser

SOURCE = {
    "kind": "declared",
    "source_title": "Déclaration du fournisseur (fictif, démonstration)",
    "source_url": "https://exemple-sarl.example/offre",
    "source_date": "2025-01-15",
}
OFFERS = [
    ("aquaveille", "AquaVeille (démo)", "proprietary", "france", True, "150", "220"),
    ("fuitelibre", "FuiteLibre (démo)", "open_source", "on_premise", False, "90", "160"),
    ("hydroscan", "HydroScan (démo)", "proprietary", "eu", False, "200", "300"),
]
DOCUMENT = {
    "format": "territoria-catalogue",
    "version": 1,
    "use_cases": [
        {
            "slug": "detection-fuites", "title": "Détection des fuites d'eau",
            "axis": "networks", "summary": "Repérer les fuites du réseau d'eau.",
            "problem": "Des fuites coûteuses et invisibles.",
            "how_it_works": "Des capteurs relèvent les débits de nuit.", "maturity": "proven",
        }
    ],
    "providers": [{"ref": "exemple", "name": "Exemple SARL", "is_fictitious": True}],
    "solutions": [
        {
            "slug": slug, "name": name, "provider": "exemple", "use_cases": ["detection-fuites"],
            "summary": f"{name} : têtes émettrices pour compteurs d'eau.", "maturity": "proven",
            "licence_kind": licence, "hosting": hosting, "secnumcloud": secnumcloud,
            "purchase_channels": ["ugap"], "status": "approved", "is_fictitious": True,
        }
        for slug, name, licence, hosting, secnumcloud, _low, _high in OFFERS
    ],
    "figures": [
        figure
        for slug, _name, _licence, _hosting, _snc, low, high in OFFERS
        for figure in (
            {"solution": slug, "metric": "capex", "label": "Tête émettrice posée",
             "value_min": low, "value_max": high, "unit": "eur", "basis": "par compteur",
             **SOURCE},
            {"solution": slug, "metric": "saving", "label": "Baisse de la facture",
             "value_min": "15", "value_max": "35", "unit": "percent",
             "basis": "de la facture d'eau", **SOURCE},
        )
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def catalogue_url(tmp_path_factory):
    """A fresh instance holding three fictitious offers for one use case."""
    var_dir = tmp_path_factory.mktemp("compare-var")
    env = instance_env(var_dir)
    document = var_dir / "catalogue.json"
    document.write_text(json.dumps(DOCUMENT, ensure_ascii=False))
    manage = [sys.executable, "-m", "territoria.cli", "manage"]
    for command in (["migrate", "--no-input", "--verbosity", "0"],
                    ["catalogue", "import", str(document)]):  # fmt: skip
        subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True, capture_output=True)
    with serving(var_dir, "serve") as url:
        yield url


def test_tick_two_offers_compare_them_and_download_the_pdf(page, catalogue_url):
    """Two offers ticked on the use-case page open side by side; the differences filter
    works without script; the PDF downloads as comparaison.pdf."""
    page.goto(catalogue_url + "/catalogue/cas-d-usage/detection-fuites/")
    page.get_by_label("Comparer AquaVeille (démo)").check()
    page.get_by_label("Comparer FuiteLibre (démo)").check()
    page.get_by_role("button", name="Comparer la sélection").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Comparer des solutions")
    table = page.get_by_role("table")
    expect(table.get_by_role("columnheader")).to_have_text(
        [re.compile("AquaVeille"), re.compile("FuiteLibre")]
    )
    expect(table.get_by_role("rowheader", name="Investissement (différent)")).to_be_visible()
    expect(table.get_by_role("rowheader", name="Économies", exact=True)).to_be_visible()
    screenshot(page, "catalogue-comparaison")
    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in {"serious", "critical"}] == []

    page.get_by_label("N'afficher que les différences").check()
    page.get_by_role("button", name="Mettre à jour").click()
    expect(table.get_by_role("rowheader")).to_have_count(4)
    expect(table.get_by_role("rowheader", name="Économies", exact=True)).to_have_count(0)
    screenshot(page, "catalogue-comparaison-differences")

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger en PDF").click()
    assert download.value.suggested_filename == "comparaison.pdf"
