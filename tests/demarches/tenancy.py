"""Démarches URLs for the cross-tenant walker (tests/test_tenancy_walker.py)."""

from territoria.demarches import actions
from territoria.demarches.models import DossierFile
from tests.demarches.factories import good_answers, make_adoption, make_template

PUBLIC: set[str] = {
    "demarches:library",
    "demarches:template",
    "demarches:track",
    "demarches:procedures",
    "demarches:fill",
}


def samples(world):
    slug = world.saint_amand.slug
    template = make_template(world.cc, slug="walker-terrasse")
    adoption = make_adoption(template, world.saint_amand)
    dossier, errors = actions.file_dossier(
        adoption,
        good_answers(nom="Canari Demandeur", motif="CANARI-MOTIF-DOSSIER"),
        "canari.demarche@exemple.fr",
    )
    assert not errors
    actions.write(dossier, world.agent_saint_amand, "CANARI-NOTE-DEMARCHE", internal=True)
    stored = DossierFile.objects.create(
        collectivite=world.saint_amand, dossier=dossier, field_id="plan", file="x.pdf", size=1
    )
    ids = {"slug": slug, "adoption_id": adoption.pk}
    return {
        "demarches:template": {"template_slug": template.slug},
        "demarches:publish": {"template_slug": template.slug},
        "demarches:fields": {"template_slug": template.slug},
        "demarches:track": {"token": "faux-jeton"},
        "demarches:procedures": {"slug": slug},
        "demarches:fill": ids,
        "demarches:manage": {"slug": slug},
        "demarches:adopt": {"slug": slug, "template_slug": template.slug},
        "demarches:adoption": ids,
        "demarches:take_update": ids,
        "demarches:queue": ids,
        "demarches:export": ids,
        "demarches:schema": ids,
        "demarches:dossier": {**ids, "dossier_id": dossier.pk},
        "demarches:dossier_state": {**ids, "dossier_id": dossier.pk},
        "demarches:dossier_write": {**ids, "dossier_id": dossier.pk},
        "demarches:attachment": {**ids, "dossier_id": dossier.pk, "file_id": stored.pk},
        "CANARIES": [
            "canari.demarche@exemple.fr",
            "Canari Demandeur",
            "CANARI-MOTIF-DOSSIER",
            "CANARI-NOTE-DEMARCHE",
            dossier.token,
            dossier.number,
        ],
    }
