"""The server-rendered SVG charts used by pages and PDFs."""

import xml.etree.ElementTree as ET
from datetime import date

from territoria.charts import Series, bar_chart, line_chart, nice_ticks, number

SVG = "{http://www.w3.org/2000/svg}"


def test_line_chart_draws_one_line_per_series_and_names_itself():
    """Each series is one polyline; the chart has a title for screen readers."""
    svg = line_chart(
        [
            Series("Investissement cumulé", [(2026, 0), (2027, 120_000), (2028, 150_000)]),
            Series("Économies cumulées", [(2026, 0), (2027, 40_000), (2028, 160_000)], dashed=True),
        ],
        title="Plan : investissement et économies",
        y_label="€",
    )
    root = ET.fromstring(str(svg))
    assert root.find(f"{SVG}title").text == "Plan : investissement et économies"
    lines = root.findall(f"{SVG}polyline")
    assert len(lines) == 2
    assert lines[1].get("stroke-dasharray") == "6 4"
    assert {"2026", "2028", "200\u202f000"} <= {t.text for t in root.iter(f"{SVG}text")}


def test_line_chart_accepts_dates_and_escapes_labels():
    """Dates on the x axis are labelled day/month/year; text is escaped, never markup."""
    svg = str(
        line_chart(
            [Series("<script>", [(date(2026, 1, 1), 1), (date(2026, 1, 3), 2)])],
            title="Débit <b>",
            y_label="m³",
        )
    )
    root = ET.fromstring(svg)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "01/01/2026" in {t.text for t in root.iter(f"{SVG}text")}


def test_bar_heights_are_proportional_to_values():
    """A bar twice as large as another is drawn twice as tall."""
    root = ET.fromstring(str(bar_chart([("A", 10), ("B", 20)], title="t", y_label="u")))
    small, large = (float(r.get("height")) for r in root.iter(f"{SVG}rect"))
    assert round(large / small, 6) == 2


def test_grouped_bars_draw_one_bar_per_series_and_category():
    """Two series over three categories give six bars and a legend."""
    series = [Series(name, [("a", 1), ("b", 2), ("c", 3)]) for name in ("prévu", "mesuré")]
    root = ET.fromstring(str(bar_chart(series, title="t", y_label="u")))
    assert len(list(root.iter(f"{SVG}rect"))) == 6
    assert {"prévu", "mesuré"} <= {t.text for t in root.iter(f"{SVG}text")}


def test_an_empty_chart_is_still_a_valid_svg():
    """No data gives an empty frame, not an error."""
    assert ET.fromstring(str(line_chart([], title="vide", y_label="u"))).tag == f"{SVG}svg"


def test_ticks_are_round_and_cover_the_range():
    """Axis ticks are round numbers covering every value."""
    assert nice_ticks(0, 87) == [0, 20, 40, 60, 80, 100]
    assert number(1234567.0) == "1\u202f234\u202f567" and number(2.5) == "2,5"


def test_every_bar_stands_on_the_zero_line():
    """Bars of any height start from the zero line, whatever their order."""
    root = ET.fromstring(str(bar_chart([("A", 30), ("B", 10), ("C", 20)], title="t", y_label="u")))
    bottoms = {
        round(float(r.get("y")) + float(r.get("height")), 1) for r in root.iter(f"{SVG}rect")
    }
    assert len(bottoms) == 1


def test_phones_get_every_other_x_label_and_a_legend_that_wraps():
    """Every other x label is marked minor (phones hide it); legend entries wrap into
    rows inside the chart, above the plot, with room for the phone's larger text."""
    from territoria.charts import CHAR, PHONE_FONT

    series = [Series(f"Secteur numéro {i} du réseau", [(i, i), (i + 1, i)]) for i in range(5)]
    root = ET.fromstring(str(line_chart(series, title="t", y_label="m³/h")))
    ticks = [t for t in root.iter(f"{SVG}text") if "chart-tick-x" in (t.get("class") or "")]
    assert ["chart-minor" in t.get("class") for t in ticks] == [
        i % 2 == 1 for i in range(len(ticks))
    ]
    width = float(root.get("viewBox").split()[2])
    legend = [t for t in root.iter(f"{SVG}text") if (t.text or "").startswith("Secteur")]
    assert len(legend) == 5
    for text in legend:
        assert float(text.get("x")) + CHAR * len(text.text) <= width
    grid_top = min(
        float(line.get("y1")) for line in root.iter(f"{SVG}line") if line.get("stroke") == "#ddd"
    )
    assert max(float(t.get("y")) for t in legend) + PHONE_FONT <= grid_top
    assert len({t.get("y") for t in legend}) > 1


def test_labels_at_the_ends_of_the_x_axis_stay_inside_the_chart():
    """The first and last x labels are aligned inwards, so long dates are not cut off."""
    points = [(date(2026, 11, day), day) for day in range(1, 9)]
    root = ET.fromstring(str(line_chart([Series("s", points)], title="t", y_label="u")))
    ticks = [t for t in root.iter(f"{SVG}text") if "chart-tick-x" in (t.get("class") or "")]
    assert [t.get("text-anchor") for t in ticks] == ["start"] + ["middle"] * 6 + ["end"]
