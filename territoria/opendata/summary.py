"""What a dataset's page shows without reading its files: a daily series for time series
and up to 1,000 points for located data, gathered while the files are written."""

import datetime
from collections import defaultdict

from django.utils.translation import gettext_lazy

MAP_MAX_POINTS = 1000
# Time series drawn on a dataset's page: schema → (date column, value column, label).
CHARTS = {
    "comptage-measure": ("start_datetime", "count", gettext_lazy("Passages par jour")),
    "territoria-parkings-occupation": (
        "date",
        "occupation_moyenne",
        gettext_lazy("Places occupées (moyenne)"),
    ),
}
TITLE_FIELDS = ("service_name", "nom", "EQUIP_NOM", "site_name")
LABEL_FIELDS = ("address", "status", "EQUIP_TYPE")


def _day(value) -> str:
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)[:10]


class Summary:
    """Wraps the rows on their way to the files; memory is bounded by the number of days
    and by MAP_MAX_POINTS."""

    def __init__(self, rows, schema: str, lat: str = "", lon: str = ""):
        self.rows, self.lat, self.lon = rows, lat, lon
        self.chart = CHARTS.get(schema)
        self.totals = defaultdict(float)
        self.features = []

    def __iter__(self):
        chart, lat_name, lon_name = self.chart, self.lat, self.lon
        for row in self.rows:
            if chart is not None:
                value = row.get(chart[1])
                if value not in (None, ""):
                    self.totals[_day(row.get(chart[0]))] += float(value)
            if lat_name and len(self.features) < MAP_MAX_POINTS:
                lat, lon = row.get(lat_name), row.get(lon_name)
                if lat not in (None, "") and lon not in (None, ""):
                    self.features.append(_feature(row, float(lat), float(lon)))
            yield row

    def as_dict(self) -> dict:
        out = {}
        if self.chart is not None:
            out["series"] = sorted([day, round(value, 2)] for day, value in self.totals.items())
        if self.features:
            out["map"] = {"type": "FeatureCollection", "features": self.features}
        return out


def _feature(row: dict, lat: float, lon: float) -> dict:
    title = next((str(row[n]) for n in TITLE_FIELDS if row.get(n)), "")
    label = next((str(row[n]) for n in LABEL_FIELDS if row.get(n)), "")
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"title": title, "label": label},
    }


def chart_points(summary: dict) -> list[tuple[datetime.date, float]]:
    return [(datetime.date.fromisoformat(day), value) for day, value in summary.get("series", [])]
