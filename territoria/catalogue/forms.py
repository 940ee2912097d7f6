"""Forms of providers' self-service: registering a provider, submitting and editing an
offer with its declared figures, and the operators' moderation decision."""

from django import forms
from django.db import models
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from territoria.catalogue.enums import FigureKind, PurchaseChannel
from territoria.catalogue.models import Figure, Provider, Solution, Tag, UseCase
from territoria.territories.identifiers import compact, is_valid_siren

DECLARATION_TITLE = _("Déclaration du fournisseur")


def https_urls(field, **kwargs):
    """Model form fields, with addresses typed without a scheme taken as https."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class ProviderForm(forms.ModelForm):
    class Meta:
        model = Provider
        fields = ["name", "siren", "website", "region", "description"]
        formfield_callback = https_urls

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Up to 20 characters typed: people separate the digits by groups of three.
        self.fields["siren"] = forms.CharField(
            label=_("SIREN"), max_length=20,
            help_text=_("Neuf chiffres, par exemple 732 829 320."),
        )  # fmt: skip

    def clean_siren(self):
        siren = compact(self.cleaned_data["siren"] or "")
        if not is_valid_siren(siren):
            raise forms.ValidationError(
                _("Ce numéro SIREN n'est pas valide : il faut neuf chiffres dont la clé de "
                  "contrôle est juste."),
                code="siren_invalid",
            )  # fmt: skip
        if Provider.objects.filter(siren=siren).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("Un fournisseur est déjà inscrit avec ce numéro SIREN."), code="siren_taken"
            )
        return siren


class SolutionForm(forms.ModelForm):
    use_cases = forms.ModelMultipleChoiceField(
        UseCase.objects.order_by("title"), widget=forms.CheckboxSelectMultiple,
        label=_("Cas d'usage"),
    )  # fmt: skip
    standards = forms.ModelMultipleChoiceField(
        Tag.objects.filter(kind=Tag.Kind.STANDARD).order_by("name"), required=False,
        widget=forms.CheckboxSelectMultiple, label=_("Normes et standards"),
    )  # fmt: skip
    purchase_channels = forms.MultipleChoiceField(
        choices=PurchaseChannel.choices, required=False, widget=forms.CheckboxSelectMultiple,
        label=_("Canaux d'achat"),
    )  # fmt: skip

    class Meta:
        model = Solution
        fields = [
            "name",
            "summary",
            "description",
            "use_cases",
            "maturity",
            "licence_kind",
            "licence_name",
            "code_url",
            "hosting",
            "secnumcloud",
            "standards",
            "purchase_channels",
            "reversibility",
            "accessibility",
            "security",
            "population_min",
            "population_max",
        ]
        formfield_callback = https_urls

    def clean(self):
        data = super().clean()
        low, high = data.get("population_min"), data.get("population_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "population_max",
                _("La population maximale doit être supérieure ou égale à la minimale."),
            )
        return data


class FigureForm(forms.ModelForm):
    """A figure declared by the provider: its kind and source are set here, never typed."""

    class Meta:
        model = Figure
        fields = ["metric", "label", "value_min", "value_max", "unit", "basis"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.kind = FigureKind.DECLARED
        self.instance.source_title = str(DECLARATION_TITLE)

    def clean(self):
        data = super().clean()
        low, high = data.get("value_min"), data.get("value_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "value_max", _("La valeur haute doit être supérieure ou égale à la valeur basse.")
            )
        return data


FigureFormSet = inlineformset_factory(
    Solution, Figure, form=FigureForm, fk_name="solution", extra=2, can_delete=True
)


def figure_formset(data=None, *, instance=None):
    """The provider's declared figures of an offer (an operator's sourced figures are
    not theirs to edit)."""
    queryset = Figure.objects.none()
    if instance is not None and instance.pk:
        queryset = instance.figures.filter(kind=FigureKind.DECLARED)
    return FigureFormSet(data, instance=instance or Solution(), queryset=queryset, prefix="figures")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Publier")), ("reject", _("Refuser"))], label=_("Décision")
    )
    reason = forms.CharField(
        label=_("Motif"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text=_("Obligatoire : le fournisseur le lit avec la décision."),
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        if not (data.get("reason") or "").strip():
            self.add_error("reason", _("Indiquez le motif de la décision."))
        return data
