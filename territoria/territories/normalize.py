"""Name folding shared by the territory index and the territory search.

A name and a query are folded the same way: lower case, no accents, ligatures spelled
out, an elided article glued to its word ("L'Isle-Adam" → "lisle adam"), every other
punctuation a space, and the abbreviations "St"/"Ste" spelled "saint"/"sainte".
"""

import re
import unicodedata

ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_APOSTROPHES = re.compile(r"[’ʼ`´‘]")
_SUR = re.compile(r"(?<![a-z0-9])s/", re.IGNORECASE)  # "Bar s/ Seine"
_WORD = re.compile(r"[a-z0-9']+")
_CODE_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def _ascii(text: str) -> str:
    text = _APOSTROPHES.sub("'", text.translate(_LIGATURES))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return _SUR.sub(" sur ", text)


def _raw_words(text: str) -> list[str]:
    """Words of the folded text, apostrophes still inside ("l'isle")."""
    return [w.strip("'") for w in _WORD.findall(_ascii(text)) if w.strip("'")]


def _canonical(word: str) -> str:
    word = word.replace("'", "")
    return ABBREVIATIONS.get(word, word)


def fold(text: str) -> str:
    """The searchable form of a name: "Saint-Étienne" → "saint etienne"."""
    return " ".join(_canonical(w) for w in _raw_words(text))


def name_tokens(name: str) -> list[str]:
    """Every word of a folded name, plus the word after an elision ("l'isle" gives
    "lisle" and "isle"), so "isle adam", "l isle" and "lisle" all find L'Isle-Adam."""
    tokens: list[str] = []
    for word in _raw_words(name):
        candidates = [_canonical(word)]
        if "'" in word:
            candidates += [_canonical(part) for part in word.split("'") if len(part) > 1]
        for token in candidates:
            if token not in tokens:
                tokens.append(token)
    return tokens


def index_entries(name: str, postal_codes=(), departement: str = "") -> tuple[list[str], str]:
    """The tokens a territory is indexed under (its name's words and postal codes) and
    the padded word list the other words of a query are checked against, which also
    holds the département code ("saint denis 974", "ajaccio 2a")."""
    tokens = name_tokens(name) + [code for code in postal_codes if code]
    words = tokens + ([departement.lower()] if departement else [])
    return tokens, f" {' '.join(words)} "[:500]


def query_terms(query: str) -> list[tuple[str, ...]]:
    """For each word of a query, the prefixes it may stand for.

    A finished "st" means "saint"; the word still being typed keeps both readings,
    so "st" also finds Strasbourg while "st amand" finds Saint-Amand.
    """
    words = _raw_words(query)
    terms = []
    for index, word in enumerate(words):
        plain = word.replace("'", "")
        if index == len(words) - 1 and plain in ABBREVIATIONS:
            terms.append((plain, ABBREVIATIONS[plain]))
        else:
            terms.append((_canonical(word),))
    return terms


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string of [0-9a-z] greater than every string starting with prefix,
    so that `prefix <= token < bound` is an indexed prefix search on any collation that
    orders digits before letters ("saz" → "sb")."""
    chars = list(prefix)
    while chars:
        position = _CODE_ALPHABET.find(chars[-1])
        if 0 <= position < len(_CODE_ALPHABET) - 1:
            chars[-1] = _CODE_ALPHABET[position + 1]
            return "".join(chars)
        chars.pop()
    return "~"
