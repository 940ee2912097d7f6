"""Consultations: conditional questions, one response per respondent, rate limits,
moderated free text, charts and CSV export."""

from django.urls import reverse

import pytest

from territoria.accounts.actions import ActionError
from territoria.participation import consultation_actions, survey
from territoria.participation.models import Answer, Response
from tests.participation.factories import make_consultation


def _url(name, consultation):
    return reverse(
        f"participation:{name}",
        kwargs={"slug": consultation.collectivite.slug, "consultation": consultation.slug},
    )


def _answers(qs, bike="Oui"):
    q1, q2, q3, q4, q5 = qs
    return {
        f"q{q1.pk}": bike,
        f"q{q2.pk}": ["École", "Loisirs"],
        f"q{q3.pk}": "4",
        f"q{q4.pk}_0": "2",
        f"q{q4.pk}_1": "3",
        f"q{q4.pk}_2": "1",
        f"q{q5.pk}": "Plus d'arceaux à la gare",
    }


def test_a_verified_respondent_answers_once(client, world):
    """A signed-in person answers; a second response is refused and nothing is added."""
    consultation, qs = make_consultation(world.niort)
    client.force_login(world.citizen)
    response = client.post(_url("consultation", consultation), _answers(qs))
    assert response.status_code == 302
    stored = dict(Answer.objects.values_list("question_id", "value"))
    assert stored == {
        qs[0].pk: "Oui",
        qs[1].pk: ["École", "Loisirs"],
        qs[2].pk: 4,
        qs[3].pk: ["Bus", "Pistes", "Parkings"],
        qs[4].pk: "Plus d'arceaux à la gare",
    }
    again = client.post(_url("consultation", consultation), _answers(qs))
    assert again.status_code == 409
    assert Response.objects.count() == 1


def test_a_conditional_question_is_dropped_when_it_does_not_apply(world):
    """Answers to a question whose condition is not met are not stored."""
    consultation, qs = make_consultation(world.niort)
    specs = consultation_actions.specs(consultation)
    cleaned, errors = survey.clean_answers(specs, {qs[0].pk: "Non", qs[1].pk: ["École"]})
    assert (cleaned, errors) == ({qs[0].pk: "Non"}, {})


@pytest.mark.parametrize(
    ("raw", "error"),
    [({}, "required"), ({"q1": "Peut-être"}, "unknown_choice")],
    ids=["missing_required_case", "unknown_choice_case"],
)
def test_bad_answers_are_refused_with_a_reason(world, raw, error):
    """A required question left blank or an invented choice is refused."""
    consultation, qs = make_consultation(world.niort)
    raw = {qs[0].pk: raw["q1"]} if raw else {}
    _cleaned, errors = survey.clean_answers(consultation_actions.specs(consultation), raw)
    assert errors == {qs[0].pk: error}


def test_an_incomplete_ranking_is_refused(client, world):
    """Two choices on the same rank are refused and nothing is stored."""
    consultation, qs = make_consultation(world.niort)
    client.force_login(world.citizen)
    answers = _answers(qs) | {f"q{qs[3].pk}_1": "2"}
    response = client.post(_url("consultation", consultation), answers)
    assert response.status_code == 400
    assert "Classez chaque proposition, une place chacune." in response.content.decode()
    assert Response.objects.count() == 0


def test_anonymous_answers_are_one_per_browser_and_rate_limited(client, world, settings):
    """An anonymous browser answers once; a network is limited per hour."""
    settings.PARTICIPATION_SURVEY_RATE_LIMIT_PER_HOUR = 2
    consultation, qs = make_consultation(world.niort, participation="anonymous")
    assert client.post(_url("consultation", consultation), _answers(qs)).status_code == 302
    assert client.post(_url("consultation", consultation), _answers(qs)).status_code == 409
    client.cookies.clear()
    assert client.post(_url("consultation", consultation), _answers(qs)).status_code == 302
    client.cookies.clear()
    third = client.post(_url("consultation", consultation), _answers(qs))
    assert third.status_code == 429
    assert Response.objects.count() == 2


def test_results_show_charts_and_only_published_free_text(client, world):
    """Results have an SVG chart per question; free text appears once moderated."""
    consultation, qs = make_consultation(world.niort)
    client.force_login(world.citizen)
    client.post(_url("consultation", consultation), _answers(qs))
    client.logout()
    page = client.get(_url("consultation_results", consultation)).content.decode()
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 4
    assert "arceaux" not in page
    answer = Answer.objects.get(question=qs[4])
    consultation_actions.review_texts(consultation, world.agent_niort, publish=[answer.pk])
    assert (
        "Plus d&#x27;arceaux à la gare"
        in client.get(_url("consultation_results", consultation)).content.decode()
    )


def test_agents_export_responses_as_csv(client, world):
    """The CSV has one row per response and no respondent key."""
    consultation, qs = make_consultation(world.niort)
    client.force_login(world.citizen)
    client.post(_url("consultation", consultation), _answers(qs))
    client.force_login(world.agent_niort)
    body = client.get(_url("consultation_export", consultation)).content.decode()
    lines = body.strip().splitlines()
    assert lines[0] == (
        "réponse;Venez-vous en vélo ?;Quels trajets ?;Sécurité ressentie;Priorités;Une remarque ?"
    )
    assert lines[1] == "1;Oui;École | Loisirs;4;Bus > Pistes > Parkings;Plus d'arceaux à la gare"
    assert Response.objects.get().respondent_key not in body


def test_the_questionnaire_freezes_after_the_first_response(client, world):
    """No question can be added once responses arrived."""
    consultation, qs = make_consultation(world.niort)
    client.force_login(world.citizen)
    client.post(_url("consultation", consultation), _answers(qs))
    with pytest.raises(ActionError) as refused:
        consultation_actions.add_question(
            consultation, world.agent_niort, kind="text", label="Encore ?"
        )
    assert refused.value.code == "has_responses"


def test_an_agent_builds_a_conditional_question(client, world):
    """The builder adds a question asked only after a given choice."""
    consultation, qs = make_consultation(world.niort)
    client.force_login(world.agent_niort)
    response = client.post(
        _url("consultation_manage", consultation),
        {
            "kind": "single",
            "label": "Avez-vous un vélo électrique ?",
            "choices": "Oui\nNon",
            "scale_min": 1,
            "scale_max": 5,
            "condition_question": qs[0].pk,
            "condition_choice": "Oui",
        },
    )
    assert response.status_code == 302
    added = consultation.questions.last()
    assert (added.choices, added.condition_question, added.position) == (["Oui", "Non"], qs[0], 6)


def test_an_agent_publishes_a_draft_consultation(client, world):
    """A draft is hidden from the public until the agent publishes it."""
    consultation, _qs = make_consultation(world.niort, published=False)
    url = _url("consultation", consultation)
    assert client.get(url).status_code == 404
    client.force_login(world.agent_niort)
    response = client.post(
        _url("consultation_manage", consultation),
        {
            "settings": "1",
            "settings-title": "Le vélo en ville",
            "settings-opens_at": "2026-01-01T08:00",
            "settings-closes_at": "2030-01-01T08:00",
            "settings-participation": "anonymous",
            "settings-results_public": "on",
            "settings-published": "on",
        },
    )
    assert response.status_code == 302
    client.logout()
    assert "Le vélo en ville" in client.get(url).content.decode()


def test_a_consultation_closing_before_it_opens_is_refused(client, world):
    """Dates in the wrong order are refused and nothing changes."""
    consultation, _qs = make_consultation(world.niort)
    client.force_login(world.agent_niort)
    response = client.post(
        _url("consultation_manage", consultation),
        {
            "settings": "1",
            "settings-title": "Autre titre",
            "settings-opens_at": "2030-01-01T08:00",
            "settings-closes_at": "2026-01-01T08:00",
            "settings-participation": "verified",
        },
    )
    assert response.status_code == 400
    assert "La clôture doit suivre l&#x27;ouverture." in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.title == "Consultation mobilité"
