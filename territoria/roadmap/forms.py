from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from territoria.catalogue.enums import Axis
from territoria.catalogue.models import Tag, UseCase
from territoria.roadmap.enums import Lock, PlaceKind
from territoria.roadmap.models import COST_BASES, MAX_WEIGHT, Profile, Scenario

MAX_EUR_PER_INHABITANT = Decimal("10000")  # a yearly budget above this is a unit error
MAX_AMOUNT = Decimal("1000000000")


def weight_field(label):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_WEIGHT,
        widget=forms.NumberInput(attrs={"type": "range", "min": 0, "max": MAX_WEIGHT, "step": 1}),
        error_messages={
            "min_value": _("Une priorité va de 0 à 5."),
            "max_value": _("Une priorité va de 0 à 5."),
        },
    )


class ProfileForm(forms.ModelForm):
    place_kinds = forms.MultipleChoiceField(
        label=_("Type de territoire"),
        choices=PlaceKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    equipment = forms.MultipleChoiceField(
        label=_("Équipements déjà en place"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Profile
        fields = [
            "population", "place_kinds", "equipment",
            *[n for _k, amount, volume, _u in COST_BASES for n in (amount, volume, f"{_k}_source")],
            "yearly_budget_eur", "staff_capacity", "first_year", "horizon_years", "discount_rate",
            "priority_value_eur_per_inhabitant", "generic_capex_eur_per_inhabitant",
            "generic_opex_percent", "aid_delay_years", "note",
        ]  # fmt: skip
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["equipment"].choices = list(
            Tag.objects.filter(kind=Tag.Kind.PREREQUISITE)
            .order_by("name")
            .values_list("slug", "name")
        )
        for axis, label in Axis.choices:
            field = weight_field(label)
            field.initial = self.instance.weight(axis)
            self.fields[f"weight_{axis}"] = field
        for name in ("yearly_budget_eur", *[a for _k, a, v, _u in COST_BASES]):
            self.fields[name].min_value = 0

    def weight_fields(self):
        return [self[f"weight_{axis}"] for axis in Axis.values]

    def clean(self):
        data = super().clean()
        errors = {}
        for name, value in data.items():
            if isinstance(value, Decimal) and value < 0:
                errors[name] = _("Un montant ne peut pas être négatif.")
            elif isinstance(value, Decimal) and value > MAX_AMOUNT:
                errors[name] = _(
                    "Montant invraisemblable : vérifiez l'unité (euros, pas centimes)."
                )
        population = data.get("population")
        budget = data.get("yearly_budget_eur")
        if population is not None and population < 1:
            errors["population"] = _("La population doit être d'au moins un habitant.")
        if (
            population
            and budget is not None
            and budget >= 0
            and budget > MAX_EUR_PER_INHABITANT * population
        ):
            errors["yearly_budget_eur"] = _(
                "Un budget de plus de 10 000 € par habitant et par an n'est pas vraisemblable : "
                "vérifiez l'unité."
            )
        horizon = data.get("horizon_years")
        if horizon is not None and not 1 <= horizon <= 15:
            errors["horizon_years"] = _("L'horizon va de 1 à 15 ans (un mandat : 6 ans).")
        capacity = data.get("staff_capacity")
        if capacity is not None and not 1 <= capacity <= 50:
            errors["staff_capacity"] = _("L'équipe lance entre 1 et 50 projets par an.")
        rate = data.get("discount_rate")
        if rate is not None and not 0 <= rate <= 20:
            errors["discount_rate"] = _("Le taux d'actualisation va de 0 à 20 %.")
        first = data.get("first_year")
        if first is not None and not 2000 <= first <= 2100:
            errors["first_year"] = _("Année invraisemblable.")
        opex = data.get("generic_opex_percent")
        if opex is not None and opex > 100:
            errors["generic_opex_percent"] = _("Au plus 100 % de l'investissement par an.")
        for name, message in errors.items():
            self.add_error(name, message)
        return data

    def save(self, commit=True):
        profile = super().save(commit=False)
        profile.weights = {axis: self.cleaned_data[f"weight_{axis}"] for axis in Axis.values}
        if commit:
            profile.save()
        return profile

    def changed_fields(self) -> list[str]:
        changed = list(self.changed_data)
        if any(name.startswith("weight_") for name in changed):
            changed.append("weights")
        return changed


class ScenarioForm(forms.Form):
    name = forms.CharField(label=_("Nom du scénario"), max_length=120)
    copy_from = forms.ModelChoiceField(
        label=_("Reprendre les décisions de"),
        queryset=Scenario.objects.none(),
        required=False,
        empty_label=_("aucun (partir de zéro)"),
    )

    def __init__(self, *args, collectivite=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy_from"].queryset = Scenario.objects.of(collectivite)


class DecisionForm(forms.Form):
    use_case = forms.ModelChoiceField(
        label=_("Cas d'usage"), queryset=UseCase.objects.order_by("title"), to_field_name="slug"
    )
    lock = forms.ChoiceField(label=_("Décision"), choices=Lock.choices, required=False)
    lock_year = forms.IntegerField(
        label=_("Année (imposée ou de réalisation)"), required=False, min_value=2000, max_value=2100
    )
    capex_override = forms.DecimalField(
        label=_("Investissement (€)"), required=False, min_value=0, max_value=MAX_AMOUNT
    )
    opex_override = forms.DecimalField(
        label=_("Fonctionnement (€ par an)"), required=False, min_value=0, max_value=MAX_AMOUNT
    )
    saving_override = forms.DecimalField(
        label=_("Économie (€ par an)"), required=False, min_value=0, max_value=MAX_AMOUNT
    )
    override_note = forms.CharField(
        label=_("Source des montants (devis, facture…)"), required=False, max_length=300
    )

    def clean(self):
        data = super().clean()
        if data.get("lock") == Lock.DONE and not data.get("lock_year"):
            self.add_error("lock_year", _("Indiquez l'année où le projet a été réalisé."))
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "lock": data["lock"] or "",
            "lock_year": data["lock_year"] if data["lock"] in (Lock.IMPOSED, Lock.DONE) else None,
            "capex_override": data["capex_override"],
            "opex_override": data["opex_override"],
            "saving_override": data["saving_override"],
            "override_note": data["override_note"],
        }


class LockDoneForm(forms.Form):
    year = forms.IntegerField(label=_("Réalisé jusqu'en (inclus)"), min_value=2000, max_value=2100)


class AdoptForm(forms.Form):
    deliberation_ref = forms.CharField(
        label=_("Référence de la délibération"),
        max_length=80,
        help_text=_("Par exemple « DEL-2027-014 »."),
    )
    adopted_on = forms.DateField(
        label=_("Date de la délibération"), widget=forms.DateInput(attrs={"type": "date"})
    )
