"""Identities as salted hashes: nothing readable about a person is ever stored.

An identity is the folded last name, first names and birth date; its hash is an
HMAC-SHA256 keyed by the campaign's salt and the instance's SECRET_KEY, so a census
file, an OpenID Connect login and a paper ballot of the same person give the same hash
within a campaign and unrelated hashes across campaigns.
"""

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings

from territoria.territories.normalize import fold

# No 0/O, 1/I/L: codes are typed from a letter.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def _key(salt: str) -> bytes:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{salt}".encode()).digest()


def identity_hash(salt: str, last_name: str, first_name: str, birth: datetime.date) -> str:
    message = f"{fold(last_name)}|{fold(first_name)}|{birth.isoformat()}"
    return hmac.new(_key(salt), message.encode(), hashlib.sha256).hexdigest()


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def code_hash(salt: str, code: str) -> str:
    message = f"code|{normalise_code(code)}"
    return hmac.new(_key(salt), message.encode(), hashlib.sha256).hexdigest()


def keyed(salt: str, value: str) -> str:
    """A keyed hash for respondent and network keys of consultations."""
    return hmac.new(_key(salt), value.encode(), hashlib.sha256).hexdigest()


def parse_birth(text: str) -> datetime.date | None:
    text = text.strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007
        except ValueError:
            continue
    return None
