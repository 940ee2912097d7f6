"""Identifiers of French legal entities, with python-stdnum's checks: the SIREN (nine
digits, Luhn key) and the SIRET of an establishment. People type spaces between digit
groups: they are ignored."""

from stdnum import luhn
from stdnum.fr import siren

LA_POSTE = "356000000"


def compact(value: str) -> str:
    """The number without the spaces and dots people type between groups."""
    return siren.compact(value or "")


def is_valid_siren(value: str) -> bool:
    return siren.is_valid(value or "")


def is_valid_siret(value: str) -> bool:
    """The national validator's rule (validata, « french-siret-value »): fourteen digits
    with a Luhn key, or for La Poste's establishments a digit sum multiple of 5. Like
    it, the SIREN part is not checked on its own."""
    number = compact(value)
    if len(number) != 14 or not number.isdigit():
        return False
    if number.startswith(LA_POSTE) and number != LA_POSTE + "00048":
        return sum(int(digit) for digit in number) % 5 == 0
    return luhn.is_valid(number)
