"""GET requests, the hot path of the Open311 API (clients poll it): the SQL written
once, rows serialised straight to JSON or XML, whole bodies cached per version of the
jurisdiction (ReportZone.version, renewed by every write to the reports it lists).

Only public columns are read: the reporter's identity cannot reach a cached body."""

import datetime
import hashlib
from typing import NamedTuple

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.urls import reverse

from territoria.reports.enums import OPEN311_STATUS, Publication
from territoria.reports.open311 import JSON_TYPE, XML_TYPE, to_json, to_xml, w3c
from territoria.territories.enums import CollectiviteKind

# Settings may name a shared cache "open311"; otherwise each process keeps its own,
# bounded: 64 bodies of at most ~400 KiB (a full page of 1,000 requests).
CACHE_ALIAS = "open311"
# A safety net for the rare changes made outside this app (a collectivité renamed).
CACHE_SECONDS = 300
_local_cache = LocMemCache(
    "territoria-open311", {"TIMEOUT": CACHE_SECONDS, "OPTIONS": {"MAX_ENTRIES": 64}}
)


def cache():
    return caches[CACHE_ALIAS] if CACHE_ALIAS in settings.CACHES else _local_cache


# Written once rather than compiled by the ORM on each call (bench/open311.py). Dates
# are read as text: SQLite's own format, parsed faster than Django's converter does.
LIST_SQL = """
SELECT r.id, r.status,
  (SELECT u.text FROM reports_update u
    WHERE u.report_id = r.id AND u.is_public = %s AND u.text <> ''
    ORDER BY u.created_at DESC, u.id DESC LIMIT 1),
  c.name, c.code, o.slug, o.name, s.name, r.description,
  CAST(r.created_at AS TEXT), CAST(r.updated_at AS TEXT), CAST(r.closed_at AS TEXT),
  r.address, r.latitude, r.longitude,
  (SELECT p.id FROM reports_photo p WHERE p.report_id = r.id
    ORDER BY p."order", p.id LIMIT 1)
FROM reports_report r
  JOIN reports_category c ON c.id = r.category_id
  JOIN territories_collectivite o ON o.id = r.collectivite_id
  LEFT JOIN reports_service s ON s.id = r.service_id
WHERE {where}
ORDER BY r.created_at DESC, r.id DESC
LIMIT %s OFFSET %s
"""


class Query:
    """The public requests of a jurisdiction matching the filters, in SQL terms; its
    `key` names the body whatever the spelling of the parameters."""

    def __init__(self, jurisdiction, *, page: int, size: int):
        self.jurisdiction = jurisdiction
        self.page, self.size = page, size
        if jurisdiction.kind == CollectiviteKind.COMMUNE:
            self.where, self.args = ["r.commune_id = %s"], [jurisdiction.commune_id]
        else:
            self.where, self.args = ["r.collectivite_id = %s"], [jurisdiction.pk]
        self.where.append("r.publication = %s")
        self.args.append(Publication.PUBLISHED)

    def ids(self, wanted: list[int]):
        self.where.append(f"r.id IN ({', '.join(['%s'] * len(wanted))})")
        self.args += wanted

    def created_between(self, start: datetime.datetime, end: datetime.datetime):
        adapt = connection.ops.adapt_datetimefield_value
        self.where += ["r.created_at >= %s", "r.created_at <= %s"]
        self.args += [adapt(start), adapt(end)]

    def services(self, codes: list[str]):
        pairs = []
        for item in codes:
            owner, _dot, code = item.partition(".")
            pairs.append("(o.slug = %s AND c.code = %s)")
            self.args += [owner, code]
        self.where.append(f"({' OR '.join(pairs) or '1 = 0'})")

    def statuses(self, kept: set[str]):
        self.where.append(f"r.status IN ({', '.join(['%s'] * len(kept)) or 'NULL'})")
        self.args += sorted(kept)

    def key(self, fmt: str, tz) -> str:
        named = (fmt, self.jurisdiction.pk, self.jurisdiction.reports_version, self.where)
        named += (self.args, self.page, self.size, settings.SITE_URL, str(tz))
        return "open311:requests:" + hashlib.sha256(repr(named).encode()).hexdigest()

    def rows(self) -> list[tuple]:
        sql = LIST_SQL.format(where=" AND ".join(self.where))
        with connection.cursor() as cursor:
            cursor.execute(sql, [True, *self.args, self.size, (self.page - 1) * self.size])
            return cursor.fetchall()


class Body(NamedTuple):
    etag: str
    content: bytes
    content_type: str
    count: int


def body(query: Query, fmt: str, tz) -> Body:
    """The list in the asked format, from the cache when it holds it."""
    key = query.key(fmt, tz)
    found = cache().get(key)
    if found is None:
        items = request_items(query.rows(), tz)
        text = to_json(items) if fmt == "json" else to_xml("service_requests", items)
        content = text.encode()
        etag = '"' + hashlib.blake2b(content, digest_size=16).hexdigest() + '"'
        found = Body(etag, content, JSON_TYPE if fmt == "json" else XML_TYPE, len(items))
        cache().set(key, tuple(found))
    return Body(*found)


class LocalTimes:
    """UTC instants, as the list's SQL reads them (text), as W3C local times, for many
    at once: the offset is looked up once per UTC day, or instant by instant on the
    days it changes."""

    def __init__(self, tz):
        self.tz = tz
        self.days = {}

    def __call__(self, text: str) -> str:
        known = self.days.get(text[:10])
        if known is None:
            known = self.days[text[:10]] = self._day(text[:10])
        offset, suffix = known
        value = datetime.datetime.fromisoformat(text)
        if value.tzinfo is not None:
            if value.utcoffset():
                return w3c(value, self.tz)
            value = value.replace(tzinfo=None)
        if offset is None:
            return w3c(value.replace(tzinfo=datetime.UTC), self.tz)
        return (value + offset).isoformat(timespec="seconds") + suffix

    def _day(self, day: str):
        start = datetime.datetime.fromisoformat(day).replace(tzinfo=datetime.UTC)
        first = start.astimezone(self.tz)
        last = (start + datetime.timedelta(days=1, microseconds=-1)).astimezone(self.tz)
        if first.utcoffset() != last.utcoffset():
            return (None, "")
        return (first.utcoffset(), first.isoformat(timespec="seconds")[19:])


def request_items(rows, tz) -> list[dict]:
    """Each row of LIST_SQL as a GeoReport request; empty optional fields left out
    (never null)."""
    when = LocalTimes(tz)
    photo_urls = {}
    items = []
    for (
        pk, status, notes, category, code, owner, owner_name, service, description,
        created, updated, closed, address, lat, lon, photo_id,
    ) in rows:  # fmt: skip
        open311_status = OPEN311_STATUS[status]
        item = {"service_request_id": str(pk), "status": open311_status}
        if notes:
            item["status_notes"] = notes
        item["service_name"] = category
        item["service_code"] = f"{owner}.{code}"
        if description:
            item["description"] = description
        item["agency_responsible"] = f"{owner_name} — {service}" if service else owner_name
        item["requested_datetime"] = requested = when(created)
        if open311_status == "closed" and closed:
            item["updated_datetime"] = when(closed)
        else:
            item["updated_datetime"] = requested if updated == created else when(updated)
        if address:
            item["address"] = address
        item["lat"] = lat
        item["long"] = lon
        if photo_id:
            if owner not in photo_urls:
                photo_urls[owner] = _photo_url(owner)
            head, tail = photo_urls[owner]
            item["media_url"] = f"{head}/{photo_id}/{tail}"
        items.append(item)
    return items


def _photo_url(owner: str) -> tuple[str, str]:
    """The URL of this owner's photos around their id (reversed once per list)."""
    url = reverse("reports:photo", kwargs={"slug": owner, "photo_id": 0, "size": "full"})
    head, tail = url.rsplit("/0/", 1)
    return settings.SITE_URL + head, tail
