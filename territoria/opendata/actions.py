"""Verbs of the open-data module: declare, upload, refresh, publish."""

import logging
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from frictionless import Resource as FrictionlessResource
from frictionless import Schema, system

from territoria.accounts.actions import ActionError
from territoria.accounts.audit import record
from territoria.opendata import exports, schemas, validation
from territoria.opendata.enums import Format, Source
from territoria.opendata.models import Dataset, Resource
from territoria.opendata.sources import GENERATORS, SOURCE_SCHEMAS
from territoria.opendata.summary import Summary

# Columns holding positions in the national schemas (latitude, longitude).
LOCATION_FIELDS = {
    "scdl-equipements": ("EQUIP_LAT", "EQUIP_LONG"),
    "stationnement": ("Ylat", "Xlong"),
    "comptage-site": ("ylat", "xlong"),
}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
logger = logging.getLogger(__name__)


class Bounds:
    """Wraps the rows to measure the bounding box of their positions on the way."""

    def __init__(self, rows, lat: str, lon: str):
        self.rows, self.lat, self.lon = rows, lat, lon
        self.box = None

    def __iter__(self):
        for row in self.rows:
            lat, lon = row.get(self.lat), row.get(self.lon)
            if lat is not None and lon is not None and lat != "" and lon != "":
                lat, lon = float(lat), float(lon)
                if self.box is None:
                    self.box = [lon, lat, lon, lat]
                else:
                    box = self.box
                    box[0], box[1] = min(box[0], lon), min(box[1], lat)
                    box[2], box[3] = max(box[2], lon), max(box[3], lat)
            yield row

    def text(self) -> str:
        if self.box is None:
            return ""
        west, south, east, north = self.box
        pad = 0.001  # a single point still gives a polygon
        return f"{west - pad:.5f},{south - pad:.5f},{east + pad:.5f},{north + pad:.5f}"


def formats_for(located: bool) -> list[str]:
    formats = [Format.CSV, Format.JSON, Format.PARQUET]
    if located:
        formats.insert(2, Format.GEOJSON)
    return [str(f) for f in formats]


def _stem(dataset) -> str:
    return slugify(dataset.title)[:60] or "donnees"


def _store(dataset, table: exports.Table, csv_source: Path | None = None) -> None:
    """Write every format of the table, then record the resources in one transaction.
    `modified` moves only when the content changed, to the data's own last change."""
    now = timezone.now()
    bounds = Bounds(table.rows, table.lat, table.lon) if table.located else None
    summary = Summary(bounds if bounds is not None else table.rows, dataset.schema,
                      table.lat, table.lon)  # fmt: skip
    rows = summary
    formats = formats_for(table.located)
    directory = dataset.storage_dir()
    stem = _stem(dataset)
    generated = [f for f in formats if not (csv_source and f == Format.CSV)]
    written = exports.write_all(
        exports.Table(table.fields, rows, table.lat, table.lon), directory, stem, generated
    )
    if csv_source is not None:
        target = directory / f"{stem}.csv"
        if Path(csv_source).resolve() != target.resolve():
            shutil.copyfile(csv_source, target)
        size, digest = exports.file_digest(target)
        count = next(iter(written.values())).row_count if written else 0
        written[str(Format.CSV)] = exports.Written(target, size, digest, count)
    with transaction.atomic():
        locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
        old_csv = locked.resources.filter(format=Format.CSV).values_list("sha256", flat=True)
        changed = list(old_csv) != [written[str(Format.CSV)].sha256]
        for fmt, out in written.items():
            Resource.objects.update_or_create(
                dataset=locked,
                format=fmt,
                defaults={
                    "collectivite_id": locked.collectivite_id,
                    "filename": out.path.name,
                    "byte_size": out.byte_size,
                    "sha256": out.sha256,
                    "generated_at": now,
                },
            )
        locked.resources.exclude(format__in=list(written)).delete()
        locked.refreshed_at = now
        locked.row_count = written[str(Format.CSV)].row_count
        locked.located = table.located
        if bounds is not None:
            locked.bbox = bounds.text()
        locked.summary = summary.as_dict()
        if changed or locked.modified is None:
            locked.modified = min(table.modified or now, now)
        locked.save()
    dataset.refresh_from_db()


def refresh_dataset(dataset) -> Dataset:
    """Regenerate a dataset's files from its source (idempotent)."""
    if dataset.source == Source.UPLOAD:
        upload = dataset.storage_dir() / f"{_stem(dataset)}.csv"
        if upload.exists():
            _store(dataset, upload_table(upload, dataset.schema), csv_source=upload)
        return dataset
    _store(dataset, GENERATORS[Source(dataset.source)](dataset.collectivite))
    return dataset


def upload_table(path: Path, schema_key: str) -> exports.Table:
    """A validated upload as a typed table (frictionless casts each cell)."""
    descriptor = {k: v for k, v in schemas.SCHEMAS[schema_key].descriptor().items()
                  if k != "custom_checks"}  # fmt: skip
    schema = Schema.from_descriptor(descriptor)
    lat, lon = LOCATION_FIELDS.get(schema_key, ("", ""))

    def rows():
        with system.use_context(trusted=False):
            with FrictionlessResource(str(path), format="csv", encoding="utf-8",
                                      schema=schema) as resource:  # fmt: skip
                for row in resource.row_stream:
                    yield validation.unescape_row(row.to_dict(), descriptor["fields"])

    fields = [{"name": f["name"], "type": f["type"]} for f in descriptor["fields"]]
    return exports.Table(fields, rows(), lat, lon)


def _metadata_errors(fields: dict) -> None:
    start, end = fields.get("temporal_start"), fields.get("temporal_end")
    if start and end and start > end:
        raise ActionError(
            "invalid_period",
            _("La fin de la période couverte précède son début."),
            field="temporal_end",
        )


def create_generated_dataset(actor, collectivite, source: str, **fields) -> Dataset:
    """Declare a dataset generated from the platform, and generate it now."""
    _metadata_errors(fields)
    with transaction.atomic():
        dataset = Dataset.objects.create(
            collectivite=collectivite,
            source=source,
            schema=SOURCE_SCHEMAS[Source(source)],
            **fields,
        )
        record(actor, "opendata.create", collectivite=collectivite, obj=dataset,
               summary=f"Jeu de données « {dataset.title} » créé")  # fmt: skip
    refresh_dataset(dataset)
    return dataset


@dataclass
class Uploaded:
    dataset: Dataset | None
    errors: list  # validation.RowError; nothing was written when there is one
    notes: list[str]  # what was converted to the schema's canonical form, in French


def upload_dataset(actor, collectivite, uploaded, schema_key: str, **fields) -> Uploaded:
    """Validate the uploaded CSV against its schema in its canonical form; on success
    create the dataset with its files. Nothing is written when there is an error."""
    if schema_key not in schemas.SCHEMAS or not schemas.SCHEMAS[schema_key].uploadable:
        raise ActionError("unknown_schema", _("Schéma inconnu."), field="schema")
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise ActionError("too_large", _("Le fichier dépasse 20 Mo."), field="file")
    _metadata_errors(fields)
    with tempfile.TemporaryDirectory() as tmp:
        raw = b"".join(uploaded.chunks())
        checked = validation.check_upload(raw, schema_key, Path(tmp))
        if checked.errors:
            return Uploaded(None, checked.errors, checked.notes)
        dataset = Dataset(
            collectivite=collectivite, source=Source.UPLOAD, schema=schema_key,
            upload_name=Path(uploaded.name).name[:200], **fields,
        )  # fmt: skip
        try:
            with transaction.atomic():
                dataset.save()
                target = dataset.storage_dir()
                target.mkdir(parents=True, exist_ok=True)
                kept = target / f"{_stem(dataset)}.csv"
                kept.write_bytes(checked.content)
                _store(dataset, upload_table(kept, schema_key), csv_source=kept)
                record(actor, "opendata.upload", collectivite=collectivite, obj=dataset,
                       summary=f"Fichier « {dataset.upload_name} » déposé")  # fmt: skip
        except Exception:
            shutil.rmtree(dataset.storage_dir(), ignore_errors=True)
            raise
    return Uploaded(dataset, [], checked.notes)


def set_published(actor, dataset, published: bool) -> Dataset:
    with transaction.atomic():
        dataset.is_published = published
        if published and dataset.issued is None:
            dataset.issued = timezone.now()
        dataset.save(update_fields=["is_published", "issued"])
        record(actor, "opendata.publish" if published else "opendata.unpublish",
               collectivite=dataset.collectivite, obj=dataset,
               summary=f"« {dataset.title} » {'publié' if published else 'dépublié'}")  # fmt: skip
    return dataset


def refresh_all() -> int:
    """Regenerate every generated dataset; returns how many were refreshed."""
    done = 0
    for dataset in Dataset.objects.exclude(source=Source.UPLOAD).select_related("collectivite"):
        try:
            refresh_dataset(dataset)
        except Exception:  # one broken source must not stop the others
            logger.exception("Open data: refresh of dataset %s failed", dataset.pk)
            continue
        done += 1
    return done
