"""Side-by-side comparison: the same rows for each solution, differences marked, errors
explained, and the same table as a PDF."""

import re
import subprocess

from django.urls import reverse

import pytest

from territoria.catalogue.enums import Hosting, LicenceKind, Metric, Moderation, Unit
from tests.catalogue.factories import make_figure, make_solution, make_tag, make_use_case

pytestmark = pytest.mark.django_db

ROW_LABELS = [
    "Fournisseur", "Investissement", "Coût de fonctionnement annuel", "Économies",
    "Retour sur investissement", "Maturité", "Collectivités de référence",
    "Retours d'expérience publiés", "Licence et code source", "Hébergement et souveraineté",
    "Qualifié SecNumCloud", "Sécurité et RGPD", "Accessibilité (déclaration RGAA)",
    "Normes et standards", "Réversibilité des données", "Canaux d'achat",
]  # fmt: skip


@pytest.fixture
def pair(world):
    use_case = make_use_case()
    alpha = make_solution(
        "Alpha", slug="alpha", use_cases=[use_case], licence_kind=LicenceKind.OPEN_SOURCE,
        hosting=Hosting.FRANCE, purchase_channels=["ugap"], accessibility="Conforme.",
    )  # fmt: skip
    beta = make_solution(
        "Beta", slug="beta", use_cases=[use_case], licence_kind=LicenceKind.PROPRIETARY,
        hosting=Hosting.FRANCE, secnumcloud=True, purchase_channels=["ugap"],
        accessibility="Conforme.",
    )  # fmt: skip
    tag = make_tag("lorawan", name="LoRaWAN")
    alpha.standards.set([tag])
    beta.standards.set([tag])
    make_figure(alpha, Metric.CAPEX, "360", "3000", Unit.EUR, basis="par point lumineux")
    make_figure(beta, Metric.CAPEX, "500", "500", Unit.EUR, basis="par point lumineux")
    return alpha, beta


def _url(name="catalogue:compare", slugs=("alpha", "beta"), **extra):
    query = "&".join([f"s={slug}" for slug in slugs] + [f"{k}={v}" for k, v in extra.items()])
    return f"{reverse(name)}?{query}"


def _rows(html: str) -> list[tuple[str, bool]]:
    """(row header, marked as different) for each body row."""
    rows = []
    for row in re.findall(r'<tr class="catalogue-compare-row[^"]*".*?</tr>', html, re.S):
        label = re.search(r'<th scope="row">\s*([^<\n]+?)\s*<', row).group(1)
        rows.append((label.replace("&#x27;", "'"), "catalogue-compare-differs" in row))
    return rows


def test_table_has_the_same_rows_with_differences_marked(client, pair):
    """Column headers are the solutions, row headers the criteria; differing rows marked."""
    response = client.get(_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r'<th scope="col">\s*<a href="[^"]+">([^<]+)</a>', html) == [
        "Alpha", "Beta",
    ]  # fmt: skip
    rows = _rows(html)
    assert [label for label, _ in rows] == ROW_LABELS
    assert [label for label, differs in rows if differs] == [
        "Investissement", "Licence et code source", "Qualifié SecNumCloud",
    ]  # fmt: skip
    assert html.count('<span class="visually-hidden">(différent)</span>') == 3
    assert "3 critères diffèrent entre ces offres." in html
    assert "360 à 3\xa0000\xa0€ par point lumineux" in html
    assert "500\xa0€ par point lumineux" in html


def test_only_differences_without_javascript(client, pair):
    """The "only differences" checkbox is a GET parameter that hides equal rows."""
    html = client.get(_url(differences="1")).content.decode()
    assert [label for label, _ in _rows(html)] == [
        "Investissement", "Licence et code source", "Qualifié SecNumCloud",
    ]  # fmt: skip
    checkbox = re.search(r'<input type="checkbox"[^>]*id="only-differences"[^>]*>', html).group()
    assert checkbox.split()[-1] == "checked>"
    assert '<input type="hidden" name="s" value="alpha">' in html


def test_order_follows_the_request_and_duplicates_are_ignored(client, pair):
    """Solutions appear in the order asked; a repeated slug counts once."""
    html = client.get(_url(slugs=("beta", "alpha", "beta"))).content.decode()
    assert re.findall(r'<th scope="col">\s*<a href="[^"]+">([^<]+)</a>', html) == [
        "Beta", "Alpha",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "slugs,message",
    [
        ((), "Choisissez au moins deux solutions à comparer (au plus quatre)."),
        (("alpha",), "Choisissez au moins deux solutions à comparer (au plus quatre)."),
        (("alpha", "beta", "c", "d", "e"),
         "On compare au plus quatre solutions à la fois : vous en avez choisi 5."),
        (("alpha", "inconnue"),
         "Ces solutions n&#x27;existent pas ou ne sont pas publiées : « inconnue »."),
        (("alpha", "brouillon"),
         "Ces solutions n&#x27;existent pas ou ne sont pas publiées : « brouillon »."),
    ],
    ids=["none_case", "one_case", "five_case", "unknown_case", "unpublished_case"],
)  # fmt: skip
@pytest.mark.parametrize("name", ["catalogue:compare", "catalogue:compare_pdf"],
                         ids=["page_case", "pdf_case"])  # fmt: skip
def test_bad_requests_are_explained(client, pair, slugs, message, name):
    """Fewer than 2, more than 4, unknown or unpublished solutions: 400 and an explanation."""
    make_solution("Brouillon", slug="brouillon", status=Moderation.DRAFT)
    response = client.get(_url(name, slugs))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "La comparaison n'est pas possible" in html
    assert "cochez de 2 à 4 solutions publiées" in html


def test_pdf_holds_the_comparison(client, pair, tmp_path):
    """The PDF is an attachment named comparaison.pdf whose text has the solutions."""
    response = client.get(_url("catalogue:compare_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="comparaison.pdf"'
    path = tmp_path / "comparaison.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Comparaison de solutions" in text
    assert re.search(r"Alpha\s+Beta", text)
    assert "Investissement ≠" in text
    assert "360 à 3 000 € par point lumineux" in text.replace("\xa0", " ")
    assert "Réversibilité des données" in text


def test_page_links_to_the_pdf_with_the_same_parameters(client, pair):
    """The PDF link keeps the chosen solutions and options."""
    html = client.get(_url(differences="1")).content.decode()
    assert f'href="{reverse("catalogue:compare_pdf")}?s=alpha&amp;s=beta&amp;differences=1"' in html


def test_all_rows_shown_by_default(client, pair):
    """Without the option, the checkbox is not ticked and every row shows."""
    html = client.get(_url()).content.decode()
    checkbox = re.search(r'<input type="checkbox"[^>]*id="only-differences"[^>]*>', html).group()
    assert "checked" not in checkbox
