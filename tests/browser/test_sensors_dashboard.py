"""Sensors on the real demo: Saint-Amand-Montrond's agent sees the dashboard with the
devices' map and a leak alert, acknowledges it then closes it; La Baule's public
real-time page is open to everyone; Arras' map, parking and charts read right on a
desktop and on a phone."""

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
    agent.wait_for_function(SETTLED)
    assert serious_violations(agent) == []
    screenshot(agent, "sensors-dashboard")

    agent.get_by_role(
        "link", name=re.compile("Fuite probable après compteur sur Gymnase municipal")
    ).click()
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
        page.get_by_role("heading", name="Fréquentation — Plage Benoît (La Baule-Escoublac)")
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


SIZES = [
    pytest.param({"width": 1366, "height": 900}, id="desktop_case"),
    pytest.param({"width": 390, "height": 844}, id="phone_case"),
]
MARKER_STATES = """(map) =>
  [...map.querySelectorAll(".leaflet-marker-icon.map-symbol")].map((m) => ({
  state: [...m.classList].find((c) => /^map-symbol-(ok|warn|alert)$/.test(c)),
  cluster: m.classList.contains("map-symbol-cluster"),
  glyph: (m.querySelector("[aria-hidden]") || m).textContent,
  name: (m.querySelector(".visually-hidden") || m).textContent,
}))"""
LEGEND = """(legend) => [...legend.querySelectorAll(".map-symbol:not(.map-symbol-cluster)")].map(
  (s) => [[...s.classList].find((c) => /^map-symbol-(ok|warn|alert)$/.test(c)), s.textContent])"""
# Clusters fade in after the first zoom: wait until every marker is drawn.
SETTLED = """() => [...document.querySelectorAll(".leaflet-marker-icon")]
  .every((m) => getComputedStyle(m).opacity === "1")"""
# The element drawn on top at the alert marker's centre: the marker itself, not a cluster.
ON_TOP = """(marker) => { const box = marker.getBoundingClientRect();
  const top = document.elementFromPoint(box.x + box.width / 2, box.y + box.height * 0.7);
  return marker.contains(top); }"""
CHART_TEXT = """(svg) => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const sizes = [...svg.querySelectorAll("text")].filter((t) => t.getBBox().width > 0)
    .map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
  const box = svg.parentElement.getBoundingClientRect();
  const style = getComputedStyle(svg.parentElement);
  return { smallest: Math.min(...sizes), width: svg.getBoundingClientRect().width,
    room: box.width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) }; }"""


@pytest.mark.parametrize("size", SIZES)
def test_arras_map_legend_parking_and_places_read_right(demo_url, browser, size):
    """Arras: « Capteurs d'Arras »; each marker's symbol is one of the legend's, the
    stuck place's alert is drawn on its own above the clusters at the first zoom; the
    car park gives its median stay and overstays; its places are listed 1, 2 … 10."""
    agent = log_in(browser, demo_url, "agent.arras@demo.test")
    agent.set_viewport_size(size)
    agent.goto(demo_url + "/capteurs/arras/")
    expect(agent.get_by_role("heading", name="Capteurs d'Arras")).to_be_visible()
    alert = agent.locator(".map .map-symbol-alert:not(.map-symbol-cluster)")
    expect(alert).to_have_count(1)
    agent.locator(".map").scroll_into_view_if_needed()
    expect(alert).to_be_in_viewport()
    agent.wait_for_function(SETTLED)
    assert alert.evaluate(ON_TOP)
    legend = dict(agent.locator(".map-legend").evaluate(LEGEND))
    assert set(legend) == {"map-symbol-ok", "map-symbol-warn", "map-symbol-alert"}
    markers = agent.locator(".map").evaluate(MARKER_STATES)
    assert any(m["cluster"] for m in markers)
    for marker in markers:
        assert marker["state"] in legend
        if not marker["cluster"]:
            assert marker["glyph"] == legend[marker["state"]]
    assert "Place 7 — Place de stationnement — alerte en cours" in [m["name"] for m in markers]
    parking = agent.locator("section[aria-labelledby=parking-title]")
    expect(parking.get_by_text("Durée médiane d'un stationnement")).to_be_visible()
    expect(
        parking.get_by_text(re.compile(r"Au-delà de la durée maximale \(120 min\)"))
    ).to_be_visible()
    assert agent.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert serious_violations(agent) == []
    screenshot(agent, f"sensors-arras-{size['width']}")
    agent.get_by_role("link", name="Parking de la Grand-Place").first.click()
    places = agent.locator("h2:text-is('Capteurs du site') + ul > li")
    names = [re.match(r"\s*(Place \d+)", text).group(1) for text in places.all_inner_texts()]
    assert names == [f"Place {i}" for i in range(1, 21)]
    agent.context.close()


@pytest.mark.parametrize("size", SIZES)
def test_beach_page_level_and_chart_text(demo_url, browser, size):
    """La Baule's beach: the crowd level (calme, fréquentée or saturée) with the number
    of people against the capacity, kept by the live update; the chart spans the
    column and its text reads at 12 px at least, on a phone too."""
    context = browser.new_context(locale="fr-FR", viewport=size)
    page = context.new_page()
    page.goto(demo_url + "/capteurs/")
    page.get_by_role("link", name=re.compile("Plage Benoît")).click()
    expect(
        page.get_by_role("heading", name="Fréquentation — Plage Benoît (La Baule-Escoublac)")
    ).to_be_visible()
    level = page.locator("[data-crowd-level]")
    expect(level).to_contain_text(
        re.compile(r"(calme|fréquentée|saturée)\s+—\s+environ [\d\s]+ personnes pour 4\s000 places")
    )
    api = page.request.get(
        demo_url + page.locator("[data-territoria-live]").get_attribute("data-url")
    ).json()
    page.evaluate(
        """() => new Promise((done) => {
        const box = document.querySelector("[data-territoria-live]");
        box.addEventListener("territoria:live-updated", done, { once: true });
        box.dispatchEvent(new Event("territoria:live-refresh")); })"""
    )
    expect(level).to_have_attribute("data-crowd-level", api["crowd"]["level"])
    expect(level.locator(".crowd-label")).to_have_text(api["crowd"]["label"])
    expect(level).to_have_class(re.compile(f"crowd-{api['crowd']['level']}"))
    chart = page.locator("svg.chart").first
    measures = chart.evaluate(CHART_TEXT)
    assert measures["smallest"] >= 12
    if size["width"] < 600:
        assert measures["width"] >= measures["room"] - 1
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert serious_violations(page) == []
    screenshot(page, f"sensors-beach-{size['width']}")
    context.close()
