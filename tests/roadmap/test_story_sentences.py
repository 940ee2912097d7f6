"""The plan in a few sentences, on Saint-Amand-Montrond's demo plan: what starts first,
what it saves, what the savings pay for, and the same figures as the plan itself."""

import re

import pytest

from territoria.roadmap import demo
from territoria.roadmap.models import Scenario
from territoria.roadmap.templatetags.roadmap_tags import eur_range, pct


@pytest.fixture
def story_page(shipped, client):
    demo.load([shipped.saint_amand])
    scenario = Scenario.objects.get(collectivite=shipped.saint_amand)
    client.force_login(shipped.agent_saint_amand)
    response = client.get(scenario.get_absolute_url())
    return scenario, response


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_the_story_opens_the_plan_with_its_own_figures(story_page):
    scenario, response = story_page
    sentences = [_text(str(s)) for s in response.context["story"]]
    assert 3 <= len(sentences) <= 5
    plan = scenario.result["ends"]["central"]
    first_year = scenario.result["profile"]["first_year"]
    leak = scenario.result["economics"]["capteurs-fuites-eau"]
    assert sentences[0].startswith(f"En {first_year}, le plan commence par ")
    assert "Détection des fuites" in sentences[0] or leak["title"] in sentences[0]
    assert eur_range(leak["saving"]) in sentences[0] or "d'économies par an" in sentences[0]
    assert any("paient ensuite" in s for s in sentences)
    assert any(pct(plan["self_financed_share"] * 100) in s for s in sentences)
    page = response.content.decode()
    assert page.index("Le plan en bref") < page.index("Trois fourchettes")


def test_every_figure_of_the_story_is_a_link(story_page):
    """Amounts and shares sit inside links (to the use case's sourced figures, the cash
    table or the profile); outside the links only years and counts remain."""
    _scenario, response = story_page
    for sentence in response.context["story"]:
        outside = re.sub(r"<a [^>]+>.*?</a>", "", str(sentence))
        assert not re.search(r"\d\s?(?:€|%)", outside), sentence
        assert re.search(r"<a [^>]+>[^<]*\d[^<]*(?:€|%)</a>", str(sentence)) or "en 20" in str(
            sentence
        )
