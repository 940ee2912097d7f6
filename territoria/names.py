"""Names as French readers expect them: « d'Arras » rather than « de Arras », and
« Place 2 » before « Place 10 »."""

import re
import unicodedata

# Towns whose initial h is aspirated take « de » (« de Haguenau »); any other h is mute.
ASPIRATED_H = {"hagondange", "haguenau", "hallu", "ham", "hautmont", "hazebrouck", "hendaye"}
_DIGITS = re.compile(r"(\d+)")


def _bare(text: str) -> str:
    return unicodedata.normalize("NFD", text).encode("ascii", "ignore").decode().lower()


def de(name: str) -> str:
    """The name after the preposition « de »: « d'Arras », « d'Hyères », « du Mans »,
    « des Sables-d'Olonne », « de La Baule-Escoublac », « de Saint-Amand-Montrond »."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    bare = _bare(name)
    first_word = re.split(r"[\s-]", bare, maxsplit=1)[0]
    if bare[:1] and bare[0] in "aeiouy" or (bare[:1] == "h" and first_word not in ASPIRATED_H):
        return "d'" + name
    return "de " + name


def natural_key(text: str) -> tuple:
    """Sort key putting « Place 2 » before « Place 10 », case and accents ignored."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, _bare(part))
        for part in _DIGITS.split(text)
        if part
    )
