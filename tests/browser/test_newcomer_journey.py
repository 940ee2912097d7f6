"""A newcomer's first visit, in Chromium, on the real demo."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

AGENT = "agent.saint-amand-montrond@demo.test"
ADMIN = "admin.saint-amand-montrond@demo.test"
PASSWORD = "demo-territoria"


def serious_violations(page) -> list[str]:
    """axe-core violations of impact serious or critical on the current page."""
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} éléments)"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def log_in(page, demo_url, email):
    page.goto(demo_url + "/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_newcomer_finds_a_collectivite_logs_in_and_reaches_their_space(page, demo_url):
    """From the home page, a newcomer finds Saint-Amand-Montrond, logs in as its demo
    agent and reaches "Mon espace" listing the commune and the agent role."""
    page.goto(demo_url + "/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot(page, "01-accueil")

    page.get_by_label("Rechercher une collectivité membre").fill("st amand")
    page.get_by_role("button", name="Rechercher").click()
    result = page.get_by_role("link", name=re.compile("Saint-Amand-Montrond"))
    expect(result).to_be_visible()
    screenshot(page, "02-recherche-collectivite")
    result.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Saint-Amand-Montrond")
    expect(page.get_by_text("18197")).to_be_visible()
    screenshot(page, "03-page-collectivite")

    page.get_by_role("link", name="Se connecter").click()
    page.get_by_label("Adresse électronique").fill(AGENT)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    screenshot(page, "04-connexion")
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/compte/espace/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    expect(page.get_by_role("main")).to_contain_text("Saint-Amand-Montrond")
    expect(page.get_by_role("main")).to_contain_text("Agent")
    screenshot(page, "05-mon-espace")


def test_wrong_password_says_so_in_french_and_keeps_the_visitor_out(page, demo_url):
    """A wrong password shows a French error tied to the form and does not sign in."""
    page.goto(demo_url + "/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(AGENT)
    page.get_by_label("Mot de passe").fill("pas-le-bon-mot-de-passe")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_contain_text("incorrect")
    expect(page.get_by_role("link", name="Mon espace")).to_have_count(0)


@pytest.mark.parametrize(
    "path_case",
    [
        "/",
        "/collectivites/",
        "/c/saint-amand-montrond/",
        "/c/cc-coeur-de-france/",
        "/compte/connexion/",
        "/mentions-legales/",
        "/accessibilite/",
        "/donnees-personnelles/",
    ],
)
def test_public_pages_have_no_serious_accessibility_violation(page, demo_url, path_case):
    """axe-core finds no serious or critical violation on the main public pages."""
    page.goto(demo_url + path_case)
    assert serious_violations(page) == []


@pytest.mark.parametrize(
    "path_case", ["/compte/espace/", "/compte/espace/saint-amand-montrond/membres/"]
)
def test_member_pages_have_no_serious_accessibility_violation(page, demo_url, path_case):
    """axe-core finds no serious or critical violation on the pages of a signed-in admin."""
    log_in(page, demo_url, ADMIN)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    page.goto(demo_url + path_case)
    assert serious_violations(page) == []
    screenshot(page, "admin" + path_case.replace("/", "-").rstrip("-"))


def test_home_page_fits_a_phone_screen(phone, demo_url):
    """On a phone, the home page needs no horizontal scrolling and the menu is reachable."""
    phone.goto(demo_url + "/")
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    expect(phone.get_by_role("link", name="Se connecter").first).to_be_visible()
    screenshot(phone, "06-accueil-telephone")


def test_phone_menu_unfolds_and_leads_to_a_module(phone, demo_url):
    """On a phone the main menu is one button; unfolded, it leads to the reports."""
    phone.goto(demo_url + "/")
    menu = phone.get_by_role("button", name="Menu")
    reports = phone.get_by_role("link", name="Signalements", exact=True)
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(reports).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    screenshot(phone, "07-menu-telephone")
    reports.click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Signaler")


def test_skip_link_moves_focus_to_the_content(page, demo_url):
    """The first Tab reaches the skip link, which takes keyboard users to the content."""
    page.goto(demo_url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#contenu")).to_be_focused()


@pytest.mark.parametrize("width", [1280, 1366])
def test_the_main_menu_holds_on_one_line_on_a_laptop(browser, demo_url, width):
    """Every module of the main menu sits on one line at laptop widths, signed in too."""
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900})
    page = context.new_page()
    log_in(page, demo_url, AGENT)
    page.goto(demo_url + "/")
    tops = page.eval_on_selector_all(
        "#menu-principal > li", "items => items.map(i => Math.round(i.getBoundingClientRect().top))"
    )
    assert len(tops) >= 11 and len(set(tops)) == 1
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    context.close()


def test_a_narrow_window_folds_the_menu_instead_of_wrapping_it(browser, demo_url):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1000, "height": 800})
    page = context.new_page()
    page.goto(demo_url + "/")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(page.get_by_role("link", name="Capteurs", exact=True)).to_be_hidden()
    menu.click()
    expect(page.get_by_role("link", name="Capteurs", exact=True)).to_be_visible()
    context.close()


def test_my_space_offers_each_role_its_shortcuts(page, demo_url):
    """The agent of Saint-Amand-Montrond reaches the reports to handle from Mon espace."""
    log_in(page, demo_url, AGENT)
    page.goto(demo_url + "/compte/espace/")
    page.get_by_role("link", name="Signalements à traiter").first.click()
    expect(page).to_have_url(re.compile(r"/signalements/saint-amand-montrond/gestion/"))
    screenshot(page, "08-mon-espace-raccourcis")


def test_my_space_shortcuts_fit_a_phone(phone, demo_url):
    """On a phone, the élu's space lists the plan and funding shortcuts, no scrolling."""
    log_in(phone, demo_url, "elu.saint-amand-montrond@demo.test")
    phone.goto(demo_url + "/compte/espace/")
    expect(phone.get_by_role("link", name=re.compile("Feuille de route")).last).to_be_visible()
    expect(phone.get_by_role("link", name=re.compile("Financements possibles"))).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    screenshot(phone, "09-mon-espace-telephone")
