"""Agents instruct dossiers: queue, states, refusal reason, messages, notes, CSV export."""

from django.core import mail
from django.urls import reverse

import pytest
from frictionless import Resource, Schema

from territoria.demarches import actions
from territoria.demarches.enums import State
from territoria.demarches.models import Dossier
from tests.demarches.factories import good_answers

pytestmark = pytest.mark.django_db


def _file(adoption, **extra):
    dossier, errors = actions.file_dossier(adoption, good_answers(**extra), "habitant@exemple.fr")
    assert errors == {}
    return dossier


def _url(name, dossier, **extra):
    kwargs = {"slug": dossier.collectivite.slug, "adoption_id": dossier.adoption_id, **extra}
    return reverse(f"demarches:{name}", kwargs=kwargs)


def test_a_refusal_needs_its_reason(dw, client):
    """Refusing without a reason is refused and changes nothing; with one, the applicant
    reads it on the tracking page."""
    dossier = _file(dw.adoption)
    client.force_login(dw.world.agent_saint_amand)
    url = _url("dossier_state", dossier, dossier_id=dossier.pk)
    response = client.post(url, {"state": State.REFUSED, "reason": " "}, follow=True)
    assert "Un refus doit être motivé : indiquez le motif." in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == State.SUBMITTED
    client.post(url, {"state": State.REFUSED, "reason": "Trottoir trop étroit."})
    dossier.refresh_from_db()
    assert dossier.state == State.REFUSED
    page = client.get(dossier.tracking_url()).content.decode()
    assert "Trottoir trop étroit." in page


def test_messages_are_emailed_and_notes_stay_internal(
    dw, client, django_capture_on_commit_callbacks
):
    """A message reaches the applicant by email and on the tracking page; a note never."""
    dossier = _file(dw.adoption)
    client.force_login(dw.world.agent_saint_amand)
    url = _url("dossier_write", dossier, dossier_id=dossier.pk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"text": "Merci de joindre un plan."})
        client.post(url, {"text": "Voisin grincheux", "internal": "on"})
    assert [m.body.count("Merci de joindre un plan.") for m in mail.outbox] == [1]
    page = client.get(dossier.tracking_url()).content.decode()
    assert "Merci de joindre un plan." in page
    assert "Voisin grincheux" not in page


def test_accepting_moves_through_instruction(dw, client):
    """Déposé → en instruction → accepté, each step in the history."""
    dossier = _file(dw.adoption)
    client.force_login(dw.world.agent_saint_amand)
    url = _url("dossier_state", dossier, dossier_id=dossier.pk)
    client.post(url, {"state": State.INSTRUCTING})
    client.post(url, {"state": State.ACCEPTED})
    dossier.refresh_from_db()
    assert dossier.state == State.ACCEPTED
    assert list(dossier.events.values_list("state_after", flat=True)) == [
        State.SUBMITTED,
        State.INSTRUCTING,
        State.ACCEPTED,
    ]


def test_the_queue_filters_by_state(dw, client):
    """Filtering by state lists only those dossiers."""
    first = _file(dw.adoption)
    second = _file(dw.adoption)
    actions.change_state(second, dw.world.agent_saint_amand, State.INSTRUCTING)
    client.force_login(dw.world.agent_saint_amand)
    body = client.get(_url("queue", first), {"state": State.INSTRUCTING}).content.decode()
    assert second.number in body
    assert first.number not in body


def test_the_csv_export_validates_against_the_template_schema(dw, client):
    """The export, formulas escaped, validates with frictionless against its schema."""
    _file(dw.adoption, nom='=HYPERLINK("http://x")', jours=["lundi", "samedi"])
    _file(dw.adoption, professionnel="non", siret="")
    client.force_login(dw.world.agent_saint_amand)
    response = client.get(_url("export", Dossier.objects.first()))
    text = response.content.decode()
    assert "'=HYPERLINK" in text
    schema = client.get(_url("schema", Dossier.objects.first())).json()
    resource = Resource(
        response.content, format="csv", encoding="utf-8", schema=Schema.from_descriptor(schema)
    )
    report = resource.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert len(text.strip().splitlines()) == 3


def test_another_communes_agent_gets_404(dw, client):
    """An agent of Niort cannot open Saint-Amand-Montrond's queue, dossier or export."""
    dossier = _file(dw.adoption)
    client.force_login(dw.world.agent_niort)
    for url in (
        _url("queue", dossier),
        _url("export", dossier),
        _url("dossier", dossier, dossier_id=dossier.pk),
    ):
        assert client.get(url).status_code == 404
    response = client.post(
        _url("dossier_state", dossier, dossier_id=dossier.pk), {"state": State.ACCEPTED}
    )
    assert response.status_code == 404
    dossier.refresh_from_db()
    assert dossier.state == State.SUBMITTED


def test_an_elu_cannot_read_dossiers(dw, client, world):
    """Dossiers are for agents and admins: an élu of the commune is refused."""
    from territoria.accounts.enums import Role
    from tests.factories import make_member

    elu = make_member(world.saint_amand, Role.ELU, "elu@saint-amand.fr")
    dossier = _file(dw.adoption)
    client.force_login(elu)
    assert client.get(_url("dossier", dossier, dossier_id=dossier.pk)).status_code == 403


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_queue_and_export_do_not_grow_with_the_dossiers(dw, client):
    """Listing and exporting 1 or 6 dossiers takes the same number of queries."""
    first = _file(dw.adoption)
    client.force_login(dw.world.agent_saint_amand)
    urls = [_url("queue", first), _url("export", first)]
    before = [_queries(client, url) for url in urls]
    for _n in range(5):
        _file(dw.adoption)
    assert [_queries(client, url) for url in urls] == before
