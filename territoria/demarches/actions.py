"""Writes of the procedures module: publish a template, adopt it, take an upstream
update, file a dossier, instruct it. Validation first, then one transaction; emails
leave once it commits."""

import re
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from territoria.accounts import audit
from territoria.demarches import engine
from territoria.demarches.enums import DECIDED, TRANSITIONS, EventKind, State, TemplateStatus
from territoria.demarches.models import (
    Adoption,
    Dossier,
    DossierFile,
    Event,
    FormTemplate,
    ReceiptCounter,
    TemplateVersion,
)
from territoria.mail import render_email
from territoria.territories.models import Commune


class DemarcheError(Exception):
    """A refused write, with a French message for the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _send(template_prefix: str, to: str, context: dict) -> None:
    subject, body = render_email(f"demarches/emails/{template_prefix}", context)
    EmailMessage(subject, body, to=[to]).send()


def publish_template(template: FormTemplate, user=None) -> TemplateVersion:
    """Freeze the working fields as the next version, seen by every adopter as an update."""
    engine.check_definition(template.fields)
    with transaction.atomic():
        template = FormTemplate.objects.select_for_update().get(pk=template.pk)
        latest = template.latest()
        if latest and latest.fields == template.fields:
            raise DemarcheError(_("Ces champs sont déjà publiés : rien de nouveau à publier."))
        template.version += 1
        template.status = TemplateStatus.PUBLISHED
        template.save(update_fields=["version", "status", "updated_at"])
        version = TemplateVersion.objects.create(
            template=template, number=template.version, fields=template.fields
        )
        if user is not None:
            audit.record(
                user,
                "demarches.publish",
                collectivite=template.owner,
                obj=template,
                summary=f"{template.title} v{version.number}",
            )
    return version


def adopt(template: FormTemplate, collectivite, user=None, **settings_) -> Adoption:
    """The collectivité offers the latest published version of the template."""
    if template.status != TemplateStatus.PUBLISHED:
        raise DemarcheError(_("Seul un modèle publié peut être adopté."))
    if Adoption.objects.filter(collectivite=collectivite, template=template).exists():
        raise DemarcheError(_("Cette collectivité a déjà adopté ce modèle."))
    with transaction.atomic():
        adoption = Adoption.objects.create(
            collectivite=collectivite, template=template, version=template.latest(), **settings_
        )
        if user is not None:
            audit.record(
                user,
                "demarches.adopt",
                collectivite=collectivite,
                obj=adoption,
                summary=template.title,
            )
    return adoption


def take_update(adoption: Adoption, user=None) -> Adoption:
    """The adopter moves to the upstream's latest version; dossiers keep theirs."""
    latest = adoption.template.latest()
    if latest is None or latest.pk == adoption.version_id:
        raise DemarcheError(_("Aucune mise à jour à appliquer."))
    with transaction.atomic():
        before = adoption.version.number
        adoption.version = latest
        adoption.save(update_fields=["version"])
        if user is not None:
            audit.record(
                user,
                "demarches.update",
                collectivite=adoption.collectivite,
                obj=adoption,
                summary=f"v{before} → v{latest.number}",
            )
    return adoption


def receipt_prefix(collectivite) -> str:
    """Three letters for receipts: the initials of a long name, else its first letters
    (saint-amand-montrond → SAM, orval → ORV)."""
    words = [w for w in re.split(r"[^a-z0-9]+", collectivite.slug.lower()) if w]
    if len(words) >= 3:
        return "".join(w[0] for w in words[:3]).upper()
    return "".join(words)[:3].upper()


def _next_number(collectivite, year: int) -> str:
    counter, _created = ReceiptCounter.objects.get_or_create(collectivite=collectivite, year=year)
    # One UPDATE: two filings at once never get the same number, on SQLite or PostgreSQL.
    ReceiptCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return f"{receipt_prefix(collectivite)}-{year}-{counter.last:06d}"


def file_dossier(adoption: Adoption, raw: dict, applicant_email: str, *, today=None):
    """(dossier, errors): a dossier filed from these raw answers, or None and the French
    message of each refused field (nothing written)."""
    today = today or timezone.localdate()
    if not adoption.is_open(today):
        raise DemarcheError(closed_message(adoption))
    fields = adoption.version.fields
    answers, files, errors = engine.clean_answers(
        fields, raw, lambda code: Commune.objects.filter(code=code).exists()
    )
    if errors:
        return None, errors
    with transaction.atomic():
        dossier = Dossier.objects.create(
            collectivite=adoption.collectivite,
            adoption=adoption,
            version=adoption.version,
            number=_next_number(adoption.collectivite, today.year),
            answers=answers,
            applicant_email=applicant_email,
        )
        for field_id, cleaned in files.items():
            DossierFile.objects.create(
                collectivite=adoption.collectivite,
                dossier=dossier,
                field_id=field_id,
                file=ContentFile(cleaned.content, name=f"piece.{cleaned.extension}"),
                size=cleaned.size,
            )
        Event.objects.create(
            collectivite=adoption.collectivite,
            dossier=dossier,
            kind=EventKind.STATE,
            state_after=State.SUBMITTED,
        )
        transaction.on_commit(partial(_send_receipt, dossier.pk))
    return dossier, {}


def closed_message(adoption: Adoption) -> str:
    if adoption.closes_on and adoption.closes_on < timezone.localdate():
        return _("Cette démarche est close depuis le %(day)s : elle ne reçoit plus de dossier.") % {
            "day": adoption.closes_on.strftime("%d/%m/%Y")
        }
    if adoption.opens_on and adoption.opens_on > timezone.localdate():
        return _("Cette démarche ouvrira le %(day)s : revenez à partir de cette date.") % {
            "day": adoption.opens_on.strftime("%d/%m/%Y")
        }
    return _("Cette démarche n'est pas proposée en ce moment.")


def _tracking_link(dossier) -> str:
    return f"{settings.SITE_URL}{dossier.tracking_url()}"


def _send_receipt(dossier_id: int) -> None:
    dossier = Dossier.objects.select_related("adoption__template", "collectivite").get(
        pk=dossier_id
    )
    _send(
        "receipt",
        dossier.applicant_email,
        {"dossier": dossier, "adoption": dossier.adoption, "url": _tracking_link(dossier)},
    )


def _send_update(event_id: int) -> None:
    event = Event.objects.select_related("dossier__adoption__template", "collectivite").get(
        pk=event_id
    )
    dossier = event.dossier
    _send(
        "update",
        dossier.applicant_email,
        {"dossier": dossier, "event": event, "url": _tracking_link(dossier)},
    )


def change_state(dossier: Dossier, user, state: str, reason: str = "") -> Event:
    """Move the dossier on; a refusal needs its reason, which the applicant reads."""
    reason = reason.strip()
    if state not in TRANSITIONS.get(dossier.state, set()):
        raise DemarcheError(
            _("Un dossier « %(before)s » ne peut pas passer à « %(after)s ».")
            % {"before": State(dossier.state).label, "after": State(state).label}
        )
    if state == State.REFUSED and not reason:
        raise DemarcheError(_("Un refus doit être motivé : indiquez le motif."))
    with transaction.atomic():
        dossier.state = state
        decided = state in DECIDED
        dossier.decided_at = timezone.now() if decided else None
        dossier.decision_reason = reason if decided else ""
        dossier.save(update_fields=["state", "decided_at", "decision_reason"])
        event = Event.objects.create(
            collectivite=dossier.collectivite,
            dossier=dossier,
            kind=EventKind.STATE,
            author=user,
            state_after=state,
            text=reason,
        )
        audit.record(
            user,
            "demarches.state",
            collectivite=dossier.collectivite,
            obj=dossier,
            summary=f"{dossier.number}: {state}",
        )
        transaction.on_commit(partial(_send_update, event.pk))
    return event


def write(dossier: Dossier, user, text: str, *, internal: bool) -> Event:
    """A message to the applicant (emailed) or an internal note (never shown to them)."""
    text = text.strip()
    if not text:
        raise DemarcheError(_("Le message est vide."))
    with transaction.atomic():
        event = Event.objects.create(
            collectivite=dossier.collectivite,
            dossier=dossier,
            kind=EventKind.NOTE if internal else EventKind.MESSAGE,
            author=user,
            text=text,
        )
        if not internal:
            transaction.on_commit(partial(_send_update, event.pk))
    return event
