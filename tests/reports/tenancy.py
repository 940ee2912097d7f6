"""Signalements URLs for the cross-tenant walker (tests/test_tenancy_walker.py)."""

from territoria.reports.enums import Publication, Status
from territoria.reports.models import ClientApplication, Photo, Update
from tests.reports.factories import SAINT_AMAND, make_category, make_report, make_zone

PUBLIC: set[str] = {
    "reports:home",
    "reports:reports",
    "reports:geojson",
    "reports:feed",
    "reports:new",
    "reports:nearby",
    "reports:detail",
    "reports:support",
    "reports:photo",
    "reports:confirm",
    "reports:reopen",
    "open311:index",
    "open311:discovery",
    "open311:services",
    "open311:service",
    "open311:requests",
    "open311:request",
    "open311:token",
    "open311:updates",
}


def samples(world):
    slug = world.saint_amand.slug
    make_zone(world.saint_amand, SAINT_AMAND)
    category = make_category(world.saint_amand, "eclairage", "Éclairage public")
    report = make_report(
        category,
        reporter_email="canari.signalement@exemple.fr",
        reporter_name="Canari Signaleur",
        reporter_phone="0600000042",
    )
    Update.objects.create(
        collectivite=world.saint_amand,
        report=report,
        is_public=False,
        text="CANARI-NOTE-INTERNE",
        status_before=Status.NEW,
        status_after=Status.ACKNOWLEDGED,
    )
    make_report(
        category,
        publication=Publication.UNCONFIRMED,
        description="CANARI-NON-CONFIRME",
        reporter_email="canari.nonconfirme@exemple.fr",
    )
    photo = Photo.objects.create(
        collectivite=world.saint_amand, report=report, image="x.jpg", thumbnail="x.jpg"
    )
    app = ClientApplication(collectivite=world.saint_amand, name="CANARI-APPLI")
    app.issue_key()
    app.save()
    return {
        "reports:reports": {"slug": slug},
        "reports:geojson": {"slug": slug},
        "reports:feed": {"slug": slug},
        "reports:new": {"slug": slug},
        "reports:nearby": {"slug": slug},
        "reports:detail": {"slug": slug, "report_id": report.pk},
        "reports:support": {"slug": slug, "report_id": report.pk},
        "reports:photo": {"slug": slug, "photo_id": photo.pk, "size": "thumb"},
        "reports:confirm": {"token": "faux-jeton"},
        "reports:reopen": {"token": "faux-jeton"},
        "reports:manage_list": {"slug": slug},
        "reports:manage_bulk": {"slug": slug},
        "reports:manage_detail": {"slug": slug, "report_id": report.pk},
        "reports:dashboard": {"slug": slug},
        "reports:clients": {"slug": slug},
        "reports:settings": {"slug": slug},
        "reports:questions": {"slug": slug},
        "reports:category_questions": {"slug": slug, "category_id": category.pk},
        "open311:discovery": {"fmt": "json"},
        "open311:services": {"fmt": "json"},
        "open311:service": {"fmt": "xml", "service_code": f"{slug}.eclairage"},
        "open311:requests": {"fmt": "json"},
        "open311:request": {"fmt": "json", "request_id": str(report.pk)},
        "open311:token": {"fmt": "json", "token": "abc"},
        "open311:updates": {"fmt": "xml"},
        "CANARIES": [
            "canari.signalement@exemple.fr",
            "Canari Signaleur",
            "0600000042",
            "CANARI-NOTE-INTERNE",
            "CANARI-NON-CONFIRME",
            "canari.nonconfirme@exemple.fr",
            "CANARI-APPLI",
        ],
    }
