"""Sensors on the real demo: Saint-Amand-Montrond's agent sees the dashboard with the
devices' map and a leak alert, acknowledges it then closes it; La Baule's public
real-time page is open to everyone."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_catalogue_journeys import log_in
from tests.browser.test_newcomer_journey import serious_violations

pytestmark = pytest.mark.browser


def test_agent_sees_the_leak_and_handles_the_alert(demo_url, browser, page):
    """Dashboard with charts, map and the gymnasium leak → acknowledge → close; the
    saving counts on the savings page; the beach page is public."""
    agent = log_in(browser, demo_url, "agent.saint-amand-montrond@demo.test")
    agent.goto(demo_url + "/capteurs/saint-amand-montrond/")
    expect(agent.get_by_role("heading", name="Capteurs de Saint-Amand-Montrond")).to_be_visible()
    expect(agent.locator("svg[role=img]").first).to_be_visible()
    expect(agent.locator(".map .leaflet-interactive").first).to_be_attached()
    assert serious_violations(agent) == []
    screenshot(agent, "sensors-dashboard")

    agent.get_by_role("link", name=re.compile("Débit continu sur Gymnase municipal")).click()
    expect(agent.locator("[data-alert-status]")).to_have_text("Ouverte")
    expect(agent.get_by_text("Eau perdue depuis le début")).to_be_visible()
    agent.get_by_label("Note (facultative)").fill("Plombier prévenu, intervention demain.")
    agent.get_by_role("button", name="Prendre en compte").click()
    expect(agent.locator("[data-alert-status]")).to_have_text("Prise en compte")
    expect(agent.get_by_text("Plombier prévenu, intervention demain.")).to_be_visible()
    agent.get_by_role("button", name=re.compile("Clore l'alerte")).click()
    expect(agent.locator("[data-alert-status]")).to_have_text("Clôturée")

    agent.goto(demo_url + "/capteurs/saint-amand-montrond/economies/")
    expect(agent.get_by_text(re.compile(r"1 fuite close"))).to_be_visible()
    expect(agent.get_by_role("rowheader", name=re.compile("Consommation d'eau"))).to_be_visible()
    screenshot(agent, "sensors-savings")

    page.goto(demo_url + "/capteurs/")
    page.get_by_role("link", name=re.compile("Plage Benoît")).click()
    expect(
        page.get_by_role("heading", name=re.compile("Fréquentation de Plage Benoît"))
    ).to_be_visible()
    assert serious_violations(page) == []


def test_beach_page_fits_a_phone_screen(phone, demo_url):
    """On a phone, La Baule's real-time page shows its chart without horizontal scrolling."""
    phone.goto(demo_url + "/capteurs/")
    phone.get_by_role("link", name=re.compile("Plage Benoît")).click()
    chart = phone.locator("svg.chart").first
    expect(chart).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert chart.bounding_box()["width"] <= phone.viewport_size["width"]
    screenshot(phone, "sensors-beach-phone")


def test_agen_agent_reads_energy_and_air_then_chooses_alert_emails(demo_url, browser):
    """Agen's dashboard: energy per building and air values with their reference values;
    an air sensor's page charts its pollutants; the agent unticks silent-sensor emails."""
    agent = log_in(browser, demo_url, "agent.agen@demo.test")
    agent.goto(demo_url + "/capteurs/agen/")
    energy = agent.locator("section[aria-labelledby=energy-title]")
    expect(energy.get_by_role("rowheader", name="Hôtel de ville")).to_be_visible()
    expect(agent.get_by_text(re.compile(r"directive 2008/50/CE"))).to_be_visible()
    agent.get_by_role("link", name="Boulevard de la République").first.click()
    legend = agent.locator("svg.chart").first
    for pollutant in ("Particules PM10", "Particules PM2,5", "Dioxyde d'azote"):
        expect(legend.get_by_text(pollutant, exact=True)).to_be_visible()
    assert serious_violations(agent) == []
    screenshot(agent, "sensors-air-sensor")

    agent.goto(demo_url + "/capteurs/agen/alertes/")
    agent.get_by_role("link", name="Choisir les alertes que je reçois par courriel").click()
    agent.get_by_label("Capteur muet").uncheck()
    agent.get_by_role("button", name="Enregistrer mes choix").click()
    expect(agent.get_by_text("Vos choix sont enregistrés.")).to_be_visible()
    expect(agent.get_by_label("Capteur muet")).not_to_be_checked()
    expect(agent.get_by_label("Débit continu (fuite après compteur)")).to_be_checked()
    assert serious_violations(agent) == []
    agent.context.close()
