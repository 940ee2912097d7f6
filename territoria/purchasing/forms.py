from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from territoria.catalogue.enums import Moderation
from territoria.catalogue.models import Solution, UseCase
from territoria.purchasing.enums import LegalType, MarketKind
from territoria.territories.models import Collectivite

TIER_ROWS = 4


def euros_to_cents(value) -> int:
    try:
        amount = Decimal(str(value).replace(" ", "").replace("\u202f", "").replace(",", "."))
    except InvalidOperation:
        raise ValidationError(_("Montant en euros attendu, par exemple 1 250,50.")) from None
    if amount < 0:
        raise ValidationError(_("Un montant est positif."))
    return int((amount * 100).quantize(Decimal(1)))


class EurosField(forms.CharField):
    """Euros typed the French way (1 250,50), cleaned to cents."""

    def clean(self, value):
        value = super().clean(value)
        return None if value in (None, "") else euros_to_cents(value)


class CampaignForm(forms.Form):
    coordinator = forms.ModelChoiceField(
        label=_("Collectivité coordonnatrice"), queryset=Collectivite.objects.none()
    )
    title = forms.CharField(label=_("Objet de l'achat"), max_length=200)
    use_case = forms.ModelChoiceField(
        label=_("Cas d'usage"), queryset=UseCase.objects.order_by("title")
    )
    solution = forms.ModelChoiceField(
        label=_("Solution du catalogue"),
        queryset=Solution.objects.filter(status=Moderation.APPROVED).order_by("name"),
        required=False,
    )
    legal_type = forms.ChoiceField(label=_("Forme juridique"), choices=LegalType.choices)
    market_kind = forms.ChoiceField(label=_("Nature du marché"), choices=MarketKind.choices)
    open_to_epci = forms.BooleanField(
        label=_("Ouvrir à toutes les communes de l'intercommunalité"), required=False
    )
    needs_deadline = forms.DateField(
        label=_("Date limite de recensement des besoins"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    publication_date = forms.DateField(
        label=_("Publication prévue de la consultation"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    award_date = forms.DateField(
        label=_("Attribution prévue"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    shared_costs = EurosField(
        label=_("Frais communs (€ HT)"),
        required=False,
        help_text=_("Assistance à maîtrise d'ouvrage, publicité… partagés selon la règle."),
    )
    rule_quantity = forms.IntegerField(
        label=_("Part selon les quantités (%)"), min_value=0, max_value=100, initial=100
    )
    rule_inhabitants = forms.IntegerField(
        label=_("Part selon les habitants (%)"), min_value=0, max_value=100, initial=0
    )
    rule_equal = forms.IntegerField(
        label=_("Part égale entre membres (%)"), min_value=0, max_value=100, initial=0
    )
    legal_note = forms.CharField(label=_("Note juridique"), widget=forms.Textarea, required=False)

    def __init__(self, *args, coordinators=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = coordinators or Collectivite.objects.none()
        if coordinators is not None and len(coordinators) == 1:
            self.fields["coordinator"].initial = coordinators[0].pk

    def clean_needs_deadline(self):
        day = self.cleaned_data["needs_deadline"]
        if day < timezone.localdate():
            raise ValidationError(_("La date limite des besoins est déjà passée."))
        return day

    def clean(self):
        data = super().clean()
        parts = [data.get(f"rule_{k}") for k in ("quantity", "inhabitants", "equal")]
        if None not in parts and sum(parts) != 100:
            raise ValidationError(_("Les parts de la règle de partage font 100 % au total."))
        return data

    def rule(self) -> dict[str, int]:
        data = self.cleaned_data
        rule = {k: data[f"rule_{k}"] for k in ("quantity", "inhabitants", "equal")}
        return {k: v for k, v in rule.items() if v}


class LotForm(forms.Form):
    """A lot and up to four price tiers (the first is the price for one buyer alone)."""

    name = forms.CharField(label=_("Lot"), max_length=200, required=False)
    unit = forms.CharField(label=_("Unité"), max_length=50, required=False, initial="unité")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for row in range(TIER_ROWS):
            self.fields[f"quantity_{row}"] = forms.IntegerField(
                label=_("À partir de (unités)"), min_value=1, required=False
            )
            self.fields[f"price_{row}"] = EurosField(
                label=_("Prix unitaire (€ HT)"), required=False
            )

    def tier_rows(self):
        return [(self[f"quantity_{row}"], self[f"price_{row}"]) for row in range(TIER_ROWS)]

    def lot(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("name"):
            return None
        tiers = [
            (data[f"quantity_{row}"], data[f"price_{row}"])
            for row in range(TIER_ROWS)
            if data.get(f"quantity_{row}") and data.get(f"price_{row}") is not None
        ]
        return {"name": data["name"], "unit": data.get("unit") or "unité", "tiers": tiers}


LotFormSet = forms.formset_factory(LotForm, extra=2, max_num=6)


class JoinForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Collectivité"), queryset=Collectivite.objects.none())
    deliberation_ref = forms.CharField(label=_("Référence de la délibération"), max_length=100)
    deliberation_date = forms.DateField(
        label=_("Date de la délibération"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, members=None, lots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members or Collectivite.objects.none()
        self.lots = list(lots)
        for lot in self.lots:
            self.fields[f"lot_{lot.pk}"] = forms.IntegerField(
                label=_("%(lot)s (en %(unit)s)") % {"lot": lot.name, "unit": lot.unit},
                min_value=0,
                initial=0,
            )

    def quantity_fields(self):
        return [self[f"lot_{lot.pk}"] for lot in self.lots]

    def needs(self) -> dict[int, int]:
        return {lot.pk: self.cleaned_data[f"lot_{lot.pk}"] for lot in self.lots}


class InviteForm(forms.Form):
    collectivites = forms.ModelMultipleChoiceField(
        label=_("Collectivités à inviter"),
        queryset=Collectivite.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collectivites"].queryset = candidates or Collectivite.objects.none()


class AwardForm(forms.Form):
    def __init__(self, *args, lots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lots = list(lots)
        for lot in self.lots:
            self.fields[f"price_{lot.pk}"] = EurosField(
                label=_("Prix unitaire attribué, %(lot)s (€ HT)") % {"lot": lot.name}
            )

    def prices(self) -> dict[int, int]:
        return {lot.pk: self.cleaned_data[f"price_{lot.pk}"] for lot in self.lots}
