"""French wording shared by every template (a builtin library: no {% load %} needed)."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def or_unknown(value, feminine=False):
    """The value, or « non renseigné » when it is empty: a dash says nothing to a reader.
    `|or_unknown:True` agrees with a feminine noun (« non renseignée »)."""
    if value in (None, "", [], ()):
        return _("non renseignée") if feminine else _("non renseigné")
    return value
