"""A resident files a dossier from the form: receipt number, email, tracking page."""

import datetime

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from territoria.demarches.models import Dossier, DossierFile
from tests.demarches.factories import good_answers
from tests.email_links import follow_signed_out

pytestmark = pytest.mark.django_db


def _post(client, adoption, answers, email="habitant@exemple.fr"):
    url = reverse(
        "demarches:fill", kwargs={"slug": adoption.collectivite.slug, "adoption_id": adoption.pk}
    )
    data = {f"f_{key}": value for key, value in answers.items()}
    data["applicant_email"] = email
    return client.post(url, data)


def test_a_resident_files_and_gets_a_numbered_receipt(
    dw, client, django_capture_on_commit_callbacks
):
    """Filing shows the receipt number and sends it by email with the tracking link."""
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, dw.adoption, good_answers())
    dossier = Dossier.objects.get()
    year = datetime.date.today().year
    assert dossier.number == f"SAM-{year}-000001"
    assert response.status_code == 302
    page = client.get(response["Location"])
    body = page.content.decode()
    assert dossier.number in body
    assert "Nous vous répondrons sous quinze jours." in body
    assert page["Cache-Control"] == "private, no-store"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["habitant@exemple.fr"]
    assert dossier.number in mail.outbox[0].subject
    assert f"http://testserver{dossier.tracking_url()}" in mail.outbox[0].body
    assert dossier.tracking_url() in follow_signed_out(client, mail.outbox[0].body)


def test_numbers_follow_each_other_per_collectivite(dw, client):
    """The second dossier of the year gets the next number."""
    _post(client, dw.adoption, good_answers())
    _post(client, dw.adoption, good_answers())
    numbers = sorted(Dossier.objects.values_list("number", flat=True))
    assert [n[-6:] for n in numbers] == ["000001", "000002"]


def test_bad_answers_are_shown_field_by_field_and_nothing_is_written(dw, client):
    """A wrong SIRET and a missing required field come back in French; no dossier."""
    response = _post(client, dw.adoption, good_answers(siret="73282932000075", nom=""))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Ce SIRET est invalide : vérifiez les chiffres saisis." in body
    assert "Ce champ est obligatoire." in body
    assert Dossier.objects.count() == 0


def test_an_oversized_attachment_is_refused_with_nothing_written(dw, client):
    """An attachment over its limit is refused; no dossier, no file."""
    answers = good_answers(plan=SimpleUploadedFile("plan.pdf", b"%PDF-" + b"0" * 5000))
    response = _post(client, dw.adoption, answers)
    assert response.status_code == 400
    assert "Le fichier dépasse 1 Ko." in response.content.decode()
    assert Dossier.objects.count() == 0
    assert DossierFile.objects.count() == 0


def test_a_closed_procedure_refuses_with_a_clear_message(dw, client):
    """Outside its dates the procedure says so and takes nothing."""
    dw.adoption.closes_on = datetime.date.today() - datetime.timedelta(days=1)
    dw.adoption.save()
    response = _post(client, dw.adoption, good_answers())
    assert response.status_code == 403
    assert "Cette démarche est close depuis le" in response.content.decode()
    assert Dossier.objects.count() == 0


def test_the_form_works_without_javascript_on_a_phone(dw, client):
    """The form is plain HTML: every field has a label; conditions are said in words."""
    url = reverse(
        "demarches:fill", kwargs={"slug": "saint-amand-montrond", "adoption_id": dw.adoption.pk}
    )
    body = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in body
    assert "À remplir seulement si vous avez répondu « Oui » plus haut." in body
    assert "<script" not in body.split("<main", 1)[1]


def test_a_wrong_tracking_link_is_not_found(client, dw):
    """Only the exact link opens a dossier."""
    assert client.get(reverse("demarches:track", kwargs={"token": "devine"})).status_code == 404


def test_a_procedure_not_yet_open_says_when_it_opens(dw, client):
    """Before its opening date the procedure gives the date and takes nothing."""
    dw.adoption.opens_on = datetime.date.today() + datetime.timedelta(days=3)
    dw.adoption.save()
    response = _post(client, dw.adoption, good_answers())
    day = dw.adoption.opens_on.strftime("%d/%m/%Y")
    assert f"Cette démarche ouvrira le {day} : revenez à partir de cette date." in (
        response.content.decode()
    )
    assert Dossier.objects.count() == 0


def test_mon_espace_offers_the_dossiers_to_instruct(dw, client):
    """An agent's « Mon espace » links to the procedures with the count waiting."""
    _post(client, dw.adoption, good_answers())
    client.force_login(dw.world.agent_saint_amand)
    body = client.get(reverse("accounts:space")).content.decode()
    assert reverse("demarches:manage", kwargs={"slug": "saint-amand-montrond"}) in body
    assert "Démarches en ligne" in body
