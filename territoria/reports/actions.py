"""Writes about reports: validate everything first, then write in one transaction;
emails leave through tasks enqueued on commit."""

import datetime
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from territoria.accounts import audit
from territoria.accounts.actions import ActionError
from territoria.reports import tasks
from territoria.reports.enums import (
    CLOSED_STATUSES,
    Datatype,
    Publication,
    Source,
    Status,
)
from territoria.reports.models import (
    Category,
    Photo,
    Report,
    ReportZone,
    Support,
    Update,
    hash_secret,
    reports_changed,
)
from territoria.reports.photos import MAX_PHOTOS, PhotoError, clean_photo
from territoria.reports.text import strip_controls
from territoria.territories.enums import CollectiviteKind
from territoria.territories.models import Collectivite

CONFIRM_SALT = "territoria.reports.confirm"
REOPEN_SALT = "territoria.reports.reopen"
CONFIRM_MAX_AGE = datetime.timedelta(days=7)
MAX_DESCRIPTION = 4000


@dataclass
class Submission:
    """What a reporter sends, from the web form or Open311, before any check."""

    place: Collectivite  # the collectivité whose form (or jurisdiction) was used
    category: Category | None
    description: str
    latitude: float | None = None
    longitude: float | None = None
    address: str = ""
    commune: object = None  # a COG Commune, for an EPCI's form
    answers: dict = field(default_factory=dict)
    photos: list = field(default_factory=list)  # [(name, bytes)]
    email: str = ""
    public_name: str = ""
    show_name: bool = False
    phone: str = ""
    full_name: str = ""
    device_id: str = ""
    user: object = None
    ip: str = ""
    source: str = Source.WEB
    client_application: object = None


def zone_for(place: Collectivite, commune=None) -> ReportZone | None:
    """The zone that bounds reports made at `place` (for an EPCI, in `commune` when
    that commune has its own zone)."""
    if commune is not None and place.kind == CollectiviteKind.EPCI:
        own = ReportZone.objects.filter(collectivite__commune=commune).first()
        if own is not None:
            return own
    return ReportZone.objects.filter(collectivite=place).first()


def _clean_answers(category: Category, answers: dict) -> dict:
    cleaned = {}
    for question in category.questions.all():
        value = answers.get(question.code)
        if isinstance(value, list | tuple):
            values = [strip_controls(str(v)).strip() for v in value if str(v).strip()]
        else:
            values = [strip_controls(str(value)).strip()] if value not in (None, "") else []
        if not values:
            if question.required:
                raise ActionError(
                    "missing_attribute",
                    _("Répondez à la question « %(label)s ».") % {"label": question.label},
                    field=f"attribute[{question.code}]",
                )
            continue
        keys = {str(key) for key, _name in question.choices}
        if question.datatype in {Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST}:
            if any(v not in keys for v in values):
                raise ActionError(
                    "invalid_attribute",
                    _("Choisissez une réponse proposée pour « %(label)s ».")
                    % {"label": question.label},
                    field=f"attribute[{question.code}]",
                )
            cleaned[question.code] = (
                values if question.datatype == Datatype.MULTIVALUELIST else values[0]
            )
        elif question.datatype == Datatype.NUMBER:
            try:
                float(values[0].replace(",", "."))
            except ValueError:
                raise ActionError(
                    "invalid_attribute",
                    _("« %(label)s » attend un nombre.") % {"label": question.label},
                    field=f"attribute[{question.code}]",
                ) from None
            cleaned[question.code] = values[0][:50]
        else:
            cleaned[question.code] = strip_tags(values[0])[:1000]
    return cleaned


def rate_limited(ip: str) -> bool:
    """More reports and supports from this address in the last hour than allowed."""
    if not ip:
        return False
    ip_hash = hash_secret(ip)
    since = timezone.now() - datetime.timedelta(hours=1)
    count = (
        Report.objects.filter(ip_hash=ip_hash, created_at__gte=since).count()
        + Support.objects.filter(ip_hash=ip_hash, created_at__gte=since).count()
    )
    return count >= settings.REPORTS_RATE_LIMIT_PER_HOUR


# What a reporter types, cleaned of control characters whatever the channel.
TEXT_FIELDS = ("description", "address", "email", "public_name", "phone", "full_name", "device_id")


def validate_submission(sub: Submission) -> tuple[float, float, bool, list]:
    """Every check of a new report; returns (lat, lon, approximate, clean photos)."""
    for name in TEXT_FIELDS:
        setattr(sub, name, strip_controls(getattr(sub, name) or ""))
    if sub.source == Source.WEB and rate_limited(sub.ip):
        raise ActionError(
            "rate_limited",
            _("Trop de signalements envoyés depuis cette connexion : réessayez dans une heure."),
            status=429,
        )
    if sub.category is None:
        raise ActionError(
            "unknown_category", _("Choisissez une catégorie de la liste."), field="category"
        )
    if not Category.objects.offered_at(sub.place).filter(pk=sub.category.pk).exists():
        raise ActionError(
            "unknown_category",
            _("Cette catégorie n'est pas proposée par cette collectivité."),
            field="category",
            status=404,
        )
    if sub.place.kind == CollectiviteKind.EPCI and sub.commune is not None:
        if sub.commune.epci_id != sub.place.epci_id:
            raise ActionError(
                "outside_area",
                _("Cette commune ne fait pas partie de %(name)s.") % {"name": sub.place.name},
                field="commune",
            )
    description = (sub.description or "").strip()
    if not description:
        raise ActionError("missing_description", _("Décrivez le problème."), field="description")
    if len(description) > MAX_DESCRIPTION:
        raise ActionError(
            "description_too_long",
            _("La description dépasse 4 000 caractères."),
            field="description",
        )
    zone = zone_for(sub.place, sub.commune)
    if zone is None or not zone.is_open:
        raise ActionError(
            "closed",
            _("Cette collectivité ne reçoit pas encore de signalements en ligne."),
            status=404,
        )
    approximate = False
    if sub.latitude is not None and sub.longitude is not None:
        lat, lon = float(sub.latitude), float(sub.longitude)
        if not zone.contains(lat, lon):
            raise ActionError(
                "outside_area",
                _(
                    "Ce point est hors du territoire de %(name)s : placez-le dans la zone "
                    "de la carte, ou indiquez une adresse."
                )
                % {"name": zone.collectivite.name},
                field="location",
            )
    elif (sub.address or "").strip():
        lat, lon = zone.centre
        approximate = True
    else:
        raise ActionError(
            "missing_location",
            _("Indiquez l'emplacement : sur la carte, avec votre position ou par une adresse."),
            field="location",
        )
    if len(sub.photos) > MAX_PHOTOS:
        raise ActionError(
            "too_many_photos", _("Trois photos au plus par signalement."), field="photos"
        )
    photos = []
    for name, data in sub.photos:
        try:
            photos.append(clean_photo(data, name))
        except PhotoError as error:
            raise ActionError("invalid_photo", str(error), field="photos") from None
    sub.answers = _clean_answers(sub.category, sub.answers or {})
    sub.description = description
    return lat, lon, approximate, photos


def submit_report(sub: Submission) -> Report:
    """Record a new report, routed to the collectivité that owns its category.

    A report sent by someone not logged in waits for the emailed confirmation; a
    signed-in person's report and an Open311 client's report are published at once."""
    lat, lon, approximate, photos = validate_submission(sub)
    category = sub.category
    user = sub.user if sub.user is not None and sub.user.is_authenticated else None
    email = (sub.email or (user.email if user else "")).strip()
    if sub.source == Source.WEB and user is None and not email:
        raise ActionError(
            "missing_email",
            _("Indiquez votre courriel : il sert à confirmer le signalement."),
            field="email",
        )
    commune = sub.commune
    if commune is None and sub.place.kind == CollectiviteKind.COMMUNE:
        commune = sub.place.commune
    published = user is not None or sub.source != Source.WEB
    now = timezone.now()
    with transaction.atomic():
        report = Report.objects.create(
            collectivite=category.collectivite,
            category=category,
            service=category.service,
            commune=commune,
            description=sub.description,
            address=strip_tags(sub.address or "").strip()[:300],
            latitude=lat,
            longitude=lon,
            approximate_location=approximate,
            answers=sub.answers,
            publication=Publication.PUBLISHED if published else Publication.UNCONFIRMED,
            confirmed_at=now if published else None,
            source=sub.source,
            reporter=user,
            reporter_email=email,
            reporter_name=sub.full_name[:150],
            reporter_phone=sub.phone[:40],
            show_name=bool(sub.show_name and sub.public_name.strip()),
            public_name=strip_tags(sub.public_name).strip()[:80] if sub.show_name else "",
            ip_hash=hash_secret(sub.ip) if sub.ip else "",
            client_application=sub.client_application,
            device_id=sub.device_id[:100],
            created_at=now,
            updated_at=now,
        )
        for order, photo in enumerate(photos):
            item = Photo(
                collectivite=report.collectivite,
                report=report,
                width=photo.width,
                height=photo.height,
                order=order,
            )
            item.image.save(f"{report.pk}-{order}.jpg", ContentFile(photo.image), save=False)
            item.thumbnail.save(
                f"{report.pk}-{order}.jpg", ContentFile(photo.thumbnail), save=False
            )
            item.save()
        reports_changed(report)
        audit.record(
            user,
            "reports.submit",
            collectivite=report.collectivite,
            obj=report,
            summary=f"#{report.pk} {category.name}",
        )
        if email and not published:
            transaction.on_commit(partial(tasks.send_confirmation_email.enqueue, report.pk))
        elif email:
            transaction.on_commit(partial(tasks.send_receipt_email.enqueue, report.pk))
    return report


def confirmation_token(report: Report) -> str:
    return signing.dumps(report.pk, salt=CONFIRM_SALT)


def reopen_token(report: Report) -> str:
    return signing.dumps(report.pk, salt=REOPEN_SALT)


def _report_from_token(token: str, salt: str, max_age) -> Report:
    try:
        pk = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        raise ActionError(
            "invalid_token",
            _("Ce lien n'est pas valide ou a expiré."),
            status=404,
        ) from None
    report = Report.objects.select_related("collectivite", "category").filter(pk=pk).first()
    if report is None:
        raise ActionError("invalid_token", _("Ce signalement n'existe plus."), status=404)
    return report


def confirm_report(token: str) -> Report:
    """Publish a report from its emailed link (twice is harmless)."""
    report = _report_from_token(token, CONFIRM_SALT, CONFIRM_MAX_AGE)
    with transaction.atomic():
        updated = Report.objects.filter(pk=report.pk, publication=Publication.UNCONFIRMED).update(
            publication=Publication.PUBLISHED, confirmed_at=timezone.now()
        )
        if updated:
            reports_changed(report)
            audit.record(None, "reports.confirm", collectivite=report.collectivite, obj=report)
    report.refresh_from_db()
    return report


def add_support(report: Report, *, email: str, ip: str = "") -> bool:
    """ "Moi aussi": one support per email; returns False when already counted."""
    email = (email or "").strip()
    if not email:
        raise ActionError("missing_email", _("Indiquez votre courriel."), field="email")
    if not report.is_public or not report.is_open:
        raise ActionError("closed", _("Ce signalement n'accepte plus de soutien."), status=409)
    if rate_limited(ip):
        raise ActionError(
            "rate_limited",
            _("Trop d'envois depuis cette connexion : réessayez dans une heure."),
            status=429,
        )
    with transaction.atomic():
        _support, created = Support.objects.get_or_create(
            report=report,
            email_hash=hash_secret(email),
            defaults={
                "collectivite": report.collectivite,
                "ip_hash": hash_secret(ip) if ip else "",
            },
        )
        if created:
            Report.objects.filter(pk=report.pk).update(supporters=F("supporters") + 1)
            reports_changed(report)
    report.refresh_from_db(fields=["supporters"])
    return created


def reopen_by_reporter(token: str, text: str) -> Report:
    """The reporter says the problem is still there, within REPORTS_REOPEN_DAYS of closing."""
    report = _report_from_token(
        token, REOPEN_SALT, datetime.timedelta(days=settings.REPORTS_REOPEN_DAYS + 365)
    )
    if not report.can_reopen():
        raise ActionError(
            "reopen_expired",
            _(
                "Ce signalement ne peut plus être rouvert (plus de %(days)s jours après sa "
                "clôture) : faites un nouveau signalement."
            )
            % {"days": settings.REPORTS_REOPEN_DAYS},
            status=409,
        )
    text = strip_controls(strip_tags(text or "")).strip()[:MAX_DESCRIPTION]
    if not text:
        raise ActionError(
            "empty_update", _("Expliquez pourquoi le problème n'est pas réglé."), field="text"
        )
    with transaction.atomic():
        before = report.status
        report.status = Status.ACKNOWLEDGED
        report.closed_at = None
        report.updated_at = timezone.now()
        report.save(update_fields=["status", "closed_at", "updated_at"])
        Update.objects.create(
            collectivite=report.collectivite,
            report=report,
            is_public=True,
            text=_("Rouvert par l'auteur du signalement : %(text)s") % {"text": text},
            status_before=before,
            status_after=Status.ACKNOWLEDGED,
        )
        reports_changed(report)
        audit.record(None, "reports.reopen", collectivite=report.collectivite, obj=report)
    return report


def purge_personal_data(now=None) -> int:
    """Erase who reported reports closed for longer than the retention period, and
    the never-confirmed ones past that delay. Returns how many reports were purged."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=settings.REPORTS_PERSONAL_DATA_RETENTION_DAYS)
    closed = Report.objects.filter(
        status__in=CLOSED_STATUSES, closed_at__lt=limit, personal_data_purged_at__isnull=True
    )
    unconfirmed = Report.objects.filter(
        publication=Publication.UNCONFIRMED,
        created_at__lt=limit,
        personal_data_purged_at__isnull=True,
    )
    ids = list(closed.values_list("pk", flat=True)) + list(unconfirmed.values_list("pk", flat=True))
    with transaction.atomic():
        count = Report.objects.filter(pk__in=ids).update(
            reporter=None,
            reporter_email="",
            reporter_name="",
            reporter_phone="",
            public_name="",
            show_name=False,
            ip_hash="",
            device_id="",
            personal_data_purged_at=now,
        )
        Support.objects.filter(report_id__in=ids).update(ip_hash="")
        pairs = set(Report.objects.filter(pk__in=ids).values_list("collectivite_id", "commune_id"))
        ReportZone.objects.listing([o for o, _c in pairs], [c for _o, c in pairs if c]).changed()
    return count
