"""A small procedure template (every field type) published by CC Coeur de France."""

from territoria.demarches import actions
from territoria.demarches.models import FormTemplate

FIELDS = [
    {"id": "identite", "type": "section", "label": "Le demandeur"},
    {"id": "nom", "type": "text", "label": "Nom", "required": True},
    {"id": "telephone", "type": "phone", "label": "Téléphone"},
    {"id": "contact", "type": "email", "label": "Courriel de l'association"},
    {"id": "aide", "type": "explanation", "label": "Remplissez ce qui vous concerne."},
    {"id": "motif", "type": "textarea", "label": "Objet de la demande", "required": True},
    {"id": "surface", "type": "number", "label": "Surface", "unit": "m²", "min": 0, "max": 500},
    {"id": "debut", "type": "date", "label": "Date de début", "required": True},
    {"id": "nature", "type": "choice", "label": "Nature",
     "choices": [["terrasse", "Terrasse"], ["echafaudage", "Échafaudage"]], "required": True},
    {"id": "jours", "type": "multiple", "label": "Jours", "choices": ["lundi", "samedi"]},
    {"id": "professionnel", "type": "yesno", "label": "Êtes-vous un professionnel ?",
     "required": True},
    {"id": "siret", "type": "siret", "label": "SIRET", "required": True,
     "show_if": {"field": "professionnel", "equals": True}},
    {"id": "commune", "type": "commune", "label": "Commune du lieu"},
    {"id": "adresse", "type": "address", "label": "Adresse du lieu"},
    {"id": "plan", "type": "attachment", "label": "Plan", "formats": ["pdf", "png", "jpg"],
     "max_bytes": 1024},
]  # fmt: skip

GOOD_SIRET = "73282932000074"  # Luhn-valid (a real establishment's SIRET format)


def good_answers(**extra):
    answers = {
        "nom": "Café des Halles",
        "motif": "Terrasse d'été",
        "debut": "15/06/2027",
        "nature": "terrasse",
        "professionnel": "oui",
        "siret": GOOD_SIRET,
        "surface": "12,5",
        "jours": ["samedi"],
        "commune": "18197",
        "telephone": "02 48 96 00 00",
    }
    answers.update(extra)
    return answers


def make_template(owner, slug="terrasse", fields=None, publish=True):
    template = FormTemplate.objects.create(
        owner=owner,
        slug=slug,
        title="Occupation temporaire du domaine public",
        description="Installer une terrasse ou un échafaudage sur la voie publique.",
        legal_basis="Code général de la propriété des personnes publiques, art. L2122-1",
        fields=fields or FIELDS,
    )
    if publish:
        actions.publish_template(template)
        template.refresh_from_db()
    return template


def make_adoption(template, collectivite, **extra):
    settings = {
        "acknowledgement": "Nous vous répondrons sous quinze jours.",
        "controller": collectivite.name,
        "purpose": "Instruire la demande",
        "privacy_basis": "Mission d'intérêt public",
        "retention_months": 24,
        "recipients": "Service voirie",
        "rights": "Écrire à la mairie",
        **extra,
    }
    return actions.adopt(template, collectivite, **settings)
