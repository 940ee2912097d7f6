from django import forms
from django.utils.translation import gettext_lazy as _

from territoria.reports.enums import Datatype, Status
from territoria.reports.photos import MAX_BYTES, MAX_PHOTOS
from territoria.territories.enums import CollectiviteKind
from territoria.territories.fields import TerritoryField

PHOTO_ACCEPT = "image/jpeg,image/png,image/webp"


class ReportForm(forms.Form):
    """The citizen's form. Location: a map click or "Me localiser" fills latitude and
    longitude; without the map, the address field is enough (position approximative)."""

    category = forms.ModelChoiceField(
        label=_("Catégorie"), queryset=None, empty_label=_("Choisissez une catégorie")
    )
    description = forms.CharField(
        label=_("Description du problème"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ce que vous avez vu, où exactement. 4 000 caractères au plus."),
    )
    address = forms.CharField(
        label=_("Adresse ou repère"),
        max_length=300,
        required=False,
        help_text=_(
            "Sans carte, l'adresse suffit : le signalement sera placé au centre de la "
            "commune et marqué « position approximative »."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    latitude = forms.FloatField(
        required=False, min_value=-90, max_value=90, widget=forms.HiddenInput
    )
    longitude = forms.FloatField(
        required=False, min_value=-180, max_value=180, widget=forms.HiddenInput
    )
    photo_1 = forms.FileField(
        label=_("Photo 1"),
        required=False,
        help_text=_(
            "JPEG, PNG ou WebP, 10 Mo au plus ; les métadonnées (position GPS, appareil) "
            "sont retirées."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
    )
    photo_2 = forms.FileField(
        label=_("Photo 2"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
    )
    photo_3 = forms.FileField(
        label=_("Photo 3"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
    )
    email = forms.EmailField(
        label=_("Votre courriel"),
        help_text=_(
            "Jamais publié. Il sert à confirmer le signalement et à vous en donner des nouvelles."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    show_name = forms.BooleanField(label=_("Afficher un nom publiquement"), required=False)
    public_name = forms.CharField(
        label=_("Nom affiché"),
        max_length=80,
        required=False,
        help_text=_("Seulement si vous cochez la case ci-dessus."),
    )
    # Honeypot: hidden from people (CSS and aria-hidden), filled by naive robots.
    website = forms.CharField(label=_("Ne pas remplir ce champ"), required=False)

    def __init__(self, *args, place, categories, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.place = place
        self.fields["category"].queryset = categories
        self.fields["category"].label_from_instance = lambda c: (
            f"{c.group} — {c.name}" if c.group else c.name
        )
        if place.kind == CollectiviteKind.EPCI:
            self.fields["commune"] = TerritoryField(
                label=_("Commune"),
                kind="commune",
                help_text=_("La commune où se trouve le problème."),
            )
            self.order_fields(["category", "commune"])
        if user is not None and user.is_authenticated:
            self.fields["email"].required = False
            self.fields["email"].help_text = _(
                "Laissez vide pour recevoir les nouvelles à l'adresse de votre compte."
            )
        self.questions = []
        for category in categories:
            for question in category.questions.all():
                name = f"q_{category.pk}_{question.code}"
                self.fields[name] = _question_field(question)
                # Shown as required; enforced only for the chosen category (clean below).
                self.fields[name].required = question.required
                self.fields[name].error_messages["required"] = _(
                    "Répondez à la question « %(label)s »."
                ) % {"label": question.label}
                self.questions.append((category, question, name))

    def clean(self):
        cleaned = super().clean()
        category = cleaned.get("category")
        for owner, _question, name in self.questions:
            if category is None or owner.pk != category.pk:
                self.errors.pop(name, None)
        return cleaned

    def photos(self) -> list[tuple[str, bytes]]:
        files = []
        for index in range(1, MAX_PHOTOS + 1):
            upload = self.cleaned_data.get(f"photo_{index}")
            if upload:
                # One byte past the limit is enough to refuse a 50 MB file unread.
                files.append((upload.name, upload.read(MAX_BYTES + 1)))
        return files

    def answers(self) -> dict:
        category = self.cleaned_data.get("category")
        return {
            question.code: self.cleaned_data.get(name)
            for owner, question, name in self.questions
            if category is not None and owner.pk == category.pk
        }

    def question_groups(self):
        """[(category, [bound fields])] for the template."""
        groups = {}
        for category, _question, name in self.questions:
            groups.setdefault(category, []).append(self[name])
        return list(groups.items())


def _question_field(question) -> forms.Field:
    common = {"label": question.label, "required": False, "help_text": question.help_text}
    choices = [(str(key), name) for key, name in question.choices]
    if question.datatype == Datatype.SINGLEVALUELIST:
        return forms.ChoiceField(choices=[("", "—"), *choices], **common)
    if question.datatype == Datatype.MULTIVALUELIST:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if question.datatype == Datatype.NUMBER:
        return forms.DecimalField(**common)
    if question.datatype == Datatype.TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=1000, **common)
    return forms.CharField(max_length=300, **common)


class SupportForm(forms.Form):
    email = forms.EmailField(
        label=_("Votre courriel"),
        help_text=_("Jamais publié : il sert seulement à compter votre soutien une fois."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class ReopenForm(forms.Form):
    text = forms.CharField(
        label=_("Pourquoi le problème n'est-il pas réglé ?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class UpdateForm(forms.Form):
    """The agent's form on a report: a new status and a message, public or internal."""

    status = forms.ChoiceField(label=_("Nouvel état"), choices=Status.choices)
    text = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    public = forms.TypedChoiceField(
        label=_("Visibilité du message"),
        choices=[
            ("1", _("Mise à jour publique (l'auteur reçoit un courriel)")),
            ("0", _("Note interne (agents seulement)")),
        ],
        coerce=lambda value: value == "1",
        initial="1",
        widget=forms.RadioSelect,
    )


class DuplicateForm(forms.Form):
    duplicate_of = forms.IntegerField(label=_("Doublon du signalement n°"), min_value=1)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Agent assigné"), queryset=None, required=False, empty_label=_("Personne")
    )

    def __init__(self, *args, agents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = agents


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("État"),
        required=False,
        choices=[("", _("Tous")), ("open", _("Ouverts")), ("closed", _("Clos")), *Status.choices],
    )
    category = forms.ModelChoiceField(
        label=_("Catégorie"), queryset=None, required=False, empty_label=_("Toutes")
    )
    assignee = forms.ModelChoiceField(
        label=_("Agent"), queryset=None, required=False, empty_label=_("Tous")
    )
    since = forms.DateField(
        label=_("Depuis le"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Jusqu'au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    commune = forms.CharField(label=_("Commune ou adresse"), required=False, max_length=100)
    # The map's visible box, "west,south,east,north" (set by "Limiter à la zone affichée").
    bbox = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args, categories, agents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["assignee"].queryset = agents

    def clean_bbox(self):
        value = self.cleaned_data["bbox"].strip()
        if not value:
            return None
        try:
            west, south, east, north = (float(part) for part in value.split(","))
        except ValueError:
            raise forms.ValidationError(_("Zone de la carte non valide.")) from None
        if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
            raise forms.ValidationError(_("Zone de la carte non valide."))
        return (west, south, east, north)


class ClientApplicationForm(forms.Form):
    name = forms.CharField(label=_("Nom de l'application"), max_length=120)
    contact = forms.EmailField(label=_("Contact technique"), required=False)


class ZoneForm(forms.Form):
    """The box a collectivité takes reports in (the COG has no geometry)."""

    south = forms.FloatField(label=_("Latitude sud"), min_value=-90, max_value=90)
    north = forms.FloatField(label=_("Latitude nord"), min_value=-90, max_value=90)
    west = forms.FloatField(label=_("Longitude ouest"), min_value=-180, max_value=180)
    east = forms.FloatField(label=_("Longitude est"), min_value=-180, max_value=180)
    is_open = forms.BooleanField(label=_("Recevoir des signalements"), required=False)

    def clean(self):
        data = super().clean()
        if {"south", "north", "west", "east"} <= data.keys():
            if data["south"] >= data["north"]:
                raise forms.ValidationError(_("La latitude sud doit être inférieure à la nord."))
            if data["west"] >= data["east"]:
                raise forms.ValidationError(_("La longitude ouest doit être inférieure à l'est."))
        return data


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=120)
    code = forms.SlugField(
        label=_("Code"), max_length=60, help_text=_("Lettres, chiffres et tirets ; ne change plus.")
    )
    group = forms.CharField(label=_("Groupe"), max_length=80, required=False)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    service = forms.CharField(
        label=_("Service"), max_length=120, help_text=_("L'équipe qui traite ces signalements.")
    )
    duplicate_radius_m = forms.IntegerField(
        label=_("Rayon de recherche des doublons (m)"), min_value=10, max_value=5000, initial=250
    )
    epci_competence = forms.BooleanField(
        label=_("Compétence intercommunale (proposée dans toutes les communes membres)"),
        required=False,
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, is_epci=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_epci:
            del self.fields["epci_competence"]


LIST_DATATYPES = {Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST}


class QuestionForm(forms.Form):
    """One extra question of a category; its place in the list gives its order."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    label = forms.CharField(label=_("Question"), max_length=200)
    code = forms.SlugField(
        label=_("Code"),
        max_length=60,
        help_text=_("Lettres, chiffres et tirets : le nom de la réponse dans l'API Open311."),
    )
    help_text = forms.CharField(label=_("Aide"), max_length=200, required=False)
    datatype = forms.ChoiceField(
        label=_("Type de réponse"), choices=Datatype.choices, initial=Datatype.STRING
    )
    required = forms.BooleanField(label=_("Obligatoire"), required=False)
    choices = forms.CharField(
        label=_("Réponses proposées"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Pour un choix unique ou multiple : une réponse par ligne, « code = libellé »."
        ),
    )

    def clean(self):
        data = super().clean()
        lines = [line.strip() for line in data.get("choices", "").splitlines() if line.strip()]
        if data.get("datatype") not in LIST_DATATYPES:
            if lines:
                self.add_error(
                    "choices", _("Seuls les choix unique et multiple ont des réponses proposées.")
                )
            data["choices"] = []
            return data
        if not lines:
            self.add_error("choices", _("Indiquez au moins une réponse proposée."))
            return data
        pairs = []
        for line in lines:
            key, equals, name = (part.strip() for part in line.partition("="))
            if not equals or not key or not name:
                self.add_error(
                    "choices",
                    _("« %(line)s » : écrivez « code = libellé ».") % {"line": line[:60]},
                )
                return data
            if len(key) > 60 or len(name) > 200:
                self.add_error(
                    "choices",
                    _("« %(line)s » : 60 caractères au plus pour le code, 200 pour le libellé.")
                    % {"line": line[:60]},
                )
                return data
            if key in {existing for existing, _name in pairs}:
                self.add_error(
                    "choices", _("Le code « %(key)s » est proposé deux fois.") % {"key": key}
                )
                return data
            pairs.append([key, name])
        data["choices"] = pairs
        return data


class BaseQuestionFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        codes = set()
        for form in self.forms:
            if not form.has_changed() and not form.cleaned_data.get("id"):
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            code = form.cleaned_data.get("code")
            if code in codes:
                raise forms.ValidationError(
                    _("Deux questions ont le code « %(code)s ».") % {"code": code}
                )
            codes.add(code)

    def questions(self) -> list[dict]:
        """The questions to keep, in order (a deleted or untouched blank row is left out)."""
        kept = []
        for form in self.forms:
            if not form.has_changed() and not form.cleaned_data.get("id"):
                continue
            if self._should_delete_form(form):
                continue
            kept.append({k: v for k, v in form.cleaned_data.items() if k != "DELETE"})
        return kept

    def deleted_ids(self) -> set[int]:
        return {
            form.cleaned_data["id"]
            for form in self.forms
            if self._should_delete_form(form) and form.cleaned_data.get("id")
        }


QuestionFormSet = forms.formset_factory(
    QuestionForm, formset=BaseQuestionFormSet, extra=1, can_delete=True, max_num=30
)


def question_initial(question) -> dict:
    return {
        "id": question.pk,
        "label": question.label,
        "code": question.code,
        "help_text": question.help_text,
        "datatype": question.datatype,
        "required": question.required,
        "choices": "\n".join(f"{key} = {name}" for key, name in question.choices),
    }
