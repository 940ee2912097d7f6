"""The module's settings (environment variables, documented in docs/configuration.md)."""

import os

from django.conf import settings


def _int(name: str, default: int) -> int:
    return int(getattr(settings, name, None) or os.environ.get(name) or default)


def catalog_page_size() -> int:
    return _int("OPENDATA_CATALOG_PAGE_SIZE", 50)


def refresh_hours() -> int:
    return int(os.environ.get("OPENDATA_REFRESH_HOURS") or 6)


def preview_rows() -> int:
    return _int("OPENDATA_PREVIEW_ROWS", 20)
