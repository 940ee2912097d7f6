"""A small COG extract in the shipped file's format, cut from the real extract: the
communes of the Cher (18) and of Corse-du-Sud (2A), a few well-known others, their EPCI
(members cut to the sample), départements, régions and former codes."""

import copy
import functools
import gzip
import hashlib
import json
from pathlib import Path

from territoria.territories.cog import default_extract_path

SAMPLE_DEPARTEMENTS = {"18", "2A"}
SAMPLE_COMMUNES = {
    "79191",  # Niort
    "42218",  # Saint-Étienne
    "76575",  # Saint-Étienne-du-Rouvray
    "95313",  # L'Isle-Adam
    "84054",  # L'Isle-sur-la-Sorgue
    "01015",  # Arboys en Bugey, former code 01340
    "97418",  # Sainte-Marie (La Réunion)
    "35294",  # Sainte-Marie (Ille-et-Vilaine)
    "67482",  # Strasbourg
    "13055",  # Marseille, with its arrondissements as former codes
}


@functools.cache
def _real_extract() -> dict:
    return json.loads(gzip.decompress(default_extract_path().read_bytes()))


def sample_extract() -> dict:
    """A fresh copy of the sample as a dict (tests may change it)."""
    real = _real_extract()
    communes = [
        c
        for c in real["communes"]
        if c["departement"] in SAMPLE_DEPARTEMENTS or c["code"] in SAMPLE_COMMUNES
    ]
    codes = {c["code"] for c in communes}
    departements = {c["departement"] for c in communes}
    departement_rows = [d for d in real["departements"] if d["code"] in departements]
    regions = {d["region"] for d in departement_rows}
    epcis = []
    for epci in real["epci"]:
        members = [m for m in epci["members"] if m in codes]
        if members:
            epcis.append({**epci, "members": members})
    return copy.deepcopy(
        {
            "format": real["format"],
            "source": real["source"],
            "regions": [r for r in real["regions"] if r["code"] in regions],
            "departements": departement_rows,
            "epci": epcis,
            "communes": communes,
            "former_codes": [f for f in real["former_codes"] if f["commune"] in codes],
        }
    )


def write_extract(path: Path, data: dict, *, checksum: bool = True) -> Path:
    """Write data as the shipped file is written: gzipped JSON and its .sha256 beside."""
    raw = gzip.compress(json.dumps(data, ensure_ascii=False).encode("utf-8"), mtime=0)
    path.write_bytes(raw)
    if checksum:
        digest = hashlib.sha256(raw).hexdigest()
        path.with_name(path.name + ".sha256").write_text(f"{digest}  {path.name}\n")
    return path
