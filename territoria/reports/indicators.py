"""Indicators of how reports are handled: medians per category, from plain rows."""

import statistics
from dataclasses import dataclass
from datetime import datetime


@dataclass
class CategoryIndicators:
    category: str
    received: int
    open: int
    resolved: int
    median_hours_to_acknowledge: float | None
    median_hours_to_resolve: float | None


def _median_hours(pairs: list[tuple[datetime, datetime]]) -> float | None:
    hours = [(end - start).total_seconds() / 3600 for start, end in pairs if end >= start]
    return round(statistics.median(hours), 1) if hours else None


def per_category(rows) -> list[CategoryIndicators]:
    """rows: (category name, created_at, acknowledged_at, closed_at, is_open, is_resolved)."""
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(row[0], []).append(row)
    result = []
    for name, items in sorted(groups.items()):
        result.append(
            CategoryIndicators(
                category=name,
                received=len(items),
                open=sum(1 for r in items if r[4]),
                resolved=sum(1 for r in items if r[5]),
                median_hours_to_acknowledge=_median_hours([(r[1], r[2]) for r in items if r[2]]),
                median_hours_to_resolve=_median_hours(
                    [(r[1], r[3]) for r in items if r[5] and r[3]]
                ),
            )
        )
    return result
