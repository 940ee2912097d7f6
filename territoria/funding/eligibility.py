"""Machine-checkable eligibility of a funding programme, with its trace.

A programme's conditions are data: who may apply (communes, EPCI), where (its
perimeter, containment upwards only), membership of a named list (Action Cœur de
Ville…), expense types, a minimum project cost, and a list of rules (population
thresholds, `any`/`all`, and `check` for what no program can verify).

Every condition is evaluated for many territories at once with NumPy, in three-valued
logic: each step yields two boolean arrays, `possible` and `certain`. Certain means
"yes", possible-but-not-certain means "to check", not possible means "no". A
territory is a set of communes (one for a commune, its members for an EPCI), so one
code serves the page of one collectivité and the batch over all 34,969 communes.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.utils.formats import number_format
from django.utils.translation import gettext as _

import numpy as np

from territoria.funding.enums import Verdict

RULE_KEYS = {
    "population_max",
    "population_min",
    "kind_in",
    "in_named_list",
    "project_cost_min",
    "project_cost_max",
    "expense_type_in",
    "zone_in",
    "any",
    "all",
    "check",
}
KINDS = {"commune", "epci"}
EXPENSES = {"investment", "operation", "study"}
ZONES = {"metropole", "outre-mer"}
MAX_DEPTH = 5


def _n(value) -> str:
    return number_format(value, force_grouping=True)


# ---------------------------------------------------------------------------- rules as data


def validate_rules(rules, depth: int = 0, where: str = "eligibility") -> list[str]:
    """French messages for every malformed rule; an empty list when all are well formed."""
    if not isinstance(rules, list):
        return [_("%(where)s : une liste de règles est attendue.") % {"where": where}]
    errors = []
    for index, rule in enumerate(rules):
        here = f"{where}[{index}]"
        if not isinstance(rule, dict):
            errors.append(_("%(where)s : chaque règle est un objet.") % {"where": here})
            continue
        keys = set(rule) - {"label"}
        if len(keys) != 1 or not keys <= RULE_KEYS:
            errors.append(
                _("%(where)s : une seule condition parmi %(keys)s est attendue, reçu %(got)s.")
                % {"where": here, "keys": ", ".join(sorted(RULE_KEYS)), "got": sorted(keys)}
            )
            continue
        (key,) = keys
        value = rule[key]
        if key in {"population_max", "population_min", "project_cost_min", "project_cost_max"}:
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                errors.append(
                    _("%(where)s : %(key)s doit être un nombre positif.")
                    % {"where": here, "key": key}
                )
        elif key in {"kind_in", "expense_type_in", "zone_in"}:
            allowed = {"kind_in": KINDS, "expense_type_in": EXPENSES, "zone_in": ZONES}[key]
            if not isinstance(value, list) or not value or not set(value) <= allowed:
                errors.append(
                    _("%(where)s : %(key)s attend une liste non vide parmi %(allowed)s.")
                    % {"where": here, "key": key, "allowed": ", ".join(sorted(allowed))}
                )
        elif key in {"in_named_list", "check"}:
            if not isinstance(value, str) or not value.strip():
                errors.append(
                    _("%(where)s : %(key)s attend un texte non vide.") % {"where": here, "key": key}
                )
        elif key in {"any", "all"}:
            if depth >= MAX_DEPTH:
                errors.append(_("%(where)s : règles trop imbriquées.") % {"where": here})
            elif not isinstance(value, list) or not value:
                errors.append(
                    _("%(where)s : %(key)s attend une liste non vide de règles.")
                    % {"where": here, "key": key}
                )
            else:
                errors += validate_rules(value, depth + 1, f"{here}.{key}")
    return errors


@dataclass(frozen=True)
class Rule:
    """A rule ready to evaluate: its key, value, French text and inner rules."""

    key: str
    value: object
    text: str
    children: tuple["Rule", ...] = ()


def compile_rule(rule: dict) -> Rule:
    key = rule_key(rule)
    children = tuple(compile_rule(r) for r in rule[key]) if key in {"any", "all"} else ()
    return Rule(key, rule[key], rule_text(rule), children)


@dataclass(frozen=True)
class Conditions:
    """What a programme requires, as plain data (built from the model or a file)."""

    beneficiaries: tuple[str, ...] = ("commune", "epci")
    scale: str = "national"
    codes: frozenset[str] = frozenset()
    zone: str = "all"
    named_list: str = ""
    named_list_name: str = ""
    expense_types: tuple[str, ...] = ()
    min_project_cost: float | None = None
    rules: tuple = ()

    @cached_property
    def compiled(self) -> tuple[Rule, ...]:
        """Every condition as a rule, texts computed once: who, where, which list,
        which expenses, which minimum cost, then the programme's own rules."""
        found = [compile_rule({"kind_in": list(self.beneficiaries)})]
        if self.scale == "national":
            found.append(Rule("national", None, _("périmètre : France entière")))
        else:
            text = _("territoire compris dans le périmètre du programme")
            found.append(Rule(self.scale, self.codes, text))
        if self.zone != "all":
            found.append(compile_rule({"zone_in": [self.zone]}))
        if self.named_list:
            name = self.named_list_name or self.named_list
            found.append(
                compile_rule(
                    {
                        "in_named_list": self.named_list,
                        "label": _("commune du programme « %(name)s »") % {"name": name},
                    }
                )
            )
        if self.expense_types:
            found.append(compile_rule({"expense_type_in": list(self.expense_types)}))
        if self.min_project_cost:
            found.append(compile_rule({"project_cost_min": self.min_project_cost}))
        return tuple(found) + tuple(compile_rule(rule) for rule in self.rules)


# ---------------------------------------------------------------------------- territories


@dataclass
class Territories:
    """N territories, each a group of communes: arrays over communes and their owner."""

    kinds: np.ndarray  # per territory: "commune" or "epci"
    populations: np.ndarray  # per territory
    owner: np.ndarray  # per commune row: index of its territory
    commune: np.ndarray  # per commune row: INSEE code
    epci: np.ndarray  # per commune row: SIREN ("" if none)
    departement: np.ndarray
    region: np.ndarray
    metropole: np.ndarray  # per commune row: bool
    lists: dict[str, np.ndarray] = field(default_factory=dict)  # slug -> bool per row
    sizes: np.ndarray = None

    def __post_init__(self):
        self.sizes = np.bincount(self.owner, minlength=len(self.kinds)).astype(float)

    def __len__(self) -> int:
        return len(self.kinds)

    @cached_property
    def codes(self) -> dict[str, frozenset[str]]:
        """For one territory: the codes of its communes, EPCI, départements, régions."""
        return {name: frozenset(getattr(self, name)) for name in PERIMETER_COLUMNS.values()}

    def share(self, per_row: np.ndarray) -> np.ndarray:
        """The fraction of each territory's communes for which `per_row` holds."""
        inside = np.bincount(self.owner, weights=per_row.astype(float), minlength=len(self))
        return inside / np.maximum(self.sizes, 1)

    def share_of(self, key) -> np.ndarray:
        """share() of a named property, computed once per territory batch: thousands of
        programmes ask for the same perimeters, lists and zones.
        key: ("metropole",), ("list", slug) or (scale, frozenset of codes)."""
        cache = self.__dict__.setdefault("_shares", {})
        if key not in cache:
            if key[0] == "metropole":
                rows = self.metropole
            elif key[0] == "list":
                rows = self.lists[key[1]]
            else:
                rows = _member(getattr(self, PERIMETER_COLUMNS[key[0]]), key[1])
            cache[key] = self.share(rows)
        return cache[key]


@dataclass(frozen=True)
class Project:
    cost: float | None = None
    expense_type: str | None = None


@dataclass
class Step:
    text: str
    possible: np.ndarray
    certain: np.ndarray
    depth: int = 0
    leaf: bool = True
    on_project: bool = False  # a condition on a project none was given for

    def outcome(self, index: int) -> bool | None:
        if self.certain[index]:
            return True
        return None if self.possible[index] else False


# ---------------------------------------------------------------------------- evaluation


def rule_key(rule: dict) -> str:
    return next(k for k in rule if k != "label")


def rule_text(rule: dict) -> str:
    """A rule in French: its own label when it has one."""
    if rule.get("label"):
        return rule["label"]
    key = rule_key(rule)
    value = rule[key]
    texts = {
        "population_max": lambda: _("population d'au plus %(n)s habitants") % {"n": _n(value)},
        "population_min": lambda: _("population d'au moins %(n)s habitants") % {"n": _n(value)},
        "kind_in": lambda: _kinds_text(value),
        "zone_in": lambda: _("territoire situé en %(z)s") % {"z": _zones_text(value)},
        "in_named_list": lambda: _("commune du programme « %(name)s »") % {"name": value},
        "project_cost_min": lambda: _("coût du projet d'au moins %(n)s €") % {"n": _n(value)},
        "project_cost_max": lambda: _("coût du projet d'au plus %(n)s €") % {"n": _n(value)},
        "expense_type_in": lambda: _("dépense de type %(t)s") % {"t": _expenses_text(value)},
        "check": lambda: _("à vérifier : %(text)s") % {"text": value},
        "any": lambda: _("l'une des conditions suivantes"),
        "all": lambda: _("toutes ces conditions"),
    }
    return texts[key]()


def describe(rules, depth: int = 0) -> list[tuple[int, str]]:
    """Rules as indented French lines, for a programme's page."""
    lines = []
    for rule in rules:
        lines.append((depth, rule_text(rule)))
        if rule_key(rule) in {"any", "all"}:
            lines += describe(rule[rule_key(rule)], depth + 1)
    return lines


PERIMETER_COLUMNS = {
    "regions": "region",
    "departements": "departement",
    "epcis": "epci",
    "communes": "commune",
}


def _member(values: np.ndarray, wanted) -> np.ndarray:
    """values ∈ wanted, elementwise; plain Python for a few values (NumPy's isin has a
    fixed cost that dominates on one territory)."""
    if len(values) <= 256:
        wanted = wanted if isinstance(wanted, frozenset | set) else set(wanted)
        return np.fromiter((v in wanted for v in values), bool, len(values))
    return np.isin(values, list(wanted))


class _Evaluation:
    def __init__(self, territories: Territories, project: Project | None, trace: bool):
        self.t = territories
        self.project = project
        self.trace = trace
        self.steps: list[Step] = []
        n = len(territories)
        self.yes = np.ones(n, bool)
        self.no = np.zeros(n, bool)

    def step(self, rule: Rule, possible, certain, depth, on_project=False):
        if self.trace:
            self.steps.append(Step(rule.text, possible, certain, depth, on_project=on_project))
        return possible, certain

    def known(self, mask):
        return mask, mask

    def shared(self, share):
        """All communes inside: yes; some: to check; none: no."""
        return share > 0, share >= 1

    def rule(self, rule: Rule, depth: int):
        key, value, t = rule.key, rule.value, self.t
        if rule.children:  # the group's own line goes before its parts
            position = len(self.steps)
            parts = [self.rule(inner, depth + 1) for inner in rule.children]
            combine = np.logical_or if key == "any" else np.logical_and
            possible = combine.reduce([part[0] for part in parts])
            certain = combine.reduce([part[1] for part in parts])
            if self.trace:
                self.steps.insert(position, Step(rule.text, possible, certain, depth, False))
            return possible, certain
        if key == "population_max":
            result = self.known(t.populations <= value)
        elif key == "population_min":
            result = self.known(t.populations >= value)
        elif key == "kind_in":
            result = self.known(_member(t.kinds, value))
        elif key == "zone_in":
            in_metro = t.share_of(("metropole",))
            wanted = in_metro if value == ["metropole"] else 1 - in_metro
            result = self.shared(wanted) if len(value) == 1 else (self.yes, self.yes)
        elif key == "in_named_list":
            known = value in t.lists
            result = self.shared(t.share_of(("list", value))) if known else (self.no, self.no)
        elif key == "national":
            result = (self.yes, self.yes)
        elif key in PERIMETER_COLUMNS:
            result = self.shared(t.share_of((key, frozenset(value))))
        elif key in {"project_cost_min", "project_cost_max"}:
            return self._project(
                rule,
                depth,
                self.project and self.project.cost,
                lambda cost: cost >= value if key == "project_cost_min" else cost <= value,
            )
        elif key == "expense_type_in":
            attribute = self.project and self.project.expense_type
            return self._project(rule, depth, attribute, value.__contains__)
        else:  # check
            result = (self.yes, self.no)
        return self.step(rule, *result, depth)

    def _project(self, rule, depth, attribute, test):
        """A condition on the project. Without a project, the territory is judged as if
        its project met it, and the condition is listed as one for the project."""
        if attribute is None or attribute == "":
            return self.step(rule, self.yes, self.yes, depth, on_project=True)
        return self.step(rule, *self.known(self.yes if test(attribute) else self.no), depth)


def _kinds_text(kinds) -> str:
    labels = {"commune": _("commune"), "epci": _("intercommunalité")}
    return _("bénéficiaire : %(kinds)s") % {"kinds": _(" ou ").join(labels[k] for k in kinds)}


def _zones_text(zones) -> str:
    labels = {"metropole": _("France métropolitaine"), "outre-mer": _("outre-mer")}
    return _(" ou ").join(labels[z] for z in zones)


def _expenses_text(types) -> str:
    labels = {"investment": _("investissement"), "operation": _("fonctionnement"),
              "study": _("études")}  # fmt: skip
    return _(" ou ").join(labels[t] for t in types)


def evaluate_all(
    conditions: Conditions,
    territories: Territories,
    project: Project | None = None,
    *,
    trace: bool = False,
):
    """(possible, certain) arrays over the territories, and the trace steps if asked."""
    run = _Evaluation(territories, project, trace)
    parts = [run.rule(rule, 0) for rule in conditions.compiled]
    possible = np.logical_and.reduce([part[0] for part in parts])
    certain = np.logical_and.reduce([part[1] for part in parts])
    return possible, certain, run.steps


def verdicts(possible: np.ndarray, certain: np.ndarray) -> np.ndarray:
    """Per territory: the Verdict value."""
    undecided = np.where(possible, Verdict.PROBABLE.value, Verdict.INELIGIBLE.value)
    return np.where(certain, Verdict.ELIGIBLE.value, undecided)


@dataclass(frozen=True)
class Line:
    text: str
    outcome: bool | None  # True: met, False: not met, None: to check
    depth: int
    leaf: bool
    on_project: bool = False


@dataclass
class Result:
    verdict: str
    lines: list[Line]

    @property
    def reasons(self) -> list[str]:
        """Why not: the failed top-level conditions."""
        return [line.text for line in self.lines if line.outcome is False and line.depth == 0]

    @property
    def checks(self) -> list[str]:
        """What to check: the undecided conditions that decide the verdict (inside groups
        that are themselves undecided), not the groups themselves."""
        found, ancestors = [], []
        for line in self.lines:
            del ancestors[line.depth :]
            if line.outcome is None and line.leaf and all(a is None for a in ancestors):
                found.append(line.text)
            ancestors.append(line.outcome)
        return found

    @property
    def project_conditions(self) -> list[str]:
        """Conditions a project will have to meet (evaluated without a project)."""
        return [line.text for line in self.lines if line.on_project]

    @property
    def label(self) -> str:
        return Verdict(self.verdict).label


def evaluate(conditions: Conditions, territory: Territories, project: Project | None = None):
    """The verdict for one territory, with the trace of every condition. A programme
    not open to this kind of collectivité, or whose perimeter holds none of its communes,
    is refused at once with that one reason: the full evaluation would say the same,
    much slower over thousands of programmes."""
    beneficiaries, perimeter = conditions.compiled[:2]
    if territory.kinds[0] not in beneficiaries.value:
        return Result(Verdict.INELIGIBLE.value, [Line(beneficiaries.text, False, 0, True)])
    if perimeter.key in PERIMETER_COLUMNS:
        column = territory.codes[PERIMETER_COLUMNS[perimeter.key]]
        if column.isdisjoint(perimeter.value):
            return Result(Verdict.INELIGIBLE.value, [Line(perimeter.text, False, 0, True)])
    possible, certain, steps = evaluate_all(conditions, territory, project, trace=True)
    verdict = str(verdicts(possible, certain)[0])
    lines = [Line(s.text, s.outcome(0), s.depth, s.leaf, s.on_project) for s in steps]
    return Result(verdict, lines)
