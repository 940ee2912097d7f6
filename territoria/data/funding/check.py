"""Stand-alone check of the shipped funding data (no Django needed).

    python territoria/data/funding/check.py

Checks programmes.json against the catalogue (axes, use cases) and the named lists
against the shipped COG extract; prints every problem and exits 1 if there is one.
"""

import csv
import datetime
import gzip
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent
ROOT = DATA.parent.parent

AXES = {"economy", "quality_of_life", "networks", "social", "environment", "attractiveness"}
FUNDER_KINDS = {"state", "region", "departement", "europe", "agency", "bank", "other"}
AID_TYPES = {"grant", "loan", "recoverable_advance", "engineering", "guarantee", "other"}
SCALES = {"national", "regions", "departements", "epcis", "communes"}
ZONES = {"all", "metropole", "outre-mer"}
BENEFICIARIES = {"commune", "epci"}
EXPENSES = {"investment", "operation", "study"}
RECURRENCES = {"oneoff", "recurring", "ongoing"}
CONFIDENCES = {"high", "medium", "low"}
LISTS = {"action-coeur-de-ville", "petites-villes-de-demain"}
RULE_KEYS = {"population_max", "population_min", "kind_in", "in_named_list", "project_cost_min",
             "project_cost_max", "expense_type_in", "zone_in", "any", "all", "check"}
INSEE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def iso(value):
    if value is None:
        return None
    return datetime.date.fromisoformat(value)


def check_rules(rules, where, problems):
    if not isinstance(rules, list):
        problems.append(f"{where}: list expected")
        return
    for index, rule in enumerate(rules):
        here = f"{where}[{index}]"
        keys = set(rule) - {"label"} if isinstance(rule, dict) else set()
        if len(keys) != 1 or not keys <= RULE_KEYS:
            problems.append(f"{here}: exactly one rule key expected, got {sorted(keys)}")
            continue
        (key,) = keys
        value = rule[key]
        if key in {"any", "all"}:
            if not value:
                problems.append(f"{here}: empty {key}")
            check_rules(value, f"{here}.{key}", problems)
        elif key == "kind_in" and not (value and set(value) <= BENEFICIARIES):
            problems.append(f"{here}: bad kind_in {value}")
        elif key == "zone_in" and not (value and set(value) <= {"metropole", "outre-mer"}):
            problems.append(f"{here}: bad zone_in {value}")
        elif key == "expense_type_in" and not (value and set(value) <= EXPENSES):
            problems.append(f"{here}: bad expense_type_in {value}")
        elif key == "in_named_list" and value not in LISTS:
            problems.append(f"{here}: unknown list {value}")
        elif key == "check" and not (isinstance(value, str) and value.strip()):
            problems.append(f"{here}: empty check")
        elif key in {"population_max", "population_min", "project_cost_min", "project_cost_max"}:
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                problems.append(f"{here}: positive number expected")


def check_programmes(problems):
    data = json.loads((HERE / "programmes.json").read_text(encoding="utf-8"))
    iso(data["checked_on"])
    use_cases = {u["slug"] for u in json.loads(
        (DATA / "catalogue" / "use_cases.json").read_text(encoding="utf-8"))}
    seen = set()
    for index, p in enumerate(data["programmes"]):
        where = f"programmes[{index}] {p.get('slug')}"
        slug = p.get("slug", "")
        if not SLUG.match(slug) or slug in seen:
            problems.append(f"{where}: bad or duplicate slug")
        seen.add(slug)
        if not p.get("name") or not p.get("description"):
            problems.append(f"{where}: name and description required")
        if p.get("fictitious") and not p["name"].endswith(" (exemple fictif)"):
            problems.append(f"{where}: a fictitious programme's name ends with ' (exemple fictif)'")
        if not p.get("fictitious") and not p.get("sources"):
            problems.append(f"{where}: a real programme needs sources")
        for funder in p.get("funders") or [None]:
            if not funder or not funder.get("name") or funder.get("kind") not in FUNDER_KINDS:
                problems.append(f"{where}: bad funder {funder}")
        for name, allowed in (("aid_types", AID_TYPES), ("beneficiaries", BENEFICIARIES)):
            if not p.get(name) or not set(p[name]) <= allowed:
                problems.append(f"{where}: bad {name} {p.get(name)}")
        if not set(p.get("axes", [])) <= AXES:
            problems.append(f"{where}: bad axes {p.get('axes')}")
        if not set(p.get("expense_types", [])) <= EXPENSES:
            problems.append(f"{where}: bad expense_types")
        unknown = set(p.get("use_cases", [])) - use_cases
        if unknown:
            problems.append(f"{where}: unknown use cases {sorted(unknown)}")
        perimeter = p.get("perimeter", {})
        if perimeter.get("scale") not in SCALES or perimeter.get("zone") not in ZONES:
            problems.append(f"{where}: bad perimeter")
        if perimeter.get("scale") != "national" and not perimeter.get("codes"):
            problems.append(f"{where}: perimeter codes missing")
        if p.get("named_list") not in LISTS | {None}:
            problems.append(f"{where}: unknown named list")
        for name in ("rate_min", "rate_max", "max_public_rate"):
            value = p.get(name)
            if value is not None and not 0 <= value <= 100:
                problems.append(f"{where}: {name} out of 0-100")
        if None not in (p.get("rate_min"), p.get("rate_max")) and p["rate_min"] > p["rate_max"]:
            problems.append(f"{where}: rate_min > rate_max")
        for name in ("ceiling_eur", "min_project_cost_eur"):
            value = p.get(name)
            if value is not None and (not isinstance(value, int) or value < 0):
                problems.append(f"{where}: {name} must be a positive integer")
        for w_index, window in enumerate(p.get("windows", [])):
            try:
                opens, closes = iso(window.get("opens_on")), iso(window.get("closes_on"))
            except ValueError:
                problems.append(f"{where}: windows[{w_index}] date not ISO")
                continue
            if opens and closes and opens > closes:
                problems.append(f"{where}: windows[{w_index}] opens after it closes")
            if window.get("recurrence") not in RECURRENCES:
                problems.append(f"{where}: windows[{w_index}] bad recurrence")
        check_rules(p.get("eligibility", []), f"{where} eligibility", problems)
        for s_index, source in enumerate(p.get("sources", [])):
            if not str(source.get("url", "")).startswith(("http://", "https://")):
                problems.append(f"{where}: sources[{s_index}] url")
            if source.get("date"):
                try:
                    iso(source["date"])
                except ValueError:
                    problems.append(f"{where}: sources[{s_index}] date not ISO")
        for field, position in p.get("field_sources", {}).items():
            if not isinstance(position, int) or not 0 <= position < len(p.get("sources", [])):
                problems.append(f"{where}: field_sources[{field}] points nowhere")
        if p.get("confidence") not in CONFIDENCES:
            problems.append(f"{where}: bad confidence")
    return data


def check_lists(problems):
    cog = json.loads(gzip.open(DATA / "cog" / "cog.json.gz").read())
    communes = {c["code"] for c in cog["communes"]}
    for slug in sorted(LISTS):
        path = HERE / "named_lists" / f"{slug}.csv"
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        codes = [row["insee"] for row in rows]
        if len(codes) != len(set(codes)):
            problems.append(f"{path.name}: duplicate codes")
        bad = [c for c in codes if not INSEE.match(c) or c not in communes]
        if bad:
            problems.append(f"{path.name}: codes not in the COG extract: {bad[:10]}")
        print(f"{path.name}: {len(codes)} communes")


def main():
    problems = []
    data = check_programmes(problems)
    check_lists(problems)
    print(f"programmes.json: {len(data['programmes'])} programmes")
    for problem in problems:
        print("PROBLEM", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
