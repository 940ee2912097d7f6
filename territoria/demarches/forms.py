"""Forms: the resident's form built from a template's fields (validated by the engine),
adoption settings, instruction and the queue's filters."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from territoria.demarches import engine
from territoria.demarches.enums import State
from territoria.demarches.models import Adoption

PREFIX = "f_"
YES_NO = [("oui", gettext_lazy("Oui")), ("non", gettext_lazy("Non"))]


def _form_field(field: dict) -> forms.Field:
    kind = field["type"]
    label = field["label"]
    if field.get("unit"):
        label = f"{label} ({field['unit']})"
    options = {"label": label, "required": False, "help_text": field.get("help", "")}
    condition = field.get("show_if")
    if condition:
        # Without JavaScript every field shows; the condition is said in words.
        note = _("À remplir seulement si vous avez répondu « %(value)s » plus haut.") % {
            "value": {True: _("Oui"), False: _("Non")}.get(condition["equals"], condition["equals"])
        }
        options["help_text"] = f"{options['help_text']} {note}".strip()
    if kind == "textarea":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **options)
    if kind == "date":
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **options)
    if kind == "email":
        return forms.CharField(widget=forms.EmailInput(attrs={"autocomplete": "email"}), **options)
    if kind == "phone":
        return forms.CharField(widget=forms.TextInput(attrs={"type": "tel"}), **options)
    if kind in {"number", "siret", "commune"}:
        mode = "decimal" if kind == "number" else "numeric"
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": mode}), **options)
    if kind == "choice":
        choices = engine.choice_values(field)
        widget = forms.RadioSelect if len(choices) <= 6 else forms.Select
        if widget is forms.Select:
            choices = [("", "—"), *choices]
        return forms.ChoiceField(choices=choices, widget=widget, **options)
    if kind == "multiple":
        return forms.MultipleChoiceField(
            choices=engine.choice_values(field), widget=forms.CheckboxSelectMultiple, **options
        )
    if kind == "yesno":
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **options)
    if kind == "attachment":
        formats = field.get("formats", list(engine.FORMATS))
        accept = ",".join(f".{f}" for f in formats)
        return forms.FileField(widget=forms.ClearableFileInput(attrs={"accept": accept}), **options)
    return forms.CharField(**options)


class DossierForm(forms.Form):
    """The fields of one template version; the engine validates, this form renders."""

    applicant_email = forms.EmailField(
        label=gettext_lazy("Votre courriel"),
        help_text=gettext_lazy("Pour recevoir l'accusé de réception et suivre le dossier."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, template_fields: list[dict], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.template_fields = template_fields
        for field in template_fields:
            if field["type"] not in engine.LAYOUT:
                self.fields[PREFIX + field["id"]] = _form_field(field)
                self.fields[PREFIX + field["id"]].template_required = field.get("required")

    def items(self):
        """In order: ("layout", field) for titles and texts, ("field", bound field)."""
        for field in self.template_fields:
            if field["type"] in engine.LAYOUT:
                yield field["type"], field
            else:
                yield "field", self[PREFIX + field["id"]]

    def raw_answers(self) -> dict:
        raw = {}
        for field in self.template_fields:
            key = PREFIX + field["id"]
            if field["type"] == "multiple":
                raw[field["id"]] = self.data.getlist(key)
            elif field["type"] == "attachment":
                raw[field["id"]] = self.files.get(key)
            else:
                raw[field["id"]] = self.data.get(key)
        return raw

    def add_engine_errors(self, errors: dict) -> None:
        for field_id, message in errors.items():
            self.add_error(PREFIX + field_id, message)


class AdoptionForm(forms.ModelForm):
    class Meta:
        model = Adoption
        fields = [
            "opens_on",
            "closes_on",
            "is_active",
            "acknowledgement",
            "controller",
            "purpose",
            "privacy_basis",
            "retention_months",
            "recipients",
            "rights",
        ]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "acknowledgement": forms.Textarea(attrs={"rows": 3}),
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "recipients": forms.Textarea(attrs={"rows": 2}),
            "rights": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("La clôture doit suivre l'ouverture."))
        retention = data.get("retention_months")
        if retention is not None and not 1 <= retention <= 120:
            self.add_error("retention_months", _("Entre 1 et 120 mois."))
        return data


class StateForm(forms.Form):
    state = forms.ChoiceField(label=gettext_lazy("Nouvel état"), choices=State.choices)
    reason = forms.CharField(
        label=gettext_lazy("Motif (obligatoire pour un refus, lu par le demandeur)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WriteForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Texte"), widget=forms.Textarea(attrs={"rows": 3}))
    internal = forms.BooleanField(
        label=gettext_lazy("Note interne (jamais montrée au demandeur)"), required=False
    )


class QueueFilter(forms.Form):
    state = forms.ChoiceField(
        label=gettext_lazy("État"),
        choices=[("", gettext_lazy("Tous")), *State.choices],
        required=False,
    )
    since = forms.DateField(
        label=gettext_lazy("Déposé depuis le"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = forms.DateField(
        label=gettext_lazy("Déposé jusqu'au"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class FieldsForm(forms.Form):
    """A template's fields as JSON (format in docs/demarches.md), checked by the engine."""

    fields_json = forms.CharField(
        label=gettext_lazy("Champs (JSON)"),
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false"}),
    )

    def clean_fields_json(self):
        import json

        text = self.cleaned_data["fields_json"]
        try:
            fields = json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("JSON illisible ligne %(line)s, colonne %(column)s.")
                % {"line": error.lineno, "column": error.colno}
            ) from None
        try:
            return engine.check_definition(fields)
        except engine.DefinitionError as error:
            raise forms.ValidationError(error.problems) from None
