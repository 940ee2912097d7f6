"""Adoption keeps its upstream version; a new upstream version shows as a diff and is
applied only when the adopter accepts it."""

from django.urls import reverse

import pytest

from territoria.demarches import actions
from territoria.demarches.models import Dossier
from tests.demarches.factories import FIELDS, good_answers, make_template

pytestmark = pytest.mark.django_db


def test_an_agent_adopts_a_published_template(world, client):
    """Orval's agent adopts the template with its privacy notice; it is then offered."""
    from territoria.accounts.enums import Role
    from tests.factories import make_member

    template = make_template(world.cc)
    agent = make_member(world.orval, Role.AGENT, "agent@orval.fr")
    client.force_login(agent)
    url = reverse("demarches:adopt", kwargs={"slug": "orval", "template_slug": template.slug})
    form = client.get(url)
    assert form.status_code == 200
    data = {k: v for k, v in form.context["form"].initial.items()}
    data.update({"is_active": "on", "opens_on": "", "closes_on": ""})
    response = client.post(url, data)
    assert response.status_code == 302
    public = client.get(reverse("demarches:procedures", kwargs={"slug": "orval"}))
    assert template.title in public.content.decode()


def test_an_upstream_version_is_a_diff_until_accepted(dw, client):
    """The adopter sees « mise à jour disponible » with the added field, keeps filing on
    its version, then accepts the new one; old dossiers keep theirs."""
    old = actions.file_dossier(dw.adoption, good_answers(), "a@exemple.fr")[0]
    dw.template.fields = [
        *FIELDS,
        {"id": "horaires", "type": "text", "label": "Horaires d'ouverture"},
    ]
    dw.template.save()
    actions.publish_template(dw.template)
    client.force_login(dw.world.agent_saint_amand)
    manage = client.get(reverse("demarches:manage", kwargs={"slug": "saint-amand-montrond"}))
    assert "mise à jour disponible" in manage.content.decode()
    kwargs = {"slug": "saint-amand-montrond", "adoption_id": dw.adoption.pk}
    page = client.get(reverse("demarches:adoption", kwargs=kwargs)).content.decode()
    assert "Champs ajoutés" in page
    assert "Horaires d&#x27;ouverture" in page
    fill = reverse("demarches:fill", kwargs=kwargs)
    assert "f_horaires" not in client.get(fill).content.decode()
    client.post(reverse("demarches:take_update", kwargs=kwargs))
    dw.adoption.refresh_from_db()
    assert dw.adoption.version.number == 2
    assert "f_horaires" in client.get(fill).content.decode()
    assert Dossier.objects.get(pk=old.pk).version.number == 1


def test_another_commune_cannot_take_an_update(dw, client):
    """Niort's agent cannot act on Saint-Amand-Montrond's adoption."""
    client.force_login(dw.world.agent_niort)
    kwargs = {"slug": "saint-amand-montrond", "adoption_id": dw.adoption.pk}
    assert client.post(reverse("demarches:take_update", kwargs=kwargs)).status_code == 404


def test_only_the_owner_publishes(dw, client):
    """Saint-Amand-Montrond's agent cannot publish the EPCI's template."""
    client.force_login(dw.world.agent_saint_amand)
    url = reverse("demarches:publish", kwargs={"template_slug": dw.template.slug})
    assert client.post(url).status_code == 404


def test_the_owner_edits_fields_then_publishes_a_version(dw, client):
    """An EPCI agent's bad JSON is refused with every problem and changes nothing; good
    fields are saved, and adopters see an update only once they are published."""
    import json

    client.force_login(dw.world.agent_cc)
    url = reverse("demarches:fields", kwargs={"template_slug": dw.template.slug})
    response = client.post(url, {"fields_json": "[{"})
    assert "JSON illisible ligne 1, colonne 3." in response.content.decode()
    bad = [{"id": "x", "type": "hologram", "label": "X"}]
    response = client.post(url, {"fields_json": json.dumps(bad)})
    assert "Champ n°1 (x) : type « hologram » inconnu." in response.content.decode()
    dw.template.refresh_from_db()
    assert dw.template.fields == FIELDS
    new = [*FIELDS, {"id": "horaires", "type": "text", "label": "Horaires"}]
    assert client.post(url, {"fields_json": json.dumps(new)}).status_code == 302
    dw.adoption.refresh_from_db()
    assert not dw.adoption.update_available()
    publish = reverse("demarches:publish", kwargs={"template_slug": dw.template.slug})
    client.post(publish)
    dw.adoption.refresh_from_db()
    assert dw.adoption.update_available()


def test_an_adopter_cannot_edit_the_owners_fields(dw, client):
    """Saint-Amand-Montrond's agent gets 404 on the EPCI template's field editor."""
    client.force_login(dw.world.agent_saint_amand)
    url = reverse("demarches:fields", kwargs={"template_slug": dw.template.slug})
    assert client.get(url).status_code == 404
