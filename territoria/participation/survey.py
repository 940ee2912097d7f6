"""Questionnaires on plain data: which questions apply, answer checking, and results.

A conditional question applies only when the question it depends on was answered with
the given choice; answers to questions that do not apply are dropped, never stored.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

SINGLE, MULTIPLE, SCALE, TEXT, RANKING = "single", "multiple", "scale", "text", "ranking"
MAX_TEXT = 3000


@dataclass(frozen=True)
class Spec:
    id: int
    kind: str
    label: str
    required: bool = False
    choices: tuple[str, ...] = ()
    scale_min: int = 1
    scale_max: int = 5
    condition: tuple[int, str] | None = None


def _applies(spec: Spec, cleaned: dict) -> bool:
    if spec.condition is None:
        return True
    qid, choice = spec.condition
    given = cleaned.get(qid)
    return given == choice or (isinstance(given, list) and choice in given)


def _clean_one(spec: Spec, raw):
    """The stored value, None when unanswered, or a ValueError with an error code."""
    if spec.kind == SINGLE:
        if raw in (None, ""):
            return None
        if raw not in spec.choices:
            raise ValueError("unknown_choice")
        return raw
    if spec.kind == MULTIPLE:
        values = [v for v in (raw or []) if v != ""]
        if not values:
            return None
        if any(v not in spec.choices for v in values) or len(set(values)) != len(values):
            raise ValueError("unknown_choice")
        return [c for c in spec.choices if c in values]
    if spec.kind == SCALE:
        if raw in (None, ""):
            return None
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise ValueError("not_on_scale") from None
        if not spec.scale_min <= value <= spec.scale_max:
            raise ValueError("not_on_scale")
        return value
    if spec.kind == TEXT:
        text = (raw or "").strip()
        if len(text) > MAX_TEXT:
            raise ValueError("too_long")
        return text or None
    if spec.kind == RANKING:
        order = [v for v in (raw or []) if v]
        if not order:
            return None
        if sorted(order) != sorted(spec.choices):
            raise ValueError("incomplete_ranking")
        return order
    raise ValueError("unknown_kind")


def clean_answers(specs: list[Spec], raw: dict) -> tuple[dict, dict]:
    """(cleaned answers by question id, error codes by question id)."""
    cleaned, errors = {}, {}
    for spec in specs:  # in order: a condition refers to an earlier question
        if not _applies(spec, cleaned):
            continue
        try:
            value = _clean_one(spec, raw.get(spec.id))
        except ValueError as error:
            errors[spec.id] = str(error)
            continue
        if value is None:
            if spec.required:
                errors[spec.id] = "required"
            continue
        cleaned[spec.id] = value
    return cleaned, errors


def results(specs: list[Spec], answers) -> dict[int, dict]:
    """Per question: `respondents`, and `counts` (choices, scale values) with `mean` for
    scales, or `scores` (Borda: n-1 points for first place … 0 for last) for rankings."""
    by_question = defaultdict(list)
    for qid, value in answers:
        by_question[qid].append(value)
    out = {}
    for spec in specs:
        values = by_question.get(spec.id, [])
        entry = {"respondents": len(values)}
        if spec.kind == SINGLE:
            counted = Counter(values)
            entry["counts"] = [(c, counted.get(c, 0)) for c in spec.choices]
        elif spec.kind == MULTIPLE:
            counted = Counter(v for one in values for v in one)
            entry["counts"] = [(c, counted.get(c, 0)) for c in spec.choices]
        elif spec.kind == SCALE:
            counted = Counter(values)
            entry["counts"] = [
                (str(v), counted.get(v, 0)) for v in range(spec.scale_min, spec.scale_max + 1)
            ]
            entry["mean"] = round(sum(values) / len(values), 2) if values else None
        elif spec.kind == RANKING:
            n = len(spec.choices)
            scores = Counter()
            for order in values:
                for place, choice in enumerate(order):
                    scores[choice] += n - 1 - place
            entry["scores"] = sorted(
                ((c, scores.get(c, 0)) for c in spec.choices), key=lambda pair: -pair[1]
            )
        out[spec.id] = entry
    return out
