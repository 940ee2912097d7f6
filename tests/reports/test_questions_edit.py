"""Agents edit the extra questions of their categories in the back office: French
errors, all rows saved together or none."""

from django.urls import reverse

import pytest

from territoria.accounts.enums import Role
from territoria.reports.models import Question
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def _url(category):
    return reverse(
        "reports:category_questions",
        kwargs={"slug": category.collectivite.slug, "category_id": category.pk},
    )


def _rows(*rows, initial=1):
    data = {
        "questions-TOTAL_FORMS": str(len(rows)),
        "questions-INITIAL_FORMS": str(initial),
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "30",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"questions-{index}-{name}"] = value
    return data


def _danger(rw, **changes):
    row = {
        "id": str(rw.question.pk),
        "label": "Y a-t-il un danger ?",
        "code": "danger",
        "help_text": "",
        "datatype": "singlevaluelist",
        "choices": "oui = Oui\nnon = Non",
    }
    return row | changes


def _blank():
    return {"id": "", "label": "", "code": "", "help_text": "", "datatype": "string"}


def test_agent_adds_a_question_seen_by_open311_and_the_form(client, rw):
    """A new list question, placed first, shows in the service definition and the form."""
    client.force_login(rw.world.agent_saint_amand)
    page = client.get(_url(rw.lighting))
    assert page.status_code == 200
    assert "Y a-t-il un danger ?" in page.content.decode()
    new = {
        "id": "",
        "label": "Hauteur du lampadaire",
        "code": "hauteur",
        "help_text": "Approximative",
        "datatype": "multivaluelist",
        "required": "on",
        "choices": "bas = Moins de 3 m\nhaut = Plus de 3 m",
    }
    response = client.post(_url(rw.lighting), _rows(new, _danger(rw), _blank(), initial=1))
    assert response.status_code == 302
    definition = client.get(
        reverse(
            "open311:service", kwargs={"fmt": "json", "service_code": rw.lighting.open311_code}
        ),
        {"jurisdiction_id": "saint-amand-montrond"},
    ).json()
    assert [(a["code"], a["order"], a["required"]) for a in definition["attributes"]] == [
        ("hauteur", 1, True),
        ("danger", 2, False),
    ]
    assert definition["attributes"][0]["values"] == [
        {"key": "bas", "name": "Moins de 3 m"},
        {"key": "haut", "name": "Plus de 3 m"},
    ]
    form = client.get(reverse("reports:new", kwargs={"slug": "saint-amand-montrond"}))
    assert "Hauteur du lampadaire" in form.content.decode()


def test_agent_deletes_and_renames_codes_in_one_save(client, rw):
    """Deleting one question and giving its code to another is one consistent save."""
    other = Question.objects.create(
        collectivite=rw.world.saint_amand, category=rw.lighting, code="photo", label="Photo ?"
    )
    client.force_login(rw.world.agent_saint_amand)
    response = client.post(
        _url(rw.lighting),
        _rows(
            _danger(rw, DELETE="on"),
            {
                "id": str(other.pk),
                "label": "Niveau de danger",
                "code": "danger",
                "datatype": "number",
                "help_text": "",
            },
            initial=2,
        ),  # fmt: skip
    )
    assert response.status_code == 302
    assert list(rw.lighting.questions.values_list("pk", "code", "datatype")) == [
        (other.pk, "danger", "number")
    ]


@pytest.mark.parametrize(
    "row, message",
    [
        pytest.param(
            {"datatype": "singlevaluelist", "choices": ""},
            "Indiquez au moins une réponse proposée.",
            id="list_without_choices_case",
        ),
        pytest.param(
            {"datatype": "singlevaluelist", "choices": "oui Oui"},
            "« oui Oui » : écrivez « code = libellé ».",
            id="choice_without_equals_case",
        ),
        pytest.param(
            {"datatype": "singlevaluelist", "choices": "oui = Oui\noui = Encore"},
            "Le code « oui » est proposé deux fois.",
            id="choice_twice_case",
        ),
        pytest.param(
            {"datatype": "string", "choices": "oui = Oui"},
            "Seuls les choix unique et multiple ont des réponses proposées.",
            id="choices_on_text_case",
        ),
        pytest.param(
            {"datatype": "string", "code": "danger"},
            "Deux questions ont le code « danger ».",
            id="duplicate_code_case",
        ),
        pytest.param(
            {"datatype": "string", "code": "pas un code"},
            "ne doit contenir que des lettres",
            id="bad_code_case",
        ),
    ],
)
def test_invalid_rows_are_refused_in_french_and_nothing_is_written(client, rw, row, message):
    """One bad row: a 400 in French and no row written, not even the valid ones."""
    client.force_login(rw.world.agent_saint_amand)
    new = {"id": "", "label": "Autre question", "code": "autre", "help_text": ""} | row
    response = client.post(
        _url(rw.lighting), _rows(_danger(rw, label="Danger immédiat ?"), new, initial=1)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert list(rw.lighting.questions.values_list("code", "label")) == [
        ("danger", "Y a-t-il un danger ?")
    ]


def test_elu_reads_the_questions_but_cannot_change_them(client, rw):
    """An élu sees the questions without a form; a POST is refused."""
    elu = make_member(rw.world.saint_amand, Role.ELU, "elu@saint-amand.fr")
    client.force_login(elu)
    page = client.get(_url(rw.lighting)).content.decode()
    assert "Y a-t-il un danger ?" in page
    assert "Enregistrer les questions" not in page
    response = client.post(_url(rw.lighting), _rows(_danger(rw, label="Piraté"), initial=1))
    assert response.status_code == 403
    assert rw.lighting.questions.get().label == "Y a-t-il un danger ?"


def test_category_of_another_collectivite_is_not_found(client, rw):
    """An agent cannot reach the questions of another collectivité's category."""
    client.force_login(rw.world.agent_saint_amand)
    url = reverse(
        "reports:category_questions",
        kwargs={"slug": "saint-amand-montrond", "category_id": rw.niort_road.pk},
    )
    assert client.get(url).status_code == 404


def test_back_office_links_to_the_questions(client, rw):
    """The back-office list links to the questions page, which lists the categories."""
    client.force_login(rw.world.agent_saint_amand)
    manage = client.get(reverse("reports:manage_list", kwargs={"slug": "saint-amand-montrond"}))
    questions = reverse("reports:questions", kwargs={"slug": "saint-amand-montrond"})
    assert questions in manage.content.decode()
    page = client.get(questions).content.decode()
    assert _url(rw.lighting) in page
    assert "(1 question)" in page
