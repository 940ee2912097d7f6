from django import forms
from django.utils.translation import gettext_lazy as _

from territoria.catalogue.enums import Axis
from territoria.funding.enums import AidType, FunderKind
from territoria.funding.matching import Filters
from territoria.territories.fields import TerritoryField


class TerritoryChoiceForm(forms.Form):
    territoire = TerritoryField(
        label=_("Commune ou intercommunalité"),
        help_text=_("Nom, code postal, code INSEE ou SIREN."),
    )


class FilterForm(forms.Form):
    """The filters of a programme list, kept in the address to share a search."""

    financeur = forms.ChoiceField(
        label=_("Financeur"), required=False, choices=[("", _("Tous"))] + FunderKind.choices
    )
    type = forms.ChoiceField(
        label=_("Type d'aide"), required=False, choices=[("", _("Tous"))] + AidType.choices
    )
    axe = forms.ChoiceField(
        label=_("Thème"), required=False, choices=[("", _("Tous"))] + Axis.choices
    )
    ouvert = forms.BooleanField(label=_("Ouvert aujourd'hui"), required=False)
    bientot = forms.BooleanField(label=_("Clôture dans les 30 jours"), required=False)

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_valid() else {}
        return Filters(
            funder_kind=data.get("financeur", ""),
            aid_type=data.get("type", ""),
            axis=data.get("axe", ""),
            open_now=bool(data.get("ouvert")),
            closing_soon=bool(data.get("bientot")),
        )
