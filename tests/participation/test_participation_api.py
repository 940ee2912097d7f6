"""The public API: budgets and ideas, votes only after publication, nothing personal."""

import pytest

from territoria.participation import budget_actions
from territoria.participation.enums import Visibility
from tests.participation.factories import make_idea, voting_campaign


@pytest.mark.django_db
def test_votes_appear_only_once_results_are_published(client, world):
    """During the vote the API gives projects without votes; after, votes and ranks."""
    campaign, projects, _ = voting_campaign(world.saint_amand, world.agent_saint_amand)
    url = f"/api/participation/saint-amand-montrond/budgets/{campaign.slug}"
    during = client.get(url).json()
    assert (during["phase"], during["results_published"]) == ("voting", False)
    assert {p["votes"] for p in during["projects"]} == {None}
    budget_actions.publish_results(campaign, world.agent_saint_amand)
    after = client.get(url).json()
    assert [p["votes"] for p in after["projects"]] == [0, 0, 0]
    assert client.get(url + "-inconnu").json() == {
        "code": "not_found",
        "message": "Budget participatif inconnu.",
    }


@pytest.mark.django_db
def test_ideas_show_display_names_only(client, world):
    """Published ideas carry the chosen display name, never the e-mail; hidden ones are absent."""
    make_idea(world.niort, world.citizen, title="Visible")
    make_idea(world.niort, world.citizen, title="Masquée", visibility=Visibility.HIDDEN)
    body = client.get("/api/participation/niort/idees")
    assert [(i["title"], i["author"]) for i in body.json()] == [("Visible", "Un habitant")]
    assert world.citizen.email not in body.content.decode()
