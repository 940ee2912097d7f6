"""French display of the roadmap's amounts: "12 345 €", "35 %"."""

from django import template

from territoria.catalogue.templatetags.catalogue_figures import format_number

register = template.Library()


@register.filter
def eur(value) -> str:
    if value is None or value == "":
        return "—"
    return f"{format_number(round(float(value)))}\u00a0€"


@register.filter
def eur_range(values) -> str:
    """A (low, central, high) range: "9 900 à 29 700 €", or one amount."""
    low, _central, high = (round(float(v)) for v in values)
    if low == high:
        return eur(low)
    return f"{format_number(low)} à {format_number(high)}\u00a0€"


@register.filter
def pct(value) -> str:
    if value is None:
        return "—"
    return f"{format_number(round(float(value)))}\u00a0%"


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
