"""Casting a ballot: one verified person, one ballot, and bad input changes nothing."""

import datetime

from django.urls import reverse

import pytest

from territoria.accounts.actions import ActionError
from territoria.participation import budget_actions
from territoria.participation.enums import Channel, Phase
from territoria.participation.models import Ballot, Campaign, Voter
from tests.participation.factories import letter_codes, make_campaign, make_project, voting_campaign

BIRTH = datetime.date(1985, 4, 12)


def _counts():
    return Ballot.objects.count(), Voter.objects.count()


@pytest.fixture
def open_budget(world):
    return voting_campaign(world.saint_amand, world.agent_saint_amand)


def test_a_census_voter_votes_once_and_the_ballot_has_no_voter(open_budget):
    """A person of the census votes; the register and the ballot are not linked."""
    campaign, projects, _letters = open_budget
    digest = budget_actions.verify_census(campaign, "MARTIN", "camille", BIRTH)
    ballot = budget_actions.cast_ballot(
        campaign, digest, Channel.CENSUS, [projects[2].pk, projects[0].pk]
    )
    assert ballot.choices == sorted([projects[0].pk, projects[2].pk])
    assert {f.name for f in Ballot._meta.fields} == {"id", "campaign", "choices", "paper"}
    assert list(Voter.objects.values_list("identity_hash", flat=True)) == [digest]
    with pytest.raises(ActionError) as again:
        budget_actions.verify_census(campaign, "Martin", "Camille", BIRTH)
    assert again.value.code == "already_voted"


@pytest.mark.parametrize(
    ("choice_index", "rule", "code"),
    [
        ([0, 1], {"rule": "budget"}, "over_envelope"),
        ([0, 1, 2], {"rule": "approval", "max_projects": 2}, "too_many_projects"),
    ],
    ids=["over_envelope_case", "over_n_projects_case"],
)
def test_a_ballot_breaking_the_rule_changes_nothing(world, choice_index, rule, code):
    """A ballot over the envelope or over N projects is refused with a clear message."""
    campaign, projects, _ = voting_campaign(world.saint_amand, world.agent_saint_amand, **rule)
    digest = budget_actions.verify_census(campaign, "Martin", "Camille", BIRTH)
    with pytest.raises(ActionError) as refused:
        budget_actions.cast_ballot(
            campaign, digest, Channel.CENSUS, [projects[i].pk for i in choice_index]
        )
    assert refused.value.code == code
    assert _counts() == (0, 0)


def test_a_project_of_another_campaign_is_refused(world, open_budget):
    """A project id from another campaign is not on this ballot."""
    campaign, _projects, _ = open_budget
    other = make_campaign(world.saint_amand, slug="autre")
    foreign = make_project(other, "Ailleurs", 1_000)
    digest = budget_actions.verify_census(campaign, "Martin", "Camille", BIRTH)
    with pytest.raises(ActionError) as refused:
        budget_actions.cast_ballot(campaign, digest, Channel.CENSUS, [foreign.pk])
    assert refused.value.code == "unknown_project"
    assert str(refused.value.message) == "Un des projets choisis n'est pas soumis à ce vote."
    assert _counts() == (0, 0)


def test_voting_outside_the_voting_phase_is_refused(world):
    """Before the vote opens, no ballot is accepted."""
    campaign = make_campaign(world.saint_amand)
    project = make_project(campaign, "Jardin", 1_000)
    with pytest.raises(ActionError) as refused:
        budget_actions.cast_ballot(campaign, "x" * 64, Channel.CENSUS, [project.pk])
    assert refused.value.code == "vote_closed"
    assert _counts() == (0, 0)


def test_a_printed_code_works_once(open_budget):
    """A replayed code is refused and the person cannot vote again through the census."""
    campaign, projects, letters = open_budget
    code = letter_codes(letters)[0]
    digest, code_digest = budget_actions.verify_code(campaign, code.lower().replace("-", " "))
    budget_actions.cast_ballot(
        campaign, digest, Channel.CODE, [projects[0].pk], code_hash=code_digest
    )
    with pytest.raises(ActionError) as replay:
        budget_actions.verify_code(campaign, code)
    assert replay.value.code == "code_used"
    with pytest.raises(ActionError) as census:
        budget_actions.verify_census(campaign, "Martin", "Camille", BIRTH)
    assert census.value.code == "already_voted"
    assert _counts() == (1, 1)


def test_a_double_submission_records_one_ballot(open_budget):
    """The same verified person submitting twice gets one ballot and a clear refusal."""
    campaign, projects, _ = open_budget
    digest = budget_actions.verify_census(campaign, "Martin", "Camille", BIRTH)
    budget_actions.cast_ballot(campaign, digest, Channel.CENSUS, [projects[0].pk])
    with pytest.raises(ActionError) as second:
        budget_actions.cast_ballot(campaign, digest, Channel.CENSUS, [projects[1].pk])
    assert second.value.code == "already_voted"
    assert _counts() == (1, 1)


def test_rules_cannot_change_once_the_vote_is_open(world, open_budget):
    """After opening (and after a first ballot) the rule and envelope are frozen."""
    campaign, projects, _ = open_budget
    digest = budget_actions.verify_census(campaign, "Martin", "Camille", BIRTH)
    budget_actions.cast_ballot(campaign, digest, Channel.CENSUS, [projects[0].pk])
    with pytest.raises(ActionError) as refused:
        budget_actions.set_rules(campaign, world.agent_saint_amand, envelope=1_000_000)
    assert refused.value.code == "rules_frozen"
    assert Campaign.objects.get(pk=campaign.pk).envelope == 100_000


def test_rules_change_before_the_vote(world):
    """Before the vote opens an agent may switch to approval voting with a limit."""
    campaign = make_campaign(world.saint_amand)
    budget_actions.set_rules(campaign, world.agent_saint_amand, rule="approval", max_projects=3)
    campaign.refresh_from_db()
    assert (campaign.rule, campaign.max_projects) == ("approval", 3)


def test_a_paper_voter_cannot_then_vote_online(world, open_budget):
    """A paper ballot entered by an agent blocks that person's online vote."""
    campaign, projects, _ = open_budget
    budget_actions.paper_ballot(
        campaign,
        world.agent_saint_amand,
        last_name="Petit",
        first_name="Hugo",
        birth=datetime.date(1972, 7, 21),
        choices=[projects[1].pk],
    )
    with pytest.raises(ActionError) as online:
        budget_actions.verify_census(campaign, "Petit", "Hugo", datetime.date(1972, 7, 21))
    assert online.value.code == "already_voted"
    assert list(Ballot.objects.values_list("paper", flat=True)) == [True]
    assert list(Voter.objects.values_list("channel", flat=True)) == ["paper"]


def test_a_district_vote_refuses_other_districts(world):
    """A vote restricted to a district refuses residents of another district."""
    campaign, _projects, _ = voting_campaign(
        world.saint_amand, world.agent_saint_amand, district="Centre"
    )
    with pytest.raises(ActionError) as refused:
        budget_actions.verify_census(campaign, "Petit", "Hugo", datetime.date(1972, 7, 21))
    assert refused.value.code == "wrong_district"
    assert budget_actions.verify_census(campaign, "Durand", "Léa", datetime.date(1990, 11, 3))


def test_results_follow_the_rule_and_are_published(client, world, open_budget):
    """Publishing counts the ballots, ranks projects and marks the winners."""
    campaign, projects, _ = open_budget
    people = [
        ("Martin", "Camille", "1985-04-12"),
        ("Durand", "Léa", "1990-11-03"),
        ("Petit", "Hugo", "1972-07-21"),
    ]
    choices = [[1, 2], [1], [0, 2]]
    for (last, first, birth), picks in zip(people, choices, strict=True):
        digest = budget_actions.verify_census(
            campaign, last, first, datetime.date.fromisoformat(birth)
        )
        budget_actions.cast_ballot(
            campaign, digest, Channel.CENSUS, [projects[i].pk for i in picks]
        )
    outcome = budget_actions.publish_results(campaign, world.agent_saint_amand)
    campaign.refresh_from_db()
    assert campaign.phase == Phase.RESULTS
    # Two votes each for the cycle lanes and the book box: the cheaper comes first.
    assert outcome.ranking == [projects[2].pk, projects[1].pk, projects[0].pk]
    assert outcome.winners == [projects[2].pk, projects[1].pk]
    projects[0].refresh_from_db()
    assert (projects[0].votes, projects[0].rank, projects[0].status) == (1, 3, "not_selected")
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert page.count('class="chart"') == 1
    assert "Lauréat" in page


def test_the_vote_pages_take_a_code_then_a_ballot(client, open_budget):
    """On the site: code, then ballot, then thanks; a second try with the code fails."""
    campaign, projects, letters = open_budget
    code = letter_codes(letters)[1]
    vote_url = reverse(
        "participation:vote", kwargs={"slug": "saint-amand-montrond", "campaign": campaign.slug}
    )
    response = client.post(vote_url, {"method": "code", "code-code": code})
    assert response.status_code == 302
    response = client.post(response.url, {"projects": [projects[0].pk, projects[1].pk]})
    assert response.status_code == 400
    assert "(110\u202f000 €) dépasse l&#x27;enveloppe" in response.content.decode()
    response = client.post(
        reverse(
            "participation:ballot",
            kwargs={"slug": "saint-amand-montrond", "campaign": campaign.slug},
        ),
        {"projects": [projects[0].pk]},
    )
    assert response.status_code == 302
    assert response.url.endswith("/a-vote/")
    again = client.post(vote_url, {"method": "code", "code-code": code})
    assert again.status_code == 409
    assert "Ce code a déjà servi" in again.content.decode()
    assert _counts() == (1, 1)


def test_guessing_identities_is_slowed_down(client, settings, open_budget):
    """After N failed checks from one network in an hour, even a right code waits."""
    settings.PARTICIPATION_VERIFY_ATTEMPTS_PER_HOUR = 3
    campaign, _projects, letters = open_budget
    url = reverse(
        "participation:vote", kwargs={"slug": "saint-amand-montrond", "campaign": campaign.slug}
    )
    for birth in ("1985-04-13", "1985-04-14", "1985-04-15"):
        wrong = client.post(
            url,
            {
                "method": "census",
                "census-last_name": "Martin",
                "census-first_name": "Camille",
                "census-birth": birth,
            },
        )
        assert wrong.status_code == 403
    blocked = client.post(url, {"method": "code", "code-code": letter_codes(letters)[0]})
    assert blocked.status_code == 429
    assert "Trop d&#x27;essais de vérification" in blocked.content.decode()
