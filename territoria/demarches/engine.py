"""The form engine of procedures: a template's fields as plain JSON, checked; answers
validated field by field in French; conditional display; the Table Schema of the
export and its rows; the readable difference between two versions of the fields.

Functions take and return plain data (lists, dicts, strings) so they are tested
without HTTP. Format: docs/demarches.md.
"""

import datetime
import decimal
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from territoria import images
from territoria.territories.identifiers import is_valid_siret

TYPES = {
    "text": gettext_lazy("Texte court"),
    "textarea": gettext_lazy("Texte long"),
    "number": gettext_lazy("Nombre"),
    "date": gettext_lazy("Date"),
    "email": gettext_lazy("Courriel"),
    "phone": gettext_lazy("Téléphone"),
    "choice": gettext_lazy("Choix unique"),
    "multiple": gettext_lazy("Choix multiples"),
    "yesno": gettext_lazy("Oui / non"),
    "commune": gettext_lazy("Commune (code INSEE)"),
    "siret": gettext_lazy("SIRET"),
    "address": gettext_lazy("Adresse"),
    "attachment": gettext_lazy("Pièce jointe"),
    "section": gettext_lazy("Titre de section"),
    "explanation": gettext_lazy("Texte explicatif"),
}
# Layout only: they hold no answer and no column.
LAYOUT = {"section", "explanation"}
KEYS = {
    "id", "type", "label", "help", "required", "choices", "unit", "min", "max",
    "max_length", "max_bytes", "formats", "show_if", "sensitive",
}  # fmt: skip
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
PHONE = re.compile(r"^(?:\+33 ?|0)[1-9](?:[ .-]?\d{2}){4}$")
COMMUNE_CODE = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")
MAX_BYTES = 5 * 1024 * 1024
# File kinds residents may attach, recognised from their first bytes, never their name.
FORMATS = {"pdf": b"%PDF-", "jpg": b"\xff\xd8\xff", "png": b"\x89PNG\r\n\x1a\n"}
TEXT_LIMIT = 200
TEXTAREA_LIMIT = 5000
MULTIPLE_SEPARATOR = " ; "
# Columns every export starts with, before one column per answer.
META_COLUMNS = ["numero", "etat", "depose_le", "collectivite"]


class DefinitionError(ValueError):
    """Template fields that cannot be used, with every problem in French."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class File:
    """An accepted attachment: bytes to store and their kind."""

    content: bytes
    extension: str
    size: int


def choice_values(field: dict) -> list[tuple[str, str]]:
    """(value, label) pairs; a choice given as a plain string is its own value."""
    pairs = []
    for choice in field.get("choices", []):
        if isinstance(choice, str):
            pairs.append((choice, choice))
        else:
            pairs.append((str(choice[0]), str(choice[1])))
    return pairs


def check_definition(fields) -> list[dict]:
    """The fields if they make a usable form; DefinitionError listing every problem."""
    problems: list[str] = []
    if not isinstance(fields, list) or not fields:
        raise DefinitionError([_("La liste des champs est vide ou n'est pas une liste.")])
    seen: dict[str, dict] = {}
    for position, field in enumerate(fields, 1):
        if not isinstance(field, dict):
            problems.append(_("Champ n°%(n)s : ce n'est pas un objet.") % {"n": position})
            continue
        name = field.get("id", "")
        where = _("Champ n°%(n)s (%(id)s)") % {"n": position, "id": name or "?"}
        if not isinstance(name, str) or not ID_PATTERN.match(name):
            problems.append(
                _("%(where)s : identifiant invalide (minuscules, chiffres et _).")
                % {"where": where}
            )
        elif name in seen:
            problems.append(_("%(where)s : identifiant en double.") % {"where": where})
        kind = field.get("type")
        if kind not in TYPES:
            problems.append(
                _("%(where)s : type « %(type)s » inconnu.") % {"where": where, "type": kind}
            )
        if not str(field.get("label", "")).strip():
            problems.append(_("%(where)s : libellé manquant.") % {"where": where})
        unknown = set(field) - KEYS
        if unknown:
            problems.append(
                _("%(where)s : clés inconnues : %(keys)s.")
                % {"where": where, "keys": ", ".join(sorted(unknown))}
            )
        if kind in {"choice", "multiple"} and not choice_values(field):
            problems.append(_("%(where)s : la liste des choix est vide.") % {"where": where})
        if kind == "attachment":
            formats = field.get("formats", list(FORMATS))
            if not set(formats) <= set(FORMATS):
                problems.append(
                    _("%(where)s : formats permis : %(formats)s.")
                    % {"where": where, "formats": ", ".join(FORMATS)}
                )
        condition = field.get("show_if")
        if condition is not None:
            source = seen.get(condition.get("field")) if isinstance(condition, dict) else None
            if source is None or "equals" not in condition:
                problems.append(
                    _(
                        "%(where)s : la condition doit viser un champ placé avant et donner "
                        "une valeur (« equals »)."
                    )
                    % {"where": where}  # fmt: skip
                )
        if isinstance(name, str) and name:
            seen[name] = field
    if problems:
        raise DefinitionError(problems)
    return fields


def _answer_matches(answer, expected) -> bool:
    if isinstance(answer, list):
        return str(expected) in answer
    if isinstance(answer, bool):
        return answer == (expected in {True, "true", "oui"})
    return answer is not None and str(answer) == str(expected)


def visible_fields(fields: list[dict], answers: dict) -> list[dict]:
    """The fields shown for these answers: a hidden field hides those that depend on it."""
    shown: dict[str, dict] = {}
    for field in fields:
        condition = field.get("show_if")
        if condition:
            source = condition["field"]
            if source not in shown or not _answer_matches(answers.get(source), condition["equals"]):
                continue
        shown[field["id"]] = field
    return list(shown.values())


def _is_empty(raw) -> bool:
    if raw is None:
        return True
    if isinstance(raw, list):
        return not [v for v in raw if str(v).strip()]
    if isinstance(raw, str):
        return not raw.strip()
    return False


def _clean_file(field: dict, upload) -> File:
    limit = int(field.get("max_bytes", MAX_BYTES))
    if limit >= 1024 * 1024:
        too_big = _("Le fichier dépasse %(n)s Mo.") % {"n": limit // (1024 * 1024)}
    else:
        too_big = _("Le fichier dépasse %(n)s Ko.") % {"n": max(1, limit // 1024)}
    if getattr(upload, "size", 0) > limit:
        raise ValidationError(too_big)
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ValidationError(too_big)
    formats = field.get("formats", list(FORMATS))
    kind = next((k for k in formats if content.startswith(FORMATS[k])), None)
    if kind is None:
        raise ValidationError(
            _("Ce type de fichier n'est pas accepté (formats permis : %(formats)s).")
            % {"formats": ", ".join(f.upper() for f in formats)}
        )
    if kind in {"jpg", "png"}:
        # Photos go through the shared hostile-file checks and lose their metadata.
        try:
            cleaned = images.clean(content, images.PHOTO, label=_("Le fichier"))
        except images.ImageError as error:
            raise ValidationError(error.message) from None
        content, kind = cleaned.read(), images.PHOTO.extension
    return File(content, kind, len(content))


def _clean_value(field: dict, raw, commune_exists):
    kind = field["type"]
    if kind == "yesno":
        if raw in {"oui", "true", True}:
            return True
        if raw in {"non", "false", False}:
            return False
        raise ValidationError(_("Répondez par oui ou par non."))
    if kind == "attachment":
        return _clean_file(field, raw)
    if kind == "multiple":
        values = [str(v) for v in (raw if isinstance(raw, list) else [raw]) if str(v).strip()]
        allowed = {v for v, _label in choice_values(field)}
        if not set(values) <= allowed:
            raise ValidationError(_("Choisissez parmi les réponses proposées."))
        return [v for v, _label in choice_values(field) if v in values]
    text = str(raw).strip()
    if kind in {"text", "address", "phone", "email", "siret", "commune", "choice"}:
        limit = int(field.get("max_length", TEXT_LIMIT))
    else:
        limit = int(field.get("max_length", TEXTAREA_LIMIT))
    if len(text) > limit:
        raise ValidationError(
            _("%(n)s caractères au plus (vous en avez saisi %(count)s).")
            % {"n": limit, "count": len(text)}
        )
    if kind == "number":
        try:
            value = decimal.Decimal(text.replace(" ", "").replace("\u202f", "").replace(",", "."))
        except decimal.InvalidOperation:
            raise ValidationError(_("Saisissez un nombre, par exemple 12 ou 12,5.")) from None
        if not value.is_finite():
            raise ValidationError(_("Saisissez un nombre, par exemple 12 ou 12,5."))
        if "min" in field and value < decimal.Decimal(str(field["min"])):
            raise ValidationError(_("Au moins %(min)s.") % {"min": field["min"]})
        if "max" in field and value > decimal.Decimal(str(field["max"])):
            raise ValidationError(_("Au plus %(max)s.") % {"max": field["max"]})
        return format(value.normalize(), "f")
    if kind == "date":
        for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                return datetime.datetime.strptime(text, pattern).date().isoformat()
            except ValueError:
                continue
        raise ValidationError(_("Saisissez une date au format JJ/MM/AAAA."))
    if kind == "email":
        try:
            validate_email(text)
        except ValidationError:
            raise ValidationError(_("Saisissez une adresse courriel valide.")) from None
        return text
    if kind == "phone":
        if not PHONE.match(text):
            raise ValidationError(
                _("Saisissez un numéro de téléphone, par exemple 02 48 96 00 00.")
            )
        return re.sub(r"[ .-]", "", text)
    if kind == "siret":
        digits = re.sub(r"\s", "", text)
        if not (len(digits) == 14 and digits.isdigit()):
            raise ValidationError(_("Un SIRET compte 14 chiffres."))
        if not is_valid_siret(digits):
            raise ValidationError(_("Ce SIRET est invalide : vérifiez les chiffres saisis."))
        return digits
    if kind == "commune":
        code = text.upper()
        if not COMMUNE_CODE.match(code) or not commune_exists(code):
            raise ValidationError(
                _("Aucune commune ne porte le code INSEE « %(code)s ».") % {"code": text}
            )
        return code
    if kind == "choice":
        if text not in {v for v, _label in choice_values(field)}:
            raise ValidationError(_("Choisissez parmi les réponses proposées."))
        return text
    return text  # text, textarea, address


def clean_answers(fields: list[dict], raw: dict, commune_exists=lambda code: True):
    """(answers, files, errors) for submitted values: `raw` maps field ids to a string,
    a list (multiple choice) or an uploaded file. Hidden fields are dropped, so a
    required field behind an unmet condition is not asked for."""
    answers: dict = {}
    files: dict[str, File] = {}
    errors: dict[str, str] = {}
    # Conditions read the raw choice values; a condition on a bad value hides nothing new.
    provisional = {
        f["id"]: ({"oui": True, "non": False}.get(raw.get(f["id"]), None)
                  if f["type"] == "yesno" else raw.get(f["id"]))
        for f in fields
    }  # fmt: skip
    for field in visible_fields(fields, provisional):
        if field["type"] in LAYOUT:
            continue
        value = raw.get(field["id"])
        if _is_empty(value):
            if field.get("required"):
                errors[field["id"]] = _("Ce champ est obligatoire.")
            continue
        try:
            cleaned = _clean_value(field, value, commune_exists)
        except ValidationError as error:
            errors[field["id"]] = error.messages[0]
            continue
        if isinstance(cleaned, File):
            files[field["id"]] = cleaned
            answers[field["id"]] = True
        else:
            answers[field["id"]] = cleaned
    return answers, files, errors


# Export ----------------------------------------------------------------------------


def _column(field: dict) -> dict:
    kind = field["type"]
    column = {"name": field["id"], "title": str(field["label"])[:200], "type": "string"}
    if kind == "number":
        column["type"] = "number"
    elif kind == "date":
        column["type"] = "date"
    elif kind in {"yesno", "attachment"}:
        column["type"] = "boolean"
    elif kind == "choice":
        column["constraints"] = {"enum": [v for v, _label in choice_values(field)]}
    elif kind == "siret":
        column["constraints"] = {"pattern": r"\d{14}"}
    elif kind == "commune":
        column["constraints"] = {"pattern": r"(\d{5}|2[AB]\d{3})"}
    if field.get("unit"):
        column["description"] = _("Unité : %(unit)s") % {"unit": field["unit"]}
    if kind == "attachment":
        column["description"] = _("Pièce jointe déposée")
    return column


def table_schema(fields: list[dict], states: list[str]) -> dict:
    """The Table Schema (frictionless) every export of this template validates against."""
    meta = [
        {"name": "numero", "title": _("Numéro"), "type": "string",
         "constraints": {"required": True, "unique": True}},
        {"name": "etat", "title": _("État"), "type": "string",
         "constraints": {"required": True, "enum": states}},
        {"name": "depose_le", "title": _("Déposé le"), "type": "date",
         "constraints": {"required": True}},
        {"name": "collectivite", "title": _("Collectivité"), "type": "string"},
    ]  # fmt: skip
    columns = [_column(f) for f in fields if f["type"] not in LAYOUT]
    return {"fields": meta + columns, "primaryKey": ["numero"], "missingValues": [""]}


def export_row(fields: list[dict], answers: dict) -> list:
    """The answer cells of one dossier, in the schema's column order."""
    row = []
    for field in fields:
        if field["type"] in LAYOUT:
            continue
        value = answers.get(field["id"])
        if field["type"] == "number" and value is not None:
            value = decimal.Decimal(value)
        elif field["type"] == "multiple" and value is not None:
            value = MULTIPLE_SEPARATOR.join(value)
        elif field["type"] == "attachment":
            value = bool(value)
        row.append(value)
    return row


# Versions --------------------------------------------------------------------------

COMPARED = ("type", "label", "required", "choices", "unit", "min", "max", "show_if", "formats")
ASPECT_LABELS = {
    "type": gettext_lazy("type"),
    "label": gettext_lazy("libellé"),
    "required": gettext_lazy("caractère obligatoire"),
    "choices": gettext_lazy("choix proposés"),
    "unit": gettext_lazy("unité"),
    "min": gettext_lazy("minimum"),
    "max": gettext_lazy("maximum"),
    "show_if": gettext_lazy("condition d'affichage"),
    "formats": gettext_lazy("formats de fichier"),
}


def diff(old: list[dict], new: list[dict]) -> dict:
    """What changed between two versions of the fields, by field id:
    {"added": [label], "removed": [label], "changed": [(label, [aspect])]}."""
    before = {f["id"]: f for f in old}
    after = {f["id"]: f for f in new}
    changed = []
    for name, field in after.items():
        if name in before:
            aspects = [
                str(ASPECT_LABELS[key])
                for key in COMPARED
                if before[name].get(key) != field.get(key)
            ]
            if aspects:
                changed.append((field["label"], aspects))
    return {
        "added": [f["label"] for n, f in after.items() if n not in before],
        "removed": [f["label"] for n, f in before.items() if n not in after],
        "changed": changed,
    }
