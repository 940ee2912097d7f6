"""The catalogue's user journeys in Chromium, on the real demo: a visitor's search with
facets, a provider's offer through moderation, a town's experience feedback through
moderation.

The demo is shared with the other browser tests, so every offer and feedback created
here carries a random word in its name."""

import random
import re
import string

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_newcomer_journey import serious_violations

pytestmark = pytest.mark.browser

PASSWORD = "demo-territoria"
PROVIDER = "fournisseur@demo.test"
OPERATOR = "operateur@demo.test"
AGENT = "agent.saint-amand-montrond@demo.test"
WATER_LEAKS = "Détection des fuites d'eau par capteurs"
WATER_LEAKS_PAGE = "/catalogue/cas-d-usage/capteurs-fuites-eau/"
TOTAL = re.compile(r"^\s*(\d+) solutions?\b")


def unique_word() -> str:
    """A made-up word no demo text contains, to find what a test created."""
    return "Zor" + "".join(random.choices(string.ascii_lowercase, k=8))  # noqa: S311


def log_in(browser, demo_url, email):
    """A new browser context signed in as email, and its page."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(demo_url + "/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/compte/espace/$"))
    return page


def total(page) -> int:
    """The number of solutions the search results announce."""
    heading = page.locator("#catalogue-search-total")
    expect(heading).to_have_text(TOTAL)
    return int(TOTAL.match(heading.text_content()).group(1))


def search(page, demo_url, words):
    page.goto(demo_url + "/catalogue/")
    page.get_by_label("Rechercher une solution").fill(words)
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(page.locator("#catalogue-search-total")).to_contain_text(f"pour « {words} »")


def test_visitor_narrows_a_search_with_a_facet_and_the_url_keeps_it(page, demo_url):
    """A facet ticked on a search keeps only its solutions, and the address (GET
    parameters) brings back the same results; the search page has no serious axe issue."""
    search(page, demo_url, "fuites")
    expect(page).to_have_url(re.compile(r"[?&]q=fuites"))
    before = total(page)
    assert before >= 2
    expect(page.locator(".catalogue-search-cards > li")).to_have_count(before)
    screenshot(page, "catalogue-recherche")
    assert serious_violations(page) == []

    summary = page.locator(".catalogue-search-facets > summary")
    if summary.is_visible():  # on narrow screens the facets fold under "Filtres"
        summary.click()
    axis = page.get_by_role("group", name="Axe")
    facet = axis.get_by_role("checkbox", name=re.compile(r"^Attractivité"))
    facet_count = int(re.search(r"\((\d+)", facet.locator("xpath=..").inner_text()).group(1))
    assert 0 < facet_count < before
    facet.check()
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page).to_have_url(re.compile(r"[?&]axis=attractiveness\b"))
    expect(page).to_have_url(re.compile(r"[?&]q=fuites\b"))
    expect(page.locator("#catalogue-search-total")).to_have_text(
        re.compile(rf"^\s*{facet_count} solutions?\b")
    )
    expect(page.get_by_role("checkbox", name=re.compile(r"^Attractivité"))).to_be_checked()
    screenshot(page, "catalogue-recherche-filtree")
    filtered_names = page.locator(".catalogue-search-cards > li h3").all_inner_texts()

    page.goto(page.url)
    assert total(page) == facet_count
    assert page.locator(".catalogue-search-cards > li h3").all_inner_texts() == filtered_names
    expect(page.get_by_role("checkbox", name=re.compile(r"^Attractivité"))).to_be_checked()
    assert serious_violations(page) == []


def fill_offer(page, name):
    page.get_by_label("Nom", exact=True).fill(name)
    page.get_by_label("Résumé", exact=True).fill(
        "Alertes de débit de nuit sur les compteurs des bâtiments communaux."
    )
    page.get_by_role("checkbox", name=WATER_LEAKS, exact=True).check()
    page.get_by_label("Maturité", exact=True).select_option(label="Éprouvée")
    page.get_by_label("Licence", exact=True).select_option(label="Propriétaire")
    page.get_by_label("Hébergement des données", exact=True).select_option(
        label="Hébergé en France"
    )
    page.get_by_label("Population minimale visée", exact=True).fill("1000")
    figure = page.get_by_role("group", name="Chiffre 1")
    figure.get_by_label("Grandeur").select_option(label="Investissement")
    figure.get_by_label("Libellé").fill("Capteur posé")
    figure.get_by_label("Unité").select_option(label="€")
    figure.get_by_label("Base (facultatif)").fill("par compteur")
    return figure


def test_provider_offer_is_published_only_after_the_operator_approves_it(browser, page, demo_url):
    """A provider's new offer stays out of the public search until an operator approves
    it with a reason; a declared figure with low > high is refused in French."""
    name = f"Veille{unique_word()}"
    provider = log_in(browser, demo_url, PROVIDER)
    provider.get_by_role("link", name="Exemple SARL").click()
    expect(provider.get_by_role("heading", level=1)).to_have_text("Exemple SARL")
    provider.get_by_role("link", name="Proposer une offre").click()
    expect(provider.get_by_role("heading", level=1)).to_have_text("Proposer une offre")

    figure = fill_offer(provider, name)
    figure.get_by_label("Valeur basse").fill("300")
    figure.get_by_label("Valeur haute").fill("100")
    provider.get_by_role("button", name="Envoyer en modération").click()
    high = provider.get_by_role("group", name="Chiffre 1").get_by_label("Valeur haute")
    expect(high).to_have_attribute("aria-invalid", "true")
    error = provider.locator(f"#{high.get_attribute('id')}_error")
    expect(error).to_contain_text(
        "La valeur haute doit être supérieure ou égale à la valeur basse."
    )
    expect(provider.get_by_role("heading", level=1)).to_have_text("Proposer une offre")
    screenshot(provider, "catalogue-offre-erreur-chiffre")
    provider.goto(provider.url.split("offres/")[0])
    expect(provider.get_by_role("main")).not_to_contain_text(name)

    provider.get_by_role("link", name="Proposer une offre").click()
    figure = fill_offer(provider, name)
    figure.get_by_label("Valeur basse").fill("100")
    figure.get_by_label("Valeur haute").fill("300")
    screenshot(provider, "catalogue-offre-formulaire")
    provider.get_by_role("button", name="Envoyer en modération").click()
    expect(provider.get_by_text("L'offre est envoyée en modération.")).to_be_visible()
    row = provider.get_by_role("row").filter(has_text=name)
    expect(row.get_by_role("cell").nth(1)).to_have_text("En attente de modération")
    screenshot(provider, "catalogue-offre-en-attente")
    provider.context.close()

    search(page, demo_url, name)
    assert total(page) == 0
    expect(page.get_by_role("link", name=name)).to_have_count(0)

    operator = log_in(browser, demo_url, OPERATOR)
    operator.goto(demo_url + "/catalogue/moderation/")
    screenshot(operator, "catalogue-moderation-file")
    operator.get_by_role("link", name=name, exact=True).click()
    expect(operator.get_by_role("heading", level=1)).to_have_text(f"Modérer {name}")
    expect(operator.get_by_role("main")).to_contain_text("Capteur posé")
    operator.get_by_label("Décision").select_option(label="Publier")
    operator.get_by_label("Motif").fill("Offre complète, chiffre déclaré plausible.")
    screenshot(operator, "catalogue-moderation-offre")
    operator.get_by_role("button", name="Enregistrer la décision").click()
    expect(operator.get_by_text(f"L'offre {name} est publiée.")).to_be_visible()
    expect(operator.get_by_role("link", name=name, exact=True)).to_have_count(0)
    operator.context.close()

    search(page, demo_url, name)
    assert total(page) == 1
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("main")).to_contain_text("Déclaré")
    screenshot(page, "catalogue-offre-publiee")


def test_town_feedback_is_shown_on_the_use_case_only_after_moderation(browser, page, demo_url):
    """A town agent's experience feedback appears on the use-case page, under the town's
    name, only once an operator has published it."""
    title = f"Capteurs posés sur {unique_word()} : premières fuites trouvées"
    agent = log_in(browser, demo_url, AGENT)
    agent.goto(demo_url + WATER_LEAKS_PAGE)
    expect(agent.get_by_role("heading", level=1)).to_have_text(WATER_LEAKS)
    agent.get_by_role("link", name="Partager votre retour d'expérience").click()
    expect(agent.get_by_role("heading", level=1)).to_have_text("Partager votre retour d'expérience")
    expect(agent.get_by_label("Collectivité")).to_have_value(re.compile(r"^\d+$"))
    expect(agent.get_by_label("Cas d'usage")).to_have_value("capteurs-fuites-eau")
    agent.get_by_label("Titre", exact=True).fill(title)
    population = agent.get_by_label("Population au moment du projet")
    if not population.input_value():
        population.fill("9899")
    agent.get_by_label("Investissement réel (€) (facultatif)").fill("4200")
    agent.get_by_label("Indicateur suivi (facultatif)").fill("Débit de nuit des écoles")
    agent.get_by_role("radio", name="Oui").check()
    agent.get_by_label("Enseignements (facultatif)").fill(
        "Désigner dès le départ qui reçoit les alertes."
    )
    screenshot(agent, "catalogue-retour-formulaire")
    agent.get_by_role("button", name="Envoyer pour relecture").click()
    expect(
        agent.get_by_text("Merci : votre retour d'expérience sera publié après relecture.")
    ).to_be_visible()
    screenshot(agent, "catalogue-retour-envoye")
    agent.context.close()

    page.goto(demo_url + WATER_LEAKS_PAGE)
    expect(page.get_by_role("heading", level=1)).to_have_text(WATER_LEAKS)
    expect(page.get_by_role("main")).not_to_contain_text(title)

    operator = log_in(browser, demo_url, OPERATOR)
    operator.goto(demo_url + "/catalogue/moderation/retours/")
    item = operator.get_by_role("region", name=title)
    expect(item).to_contain_text("Saint-Amand-Montrond")
    item.get_by_label("Décision").select_option(label="Publier")
    screenshot(operator, "catalogue-moderation-retours")
    item.get_by_role("button", name="Valider la décision").click()
    expect(operator.get_by_text("Le retour d'expérience est publié.")).to_be_visible()
    expect(operator.get_by_role("region", name=title)).to_have_count(0)
    operator.context.close()

    page.goto(demo_url + WATER_LEAKS_PAGE)
    published = page.locator("article.catalogue-feedback").filter(
        has=page.get_by_role("heading", name=title, exact=True)
    )
    expect(published).to_have_count(1)
    expect(published).to_contain_text("Saint-Amand-Montrond")
    published.scroll_into_view_if_needed()
    screenshot(page, "catalogue-retour-publie")
