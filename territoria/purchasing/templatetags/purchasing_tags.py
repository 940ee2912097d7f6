from django import template

register = template.Library()


@register.filter
def euros(cents) -> str:
    """Cents as French euros: 125050 → « 1 250,50 € » (narrow no-break spaces)."""
    if cents is None:
        return ""
    sign = "−" if cents < 0 else ""
    whole, rest = divmod(abs(int(cents)), 100)
    grouped = f"{whole:,}".replace(",", "\u202f")
    return f"{sign}{grouped},{rest:02d}\u00a0€"


@register.filter
def share_of(data, collectivite):
    """The convention line of one member, if it belongs to the groupement."""
    return data.line_for(collectivite)


@register.filter
def lot_amount(mapping, lot):
    return mapping.get(lot.pk, 0)


@register.filter
def shortfall_for(data, line):
    """The negative-saving warning in sentences, for one member's line or for all."""
    return data.shortfall.sentences(data.members, focus=line) if data.shortfall else []
