"""Demonstration content of procedures: the shipped library, three templates published
by CC Coeur de France, adopted by Saint-Amand-Montrond and Orval, dossiers at each state."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from territoria.demarches import actions, content, engine
from territoria.demarches.enums import State
from territoria.demarches.models import Adoption, Dossier
from territoria.territories.enums import CollectiviteKind
from territoria.territories.models import Collectivite, Commune

EPCI_TEMPLATES = ["badge-decheterie", "occupation-domaine-public", "debit-boissons-temporaire"]
SIRET = "73282932000074"  # a SIRET whose Luhn key is right, for the demo only
# What happens to the n-th demo dossier of an adoption.
STORY = [
    (State.SUBMITTED, ""),
    (State.INSTRUCTING, ""),
    (State.ACCEPTED, "Autorisation accordée : l'arrêté vous est envoyé par courriel."),
    (State.REFUSED, "Le trottoir est trop étroit pour laisser 1,40 m aux piétons."),
    (State.DROPPED, "Demande retirée par le demandeur."),
]


def _sample(field: dict, n: int):
    kind = field["type"]
    if kind == "attachment":
        return SimpleUploadedFile("piece.pdf", b"%PDF-1.4\n% demonstration\n")
    if kind == "number":
        return str(min(field.get("min", 0) + 1 + n, field.get("max", 10_000)))
    if kind in {"choice", "multiple"}:
        value = engine.choice_values(field)[0][0]
        return [value] if kind == "multiple" else value
    return {
        "yesno": "non",
        "date": (datetime.date.today() + datetime.timedelta(days=20 + n)).isoformat(),
        "email": f"contact{n}@exemple.fr",
        "phone": "02 48 96 00 00",
        "commune": "18197",
        "siret": SIRET,
        "address": "Place de la République, 18200 Saint-Amand-Montrond",
        "textarea": "Demande de démonstration.",
    }.get(kind, f"Exemple {n + 1}")


def _orval():
    # Orval (18172), Saint-Amand-Montrond's neighbour in CC Coeur de France.
    commune = Commune.objects.filter(name="Orval", departement_id="18").first()
    if commune is None:
        return None
    orval, _created = Collectivite.objects.get_or_create(
        commune=commune,
        defaults={"slug": "orval", "name": commune.name, "kind": CollectiviteKind.COMMUNE},
    )
    return orval


def _adopt(template, collectivite, **extra):
    existing = Adoption.objects.filter(collectivite=collectivite, template=template).first()
    if existing:
        return existing
    return actions.adopt(
        template,
        collectivite,
        acknowledgement=extra.pop(
            "acknowledgement", "Votre demande est reçue ; le service vous répond sous 15 jours."
        ),
        controller=collectivite.name,
        purpose=f"Instruire la démarche « {template.title} ».",
        privacy_basis="Mission d'intérêt public (RGPD, article 6-1-e)",
        retention_months=24,
        recipients=f"Les agents de {collectivite.name} chargés de la démarche.",
        rights="Écrire à la collectivité ; en cas de difficulté, saisir la CNIL.",
        **extra,
    )


def _dossiers(adoption, agent):
    if Dossier.objects.of_adoption(adoption).exists():
        return
    fields = adoption.version.fields
    for n, (state, reason) in enumerate(STORY):
        raw = {f["id"]: _sample(f, n) for f in fields if f["type"] not in engine.LAYOUT}
        dossier, errors = actions.file_dossier(adoption, raw, f"habitant{n + 1}@exemple.fr")
        if errors:
            raise ValueError(f"{adoption}: {errors}")
        if state != State.SUBMITTED:
            actions.change_state(dossier, agent, State.INSTRUCTING)
        if state == State.ACCEPTED:
            actions.write(dossier, agent, "Pensez à afficher l'autorisation.", internal=False)
        if state not in {State.SUBMITTED, State.INSTRUCTING}:
            actions.change_state(dossier, agent, state, reason)


@transaction.atomic
def load(collectivites) -> None:
    from territoria.accounts.models import Membership

    by_slug = {c.slug: c for c in collectivites}
    cc, saint_amand = by_slug.get("cc-coeur-de-france"), by_slug.get("saint-amand-montrond")
    templates = {
        t.slug: t for t in content.load({slug: cc for slug in EPCI_TEMPLATES} if cc else {})
    }
    if cc is None or saint_amand is None:
        return
    agent = (
        Membership.objects.filter(collectivite=saint_amand, role__in=["agent", "admin"])
        .select_related("user")
        .first()
    )
    adopters = [(saint_amand, {"closes_on": datetime.date.today() + datetime.timedelta(days=365)})]
    orval = _orval()
    if orval:
        adopters.append((orval, {}))
    for collectivite, extra in adopters:
        for slug in EPCI_TEMPLATES:
            adoption = _adopt(templates[slug], collectivite, **dict(extra))
            if collectivite == saint_amand and agent:
                _dossiers(adoption, agent.user)
