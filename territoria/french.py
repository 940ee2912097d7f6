"""French wording shared by the code and every template (a builtin template library:
no {% load %} needed): empty values in words, « d'Arras » rather than « de Arras »,
« Place 2 » before « Place 10 »."""

import re

from django import template
from django.utils.translation import gettext as _

from territoria.territories.normalize import fold

register = template.Library()

# Towns whose initial h is aspirated take « de » (« de Haguenau »); any other h is mute.
ASPIRATED_H = {"hagondange", "haguenau", "hallu", "ham", "hautmont", "hazebrouck", "hendaye"}
_DIGITS = re.compile(r"(\d+)")


@register.filter
def de(name: str) -> str:
    """The name after the preposition « de »: « d'Arras », « d'Hyères », « du Mans »,
    « des Sables-d'Olonne », « de La Baule-Escoublac », « de Saint-Amand-Montrond »."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    bare = fold(name)
    first_word = bare.split(" ", 1)[0]
    if bare[:1] and bare[0] in "aeiouy" or (bare[:1] == "h" and first_word not in ASPIRATED_H):
        return "d'" + name
    return "de " + name


def natural_key(text: str) -> tuple:
    """Sort key putting « Place 2 » before « Place 10 », case and accents ignored."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in _DIGITS.split(fold(text))
        if part
    )


@register.filter
def or_unknown(value, feminine=False):
    """The value, or « non renseigné » when it is empty: a dash says nothing to a reader.
    `|or_unknown:True` agrees with a feminine noun (« non renseignée »)."""
    if value in (None, "", [], ()):
        return _("non renseignée") if feminine else _("non renseigné")
    return value
