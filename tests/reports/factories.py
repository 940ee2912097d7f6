"""Reports test helpers: zones, categories, reports and real image bytes."""

import io

from PIL import Image

from territoria.reports.enums import Datatype, Publication, Source, Status
from territoria.reports.models import (
    Category,
    Question,
    Report,
    ReportZone,
    Service,
    reports_changed,
)

# Saint-Amand-Montrond and Niort, roughly.
SAINT_AMAND = (46.7227, 2.5050)
NIORT = (46.3237, -0.4588)


def make_zone(collectivite, centre, metres=4000) -> ReportZone:
    zone = ReportZone.around(collectivite, *centre, metres=metres)
    zone.save()
    return zone


def make_category(collectivite, code="voirie", name="Voirie", *, service=None, **extra):
    if service is None:
        service, _ = Service.objects.get_or_create(
            collectivite=collectivite, name=f"Service {name}"
        )
    return Category.objects.create(
        collectivite=collectivite, code=code, name=name, service=service, **extra
    )


def make_question(category, code="danger", label="Y a-t-il un danger ?", **extra):
    extra.setdefault("datatype", Datatype.SINGLEVALUELIST)
    extra.setdefault("choices", [["oui", "Oui"], ["non", "Non"]])
    return Question.objects.create(
        collectivite=category.collectivite, category=category, code=code, label=label, **extra
    )


def make_report(category, *, at=SAINT_AMAND, commune=None, **extra) -> Report:
    extra.setdefault("publication", Publication.PUBLISHED)
    extra.setdefault("status", Status.NEW)
    extra.setdefault("source", Source.WEB)
    extra.setdefault("description", "Lampadaire éteint devant l'école")
    extra.setdefault("reporter_email", "camille.secret@exemple.fr")
    extra.setdefault("reporter_name", "Camille Secrète")
    extra.setdefault("reporter_phone", "06 12 34 56 78")
    if commune is None:
        commune = category.collectivite.commune  # None for an EPCI
    report = Report.objects.create(
        collectivite=category.collectivite,
        category=category,
        service=category.service,
        commune=commune,
        latitude=at[0],
        longitude=at[1],
        **extra,
    )
    reports_changed(report)  # as every write of the app does
    return report


def report_form(rw, **extra) -> dict:
    """The public form's fields for a street-light report in Saint-Amand; a field given
    as None is left out."""
    data = {
        "category": rw.lighting.pk,
        "description": "Lampadaire éteint rue de la Paix",
        "latitude": f"{SAINT_AMAND[0]:.6f}",
        "longitude": f"{SAINT_AMAND[1]:.6f}",
        "email": "camille@exemple.fr",
        f"q_{rw.lighting.pk}_danger": "oui",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def image_bytes(fmt="JPEG", size=(64, 48), *, exif_gps=False) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    buffer = io.BytesIO()
    kwargs = {}
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x8825] = {1: "N", 2: (46.0, 43.0, 21.0)}  # GPS IFD
        kwargs["exif"] = exif
    image.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


def bomb_png() -> bytes:
    """A tiny PNG whose header declares 100,000 × 100,000 pixels."""
    import struct
    import zlib

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + chunk(b"IEND", b"")
    )
