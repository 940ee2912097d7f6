"""Forms of towns' experience feedback: writing one, and an operator's decision."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from territoria.catalogue.models import Feedback, Solution, UseCase
from territoria.territories.enums import CollectiviteKind
from territoria.territories.models import Collectivite

AGAIN_CHOICES = [("yes", _("Oui")), ("no", _("Non")), ("unknown", _("Ne sait pas encore"))]
AGAIN_VALUES = {"yes": True, "no": False, "unknown": None}
NEGATIVE_AMOUNT = _("Le montant doit être positif ou nul.")


def commune_collectivites(user):
    """The commune collectivités this person is a member of: the ones that may write."""
    return (
        Collectivite.objects.of_member(user)
        .filter(kind=CollectiviteKind.COMMUNE)
        .select_related("commune")
        .order_by("name", "pk")
    )


class FeedbackForm(forms.ModelForm):
    """A town's experience. On creation the person picks the writing collectivité
    among the communes they belong to; on edition it stays the same."""

    collectivite = forms.ModelChoiceField(
        label=_("Collectivité"),
        queryset=Collectivite.objects.none(),
        error_messages={
            "required": _("Choisissez la commune qui partage ce retour."),
            "invalid_choice": _("Choisissez une commune dont vous êtes membre."),
        },
    )
    use_case = forms.ModelChoiceField(
        label=_("Cas d'usage"),
        queryset=UseCase.objects.order_by("title"),
        to_field_name="slug",
        error_messages={
            "required": _("Choisissez le cas d'usage."),
            "invalid_choice": _("Ce cas d'usage n'existe pas ou n'est pas publié."),
        },
    )
    solution = forms.ModelChoiceField(
        label=_("Solution déployée"),
        queryset=Solution.objects.published().order_by("name"),
        to_field_name="slug",
        required=False,
        error_messages={
            "invalid_choice": _("Cette solution n'existe pas ou n'est pas publiée."),
        },
    )
    would_do_again = forms.TypedChoiceField(
        label=_("Referiez-vous le projet ?"),
        choices=AGAIN_CHOICES,
        coerce=AGAIN_VALUES.get,
        empty_value=None,
        initial="unknown",
        widget=forms.RadioSelect,
    )
    evidence_url = forms.URLField(
        label=_("Justificatif (délibération, rapport, article)"),
        required=False,
        assume_scheme="https",
        max_length=200,
        error_messages={"invalid": _("Saisissez une adresse web valide (https://…).")},
    )

    class Meta:
        model = Feedback
        fields = [
            "collectivite",
            "use_case",
            "solution",
            "population",
            "title",
            "scope",
            "started_on",
            "capex_actual",
            "opex_actual",
            "indicator",
            "value_before",
            "value_after",
            "method",
            "would_do_again",
            "lessons",
            "evidence_url",
            "source_title",
        ]
        widgets = {
            "started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "method": forms.Textarea(attrs={"rows": 3}),
            "lessons": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["collectivite"]
            self.initial["would_do_again"] = next(
                key for key, value in AGAIN_VALUES.items() if value == self.instance.would_do_again
            )
        else:
            choices = commune_collectivites(user)
            self.fields["collectivite"].queryset = choices
            if len(choices) == 1:
                self.fields["collectivite"].initial = choices[0].pk
        self.fields["population"].help_text = _(
            "La population de la commune au début du projet (la population actuelle est proposée)."
        )

    def clean_started_on(self):
        started_on = self.cleaned_data.get("started_on")
        if started_on and started_on > timezone.localdate():
            raise ValidationError(_("La date de début ne peut pas être dans le futur."))
        return started_on

    def clean_capex_actual(self):
        return self._amount("capex_actual")

    def clean_opex_actual(self):
        return self._amount("opex_actual")

    def _amount(self, name):
        value = self.cleaned_data.get(name)
        if value is not None and value < 0:
            raise ValidationError(NEGATIVE_AMOUNT)
        return value

    def clean(self):
        data = super().clean()
        use_case, solution = data.get("use_case"), data.get("solution")
        if use_case and solution and not solution.use_cases.filter(pk=use_case.pk).exists():
            self.add_error("solution", _("Cette solution ne répond pas à ce cas d'usage."))
        return data


class ModerationForm(forms.Form):
    """An operator's decision on a feedback; a refusal needs its reason."""

    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[("approve", _("Publier")), ("reject", _("Refuser"))],
        error_messages={"required": _("Choisissez de publier ou de refuser.")},
    )
    reason = forms.CharField(
        label=_("Motif du refus"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("reason", "").strip():
            self.add_error("reason", _("Indiquez le motif du refus : il est envoyé aux auteurs."))
        return data
