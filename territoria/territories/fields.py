"""A form field for "which commune or intercommunalité?", with autocomplete.

The widget submits what the person typed (NAME) and, when they picked from the list,
the code (NAME_code, filled by static/territoria/js/autocomplete.js). The field trusts a
valid code, otherwise resolves the text with territories.search, so the form works
without JavaScript.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from territoria.territories import search as territory_search
from territoria.territories.models import Commune, Epci


class TerritoryWidget(forms.Widget):
    template_name = "territories/includes/territory_autocomplete.html"

    def __init__(self, attrs=None, kind: str | None = None):
        super().__init__(attrs)
        self.kind = kind

    def value_from_datadict(self, data, files, name):
        return {"text": data.get(name, ""), "code": data.get(f"{name}_code", "")}

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_code" not in data

    def format_value(self, value):
        if isinstance(value, Commune):
            return {"text": f"{value.name} ({value.departement_id})", "code": value.code}
        if isinstance(value, Epci):
            return {"text": value.name, "code": value.siren}
        if isinstance(value, dict):
            return value
        return {"text": value or "", "code": ""}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        current = context["widget"]["value"] or {}
        context.update(
            {
                "name": name,
                "id": widget_attrs.get("id") or name,
                "text": current.get("text", ""),
                "code": current.get("code", ""),
                "kind": self.kind or "",
                "required": context["widget"]["required"],
                "describedby": widget_attrs.get("aria-describedby", ""),
                "invalid": widget_attrs.get("aria-invalid") == "true",
            }
        )
        return context


class TerritoryField(forms.Field):
    """Cleans to a Commune or an Epci; kind="commune" or "epci" restricts the search."""

    widget = TerritoryWidget
    default_error_messages = {
        "required": _("Indiquez une commune ou une intercommunalité."),
        "not_found": _("Aucun territoire ne correspond à « %(text)s »."),
        "ambiguous": _(
            "Plusieurs territoires correspondent à « %(text)s » : %(choices)s. "
            "Choisissez dans la liste ou précisez (code postal, code INSEE)."
        ),
    }

    def __init__(self, *, kind: str | None = None, **kwargs):
        self.kind = kind
        kwargs.setdefault("widget", TerritoryWidget(kind=kind))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, Commune | Epci):
            return value
        if isinstance(value, str):
            value = {"text": value, "code": ""}
        value = value or {}
        code = (value.get("code") or "").strip()
        text = (value.get("text") or "").strip()
        if code:
            territory = self._by_code(code)
            if territory is not None:
                return territory
        if not text:
            return None
        match, candidates = territory_search.resolve(text, kind=self.kind)
        if match is not None:
            return self._by_code(match["code"])
        if not candidates:
            raise ValidationError(
                self.error_messages["not_found"], code="not_found", params={"text": text}
            )
        raise ValidationError(
            self.error_messages["ambiguous"],
            code="ambiguous",
            params={"text": text, "choices": ", ".join(c["label"] for c in candidates[:5])},
        )

    def _by_code(self, code: str):
        territory = territory_search.find_territory(code)
        if self.kind == territory_search.COMMUNE and not isinstance(territory, Commune):
            return None
        if self.kind == territory_search.EPCI and not isinstance(territory, Epci):
            return None
        return territory

    def prepare_value(self, value):
        return value
