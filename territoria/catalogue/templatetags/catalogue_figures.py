"""French display of catalogue figures: "10 à 35 %", "360 à 3 000 € par point lumineux"."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from territoria.catalogue.enums import PurchaseChannel, Unit

register = template.Library()

NBSP = "\u00a0"


def format_number(value) -> str:
    """A number written the French way: 3 000 (no-break space), 1,5; no useless zeros."""
    value = Decimal(value)
    sign = "-" if value < 0 else ""
    value = abs(value).quantize(Decimal("0.01"))
    whole, _dot, cents = f"{value:f}".partition(".")
    cents = cents.rstrip("0")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = NBSP.join(groups)
    return f"{sign}{text},{cents}" if cents else f"{sign}{text}"


def unit_label(unit: str, value_max) -> str:
    if unit == Unit.COUNT:
        return ""
    if unit == Unit.YEARS:
        return _("an") if Decimal(value_max) < 2 else _("ans")
    return str(Unit(unit).label)


def format_range(value_min, value_max, unit: str, basis: str = "") -> str:
    """ "10 à 35 %", "360 à 3 000 € par point lumineux", or one value when min == max."""
    low, high = format_number(value_min), format_number(value_max)
    numbers = (
        low
        if Decimal(value_min) == Decimal(value_max)
        else _("%(low)s à %(high)s")
        % {
            "low": low,
            "high": high,
        }
    )
    label = unit_label(unit, value_max)
    text = f"{numbers}{NBSP}{label}" if label else numbers
    return f"{text} {basis}" if basis else text


@register.filter
def figure_value(figure) -> str:
    """The figure's range with its unit and basis."""
    return format_range(figure.value_min, figure.value_max, figure.unit, figure.basis)


@register.filter
def figure_range(figure) -> str:
    """The figure's range with its unit, without the basis."""
    return format_range(figure.value_min, figure.value_max, figure.unit)


@register.filter
def french_number(value) -> str:
    return "" if value is None else format_number(value)


@register.filter
def population_range(owner) -> str:
    """ "De 2 000 à 50 000 habitants", "À partir de 5 000 habitants", "Toutes tailles"."""
    low, high = owner.population_min or 0, owner.population_max
    if high is None:
        if not low:
            return _("Toutes tailles de collectivités")
        return _("À partir de %(low)s habitants") % {"low": format_number(low)}
    if not low:
        return _("Jusqu'à %(high)s habitants") % {"high": format_number(high)}
    return _("De %(low)s à %(high)s habitants") % {
        "low": format_number(low),
        "high": format_number(high),
    }


@register.filter
def purchase_channel_labels(channels) -> list[str]:
    """French labels of a solution's purchase channels, in their stored order."""
    labels = dict(PurchaseChannel.choices)
    return [str(labels.get(channel, channel)) for channel in channels or ()]
