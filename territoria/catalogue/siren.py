"""The SIREN number of a French company: nine digits whose Luhn checksum is valid."""


def luhn_valid(digits: str) -> bool:
    """Whether a string of digits passes the Luhn checksum (every second digit from
    the right is doubled, digits of the products summed, total a multiple of 10)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalize(value: str) -> str:
    """The SIREN without the spaces people type between groups of three digits."""
    return "".join(value.split())


def is_valid_siren(value: str) -> bool:
    value = normalize(value)
    return len(value) == 9 and value.isascii() and value.isdigit() and luhn_valid(value)
