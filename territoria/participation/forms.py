from django import forms
from django.utils.translation import gettext_lazy as _

from territoria.participation.enums import IdeaStatus, QuestionKind
from territoria.participation.models import Campaign, Consultation, Idea, Project

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class IdeaForm(forms.ModelForm):
    class Meta:
        model = Idea
        fields = ["title", "body", "category", "place", "image", "author_name"]
        widgets = {"body": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "author_name": _(
                "Le nom sous lequel votre idée apparaît ; laissé vide : "
                "« Un habitant ». Votre adresse électronique n'est jamais "
                "publiée."
            ),
        }


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Votre commentaire"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    author_name = forms.CharField(label=_("Nom affiché"), max_length=80, required=False)


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Statut"), choices=[c for c in IdeaStatus.choices if c[0] != IdeaStatus.NEW]
    )
    answer = forms.CharField(
        label=_("Message aux habitants"), widget=forms.Textarea(attrs={"rows": 3})
    )


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "title",
            "slug",
            "description",
            "envelope",
            "rule",
            "max_projects",
            "tie_break",
            "district",
            "allow_oidc",
            "submission_start",
            "review_start",
            "voting_start",
            "voting_end",
            "results_date",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "submission_start": DATE,
            "review_start": DATE,
            "results_date": DATE,
            "voting_start": DATETIME,
            "voting_end": DATETIME,
        }


class RulesForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["envelope", "rule", "max_projects", "tie_break", "district"]


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["title", "description", "district", "author_name"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


class ReviewForm(forms.Form):
    feasible = forms.TypedChoiceField(
        label=_("Avis technique"),
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        choices=[("yes", _("Réalisable")), ("no", _("Non réalisable"))],
    )
    cost = forms.IntegerField(label=_("Coût estimé (€)"), min_value=1, required=False)
    reason = forms.CharField(label=_("Motif"), widget=forms.Textarea(attrs={"rows": 2}))


class CensusForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier des votants (CSV)"),
        help_text=_(
            "Colonnes : nom ; prenom ; date_naissance (JJ/MM/AAAA) ; quartier et "
            "adresse facultatifs. Seule une empreinte salée de chaque identité est "
            "conservée."
        ),
    )
    with_codes = forms.BooleanField(
        label=_(
            "Générer un code de vote par personne (fichier de publipostage à "
            "télécharger une seule fois)"
        ),
        required=False,
    )


class CensusVerifyForm(forms.Form):
    last_name = forms.CharField(
        label=_("Nom de naissance"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    first_name = forms.CharField(
        label=_("Prénom(s)"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    birth = forms.DateField(label=_("Date de naissance"), widget=DATE)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code reçu par courrier"),
        max_length=30,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
        help_text=_("Douze caractères, par exemple ABCD-EFGH-JKMN."),
    )


class PaperForm(forms.Form):
    code = forms.CharField(label=_("Code du courrier"), max_length=30, required=False)
    last_name = forms.CharField(label=_("Nom de naissance"), max_length=100, required=False)
    first_name = forms.CharField(label=_("Prénom(s)"), max_length=100, required=False)
    birth = forms.DateField(label=_("Date de naissance"), widget=DATE, required=False)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Étape"), max_length=200)
    due = forms.DateField(label=_("Échéance"), widget=DATE, required=False)
    done_on = forms.DateField(label=_("Réalisée le"), widget=DATE, required=False)
    note = forms.CharField(
        label=_("Note publique"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConsultationForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = [
            "title",
            "slug",
            "description",
            "opens_at",
            "closes_at",
            "participation",
            "results_public",
            "published",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "opens_at": DATETIME,
            "closes_at": DATETIME,
        }


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type de question"), choices=QuestionKind.choices)
    label = forms.CharField(label=_("Question"), max_length=300)
    required = forms.BooleanField(label=_("Réponse obligatoire"), required=False)
    choices = forms.CharField(
        label=_("Choix, un par ligne"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    scale_min = forms.IntegerField(label=_("Bas de l'échelle"), initial=1)
    scale_max = forms.IntegerField(label=_("Haut de l'échelle"), initial=5)
    condition_question = forms.ModelChoiceField(
        label=_("Poser seulement si la question"), queryset=None, required=False
    )
    condition_choice = forms.CharField(label=_("a pour réponse"), max_length=200, required=False)

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["condition_question"].queryset = consultation.questions.filter(
            kind__in=[QuestionKind.SINGLE, QuestionKind.MULTIPLE]
        )


class ConsultationSettingsForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = [
            "title",
            "description",
            "opens_at",
            "closes_at",
            "participation",
            "results_public",
            "published",
        ]
        widgets = ConsultationForm.Meta.widgets

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("La clôture doit suivre l'ouverture."))
        return data
