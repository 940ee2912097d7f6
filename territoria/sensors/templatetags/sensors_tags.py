from django import template

from territoria.sensors.models import may_operate

register = template.Library()


@register.filter
def operates(user, collectivite) -> bool:
    """Whether this person runs the collectivité's sensors (fleets, keys, files)."""
    return may_operate(user, collectivite)
