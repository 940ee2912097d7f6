"""Open311 GeoReport v2 shapes, without HTTP: the XML and JSON bodies (JSON is the
mechanical mapping of the XML: lists are bare arrays), error bodies, dates with
their timezone and the parsing of query parameters."""

import datetime
import json
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from territoria.reports.enums import CLOSED_STATUSES, OPEN_STATUSES, Status
from territoria.reports.text import strip_controls

XML_TYPE = "text/xml; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
MAX_RANGE = datetime.timedelta(days=90)
DEFAULT_PAGE_SIZE = 1000
MAX_PAGE_SIZE = 1000
# A billion requests deep at the largest page size: far past any list, inside 64 bits.
MAX_PAGE = 1_000_000

# Request `status` filter values (GeoReport v2 plus mySociety's lower-case extensions).
STATUS_FILTERS = {
    "open": set(OPEN_STATUSES),
    "closed": set(CLOSED_STATUSES),
    "for_triage": {Status.NEW},
    "investigating": {Status.ACKNOWLEDGED},
    "in_progress": {Status.IN_PROGRESS},
    "action_scheduled": {Status.IN_PROGRESS},
    "planned": {Status.IN_PROGRESS},
    "fixed": {Status.RESOLVED},
    "no_further_action": {Status.NOT_RESOLVED},
    "duplicate": {Status.DUPLICATE},
    "not_councils_responsibility": {Status.NOT_RESPONSIBLE},
    "internal_referral": set(),
    "cancelled": set(),
}


class Open311Error(Exception):
    """One or more spec errors with the HTTP status to answer."""

    def __init__(self, status: int, code: str, description: str):
        super().__init__(description)
        self.status = status
        self.errors = [(code, description)]


def w3c(value: datetime.datetime, tz=None) -> str:
    """W3C-DTF with the timezone, e.g. 2026-11-20T10:00:00+01:00 (pass `tz` in loops:
    looking up the current timezone costs more than the conversion)."""
    return value.astimezone(tz or timezone.get_current_timezone()).isoformat(timespec="seconds")


def _xml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(str(value))


def _xml_node(tag: str, value, item_tags: dict) -> str:
    if isinstance(value, dict):
        inner = "".join(_xml_node(k, v, item_tags) for k, v in value.items())
        return f"<{tag}>{inner}</{tag}>"
    if isinstance(value, list):
        item = item_tags.get(tag, tag.rstrip("s"))
        inner = "".join(_xml_node(item, v, item_tags) for v in value)
        return f"<{tag}>{inner}</{tag}>"
    return f"<{tag}>{_xml_value(value)}</{tag}>"


# Wrapper element → element of each item, where not the wrapper minus its final "s".
ITEM_TAGS = {
    "service_requests": "request",
    "service_request_updates": "request_update",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "services": "service",
    "errors": "error",
    "groups": "group",
}


def to_xml(root: str, value) -> str:
    """`value` under `root`; a list is wrapped by root, each item named per ITEM_TAGS."""
    document = '<?xml version="1.0" encoding="utf-8"?>\n' + _xml_node(root, value, ITEM_TAGS)
    # One pass over the whole document (markup has none): a row stored before
    # submissions were cleaned never makes it unreadable.
    return strip_controls(document)


def to_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def body(fmt: str, root: str, value) -> tuple[str, str]:
    """(content, content type) for a list or object in the asked format."""
    if fmt == "xml":
        return to_xml(root, value), XML_TYPE
    return to_json(value), JSON_TYPE


def error_body(fmt: str, errors: list[tuple[str, str]]) -> tuple[str, str]:
    items = [{"code": str(code), "description": description} for code, description in errors]
    return body(fmt, "errors", items)


def compact(item: dict) -> dict:
    """Leave out empty optional fields (never null)."""
    return {k: v for k, v in item.items() if v is not None and v != "" and v != []}


def parse_when(value: str, name: str) -> datetime.datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        when = parse_datetime(value.replace(" ", "+")) if "T" in value else None
        if when is None and (day := parse_date(value)) is not None:
            when = datetime.datetime.combine(day, datetime.time())
    except ValueError:
        when = None
    if when is None:
        raise Open311Error(
            400, "invalid_date", f"{name}: date W3C attendue, par exemple 2026-11-20T10:00:00+01:00"
        )
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    return when


def date_range(start: str, end: str, now=None) -> tuple[datetime.datetime, datetime.datetime]:
    """The spec's window: at most 90 days, the last 90 days by default."""
    now = now or timezone.now()
    start_at, end_at = parse_when(start, "start_date"), parse_when(end, "end_date")
    if end_at is None:
        end_at = start_at + MAX_RANGE if start_at else now
    if start_at is None:
        start_at = end_at - MAX_RANGE
    if end_at < start_at:
        raise Open311Error(400, "invalid_date_range", "end_date précède start_date")
    if end_at - start_at > MAX_RANGE:
        raise Open311Error(400, "date_range_too_long", "intervalle de 90 jours au plus")
    return start_at, end_at


def statuses(value: str) -> set[str] | None:
    """The statuses a `status` filter keeps; None when there is no filter."""
    names = [part.strip().lower() for part in (value or "").split(",") if part.strip()]
    if not names:
        return None
    kept: set[str] = set()
    for name in names:
        if name not in STATUS_FILTERS:
            raise Open311Error(400, "invalid_status", f"status inconnu : {name[:40]}")
        kept |= STATUS_FILTERS[name]
    return kept


def paging(page: str, page_size: str) -> tuple[int, int]:
    """(page, page size); a page size over the maximum is capped ("no more than")."""
    try:
        number = int(page) if (page or "").strip() else 1
        size = int(page_size) if (page_size or "").strip() else DEFAULT_PAGE_SIZE
    except ValueError:
        raise Open311Error(400, "invalid_page", "page et page_size sont des entiers") from None
    if not 1 <= number <= MAX_PAGE:
        raise Open311Error(400, "invalid_page", f"page : entier entre 1 et {MAX_PAGE}")
    if size < 1:
        raise Open311Error(400, "invalid_page", "page_size : entier supérieur ou égal à 1")
    return number, min(size, MAX_PAGE_SIZE)
