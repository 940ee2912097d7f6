"""Rebuild territoria/data/cog/cog.json.gz from the npm package @etalab/decoupage-administratif.

    mkdir -p /tmp/cog && cd /tmp/cog && npm pack @etalab/decoupage-administratif@6.0.0 \
        && tar xzf etalab-decoupage-administratif-6.0.0.tgz
    .venv/bin/python territoria/data/cog/build_extract.py /tmp/cog/package

The extract keeps only the fields Territoria uses; cog.json.gz.sha256 is written beside
it so that the import detects a damaged file. Run with the standard library only.
"""

import argparse
import datetime
import gzip
import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXTRACT = HERE / "cog.json.gz"
FORMAT_VERSION = 1


def _load(package: Path, name: str):
    return json.loads((package / "data" / name).read_text(encoding="utf-8"))


def build(package: Path) -> dict:
    """The extract as a plain dict, from the unpacked npm package directory."""
    meta = json.loads((package / "package.json").read_text(encoding="utf-8"))
    communes_raw = _load(package, "communes.json")
    current = [c for c in communes_raw if c["type"] == "commune-actuelle"]
    current_codes = {c["code"] for c in current}

    regions = [
        {"code": r["code"], "name": r["nom"], "zone": r["zone"]}
        for r in _load(package, "regions.json")
    ]
    departements = [
        {"code": d["code"], "name": d["nom"], "region": d["region"], "zone": d["zone"]}
        for d in _load(package, "departements.json")
    ]
    epcis = [
        {
            "siren": e["code"],
            "name": e["nom"],
            "kind": e["type"],
            "population": e["populationMunicipale"],
            "members": sorted(m["code"] for m in e["membres"]),
        }
        for e in _load(package, "epci.json")
    ]
    communes = [
        {
            "code": c["code"],
            "name": c["nom"],
            "departement": c["departement"],
            "region": c["region"],
            "siren": c.get("siren", ""),
            "population": c.get("population", 0),
            "postal_codes": sorted(c.get("codesPostaux", [])),
        }
        for c in current
    ]

    # Former codes, most explicit source first: a commune déléguée or associée names its
    # chef-lieu, an arrondissement municipal its commune; anciensCodes come last.
    former: dict[str, dict] = {}

    def add(code: str, name: str, commune: str) -> None:
        if code not in current_codes and code not in former and commune in current_codes:
            former[code] = {"code": code, "name": name, "commune": commune}

    for c in communes_raw:
        if c["type"] in ("commune-deleguee", "commune-associee"):
            add(c["code"], c["nom"], c["chefLieu"])
    for c in communes_raw:
        if c["type"] == "arrondissement-municipal":
            add(c["code"], c["nom"], c["commune"])
    for c in current:
        for code in c.get("anciensCodes", []):
            add(code, "", c["code"])

    return {
        "format": FORMAT_VERSION,
        "source": {
            "package": meta["name"],
            "version": meta["version"],
            # The files' date inside the npm tarball: rebuilding gives the same bytes.
            "date": datetime.date.fromtimestamp(
                (package / "data" / "communes.json").stat().st_mtime
            ).isoformat(),
        },
        "regions": regions,
        "departements": departements,
        "epci": epcis,
        "communes": communes,
        "former_codes": sorted(former.values(), key=lambda f: f["code"]),
    }


def write(extract: dict, path: Path = EXTRACT) -> str:
    """Write the gzipped extract and its .sha256 file; return the digest."""
    raw = json.dumps(extract, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # mtime=0 makes the gzip bytes depend on the content only.
    data = gzip.compress(raw, compresslevel=9, mtime=0)
    path.write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    path.with_name(path.name + ".sha256").write_text(f"{digest}  {path.name}\n")
    return digest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", type=Path, help="unpacked npm package directory")
    parser.add_argument("--output", type=Path, default=EXTRACT)
    args = parser.parse_args()
    extract = build(args.package)
    digest = write(extract, args.output)
    print(
        f"{args.output}: {len(extract['communes'])} communes, {len(extract['epci'])} EPCI, "
        f"{len(extract['departements'])} départements, {len(extract['regions'])} régions, "
        f"{len(extract['former_codes'])} anciens codes; sha256 {digest}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
