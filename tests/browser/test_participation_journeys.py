"""Participation on the real demo: a resident of Arras votes from a phone with the code
of her letter, then proposes and supports ideas in Niort's idea box; an agent of Cahors
opens the vote, enters a paper ballot and publishes the results."""

import datetime
import random
import string

import pytest
from playwright.sync_api import expect

from territoria.participation.demo import _census_text
from tests.browser.conftest import screenshot
from tests.browser.test_catalogue_journeys import log_in
from tests.browser.test_newcomer_journey import log_in as log_in_page
from tests.browser.test_newcomer_journey import serious_violations
from tests.browser.test_reports_journey import demo_var

pytestmark = pytest.mark.browser

ARRAS_BUDGET = "/participation/arras/budgets/budget-participatif-2026/"
CAHORS_BUDGET = "/participation/cahors/budgets/budget-participatif-2027/"


def test_a_resident_votes_with_her_code_and_proposes_an_idea(demo_url, phone, tmp_path_factory):
    """Phone: code → ballot within the envelope → thanks; the code cannot be replayed;
    then an idea in Niort's box, and a support for another one."""
    letters = demo_var(tmp_path_factory) / "participation" / "courriers-arras.csv"
    code = letters.read_text().splitlines()[7].split(";")[-1]

    phone.goto(demo_url + ARRAS_BUDGET)
    expect(phone.get_by_role("heading", name="Budget participatif 2026")).to_be_visible()
    phone.get_by_role("link", name="Voter", exact=True).click()
    phone.get_by_role("textbox", name="Code reçu par courrier").fill(code)
    assert serious_violations(phone) == []
    screenshot(phone, "participation-01-phone-code")
    phone.get_by_role("button", name="Continuer avec mon code").click()
    phone.get_by_label("Jardin partagé de la citadelle").check()
    phone.get_by_label("Pistes cyclables rue Baudimont").check()
    phone.get_by_label("Fontaines à eau sur les places").check()
    expect(phone.locator("[data-territoria-ballot-total]")).to_contain_text("152")
    phone.get_by_role("button", name="Valider mon vote").click()
    expect(phone.get_by_role("alert")).to_contain_text("dépasse l'enveloppe de 150")
    screenshot(phone, "participation-02-phone-over-envelope")
    phone.get_by_label("Fontaines à eau sur les places").uncheck()
    phone.get_by_label("Boîtes à livres dans cinq quartiers").check()
    assert serious_violations(phone) == []
    phone.get_by_role("button", name="Valider mon vote").click()
    expect(phone.get_by_role("heading", name="Merci, votre vote est enregistré")).to_be_visible()
    screenshot(phone, "participation-03-phone-voted")
    phone.goto(demo_url + ARRAS_BUDGET + "voter/")
    phone.get_by_role("textbox", name="Code reçu par courrier").fill(code)
    phone.get_by_role("button", name="Continuer avec mon code").click()
    expect(phone.get_by_role("alert")).to_contain_text("Ce code a déjà servi")

    word = "Idée" + "".join(random.choices(string.ascii_lowercase, k=6))  # noqa: S311
    log_in_page(phone, demo_url, "habitante@demo.test")
    phone.goto(demo_url + "/participation/niort/idees/proposer/")
    phone.get_by_label("Titre").fill(f"Un banc à l'ombre {word}")
    phone.get_by_label("Votre idée").fill("Un banc près de l'arrêt de bus de la place.")
    phone.get_by_label("Thème").select_option(label="Cadre de vie")
    phone.get_by_label("Nom affiché").fill("Camille")
    assert serious_violations(phone) == []
    phone.get_by_role("button", name="Publier mon idée").click()
    expect(phone.get_by_role("heading", name=f"Un banc à l'ombre {word}")).to_be_visible()
    expect(phone.get_by_text("Proposée par Camille")).to_be_visible()
    expect(phone.get_by_text("habitante@demo.test")).to_have_count(0)
    phone.goto(demo_url + "/participation/niort/idees/?tri=soutiens")
    phone.get_by_role("link", name="Des arceaux vélo devant le marché").click()
    expect(phone.get_by_text("douze arceaux")).to_be_visible()
    phone.get_by_role("button", name="Soutenir cette idée").click()
    expect(phone.get_by_role("button", name="Vous soutenez cette idée")).to_be_disabled()
    screenshot(phone, "participation-04-phone-idea")


def test_an_agent_opens_the_vote_enters_a_paper_ballot_and_publishes(demo_url, browser):
    """Desktop: the agent opens Cahors's vote (rules freeze), enters a paper ballot,
    then publishes the results, which the public page shows."""
    last, first, birth = _census_text(random.Random(46042), 60).splitlines()[1].split(";")[:3]  # noqa: S311
    page = log_in(browser, demo_url, "agent.cahors@demo.test")
    page.goto(demo_url + CAHORS_BUDGET + "gestion/")
    expect(page.get_by_role("combobox", name="Règle de vote")).to_be_visible()
    page.get_by_role("button", name="Ouvrir le vote").click()
    expect(page.get_by_text("Le vote est ouvert ; les règles sont figées.")).to_be_visible()
    expect(page.get_by_role("combobox", name="Règle de vote")).to_have_count(0)
    page.get_by_label("Nom de naissance").fill(last)
    page.get_by_label("Prénom(s)").fill(first)
    page.get_by_label("Date de naissance").fill(
        datetime.datetime.strptime(birth, "%d/%m/%Y").date().isoformat()  # noqa: DTZ007
    )
    page.get_by_label("Vélos-cargos en prêt").check()
    page.get_by_label("Fresques participatives").check()
    assert serious_violations(page) == []
    screenshot(page, "participation-05-agent-paper-ballot")
    page.get_by_role("button", name="Enregistrer le bulletin papier").click()
    expect(page.get_by_text("Bulletin papier enregistré")).to_be_visible()
    page.get_by_role("button", name="Clore le vote et publier les résultats").click()
    expect(page.get_by_text("Résultats publiés.")).to_be_visible()
    page.goto(demo_url + CAHORS_BUDGET)
    results = page.get_by_role("table")
    expect(results.get_by_role("row")).to_have_count(5)
    expect(results.get_by_role("row").nth(1)).to_contain_text("Vélos-cargos en prêt")
    expect(results.get_by_role("row").nth(1)).to_contain_text("Lauréat")
    assert serious_violations(page) == []
    screenshot(page, "participation-06-results")
