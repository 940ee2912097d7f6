"""The European procurement thresholds in force on a date (shipped data)."""

import datetime
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from territoria.purchasing.enums import MarketKind

DATA = Path(__file__).resolve().parent.parent / "data" / "purchasing" / "thresholds.json"


@dataclass(frozen=True)
class Threshold:
    amount_cents: int
    period: str
    source_title: str
    source_url: str
    known: bool  # False: the date is outside every period of the file


@cache
def _periods():
    return json.loads(DATA.read_text(encoding="utf-8"))["periods"]


def threshold(kind: str, day: datetime.date) -> Threshold:
    key = "works_eur_ht" if kind == MarketKind.WORKS else "supplies_services_eur_ht"
    periods = _periods()
    found = next((p for p in periods if p["from"] <= day.isoformat() <= p["to"]), None)
    period = found or max(periods, key=lambda p: p["to"])
    return Threshold(
        amount_cents=period[key] * 100,
        period=f"{period['from'][:4]}-{period['to'][:4]}",
        source_title=period["source"]["title"],
        source_url=period["source"]["url"],
        known=found is not None,
    )
