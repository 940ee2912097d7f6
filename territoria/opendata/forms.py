from django import forms
from django.utils.translation import gettext_lazy as _

from territoria.opendata.enums import Frequency, Source, Theme
from territoria.opendata.models import Dataset
from territoria.opendata.schemas import UPLOAD_CHOICES

METADATA_FIELDS = [
    "title", "description", "keywords", "theme", "licence", "frequency",
    "temporal_start", "temporal_end", "contact_name", "contact_email",
]  # fmt: skip


class MetadataForm(forms.ModelForm):
    class Meta:
        model = Dataset
        fields = METADATA_FIELDS
        widgets = {
            "temporal_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "temporal_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("temporal_start"), cleaned.get("temporal_end")
        if start and end and start > end:
            self.add_error("temporal_end", _("La fin de la période couverte précède son début."))
        return cleaned


class UploadForm(MetadataForm):
    schema = forms.ChoiceField(label=_("Schéma national du fichier"), choices=UPLOAD_CHOICES)
    file = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_(
            "CSV avec la ligne d'en-tête du schéma : UTF-8 ou Windows-1252 (Excel), "
            "séparateur virgule ou point-virgule."
        ),
    )

    class Meta(MetadataForm.Meta):
        fields = ["schema", "file", *METADATA_FIELDS]


class GeneratedForm(MetadataForm):
    source = forms.ChoiceField(
        label=_("Données de la plateforme"),
        choices=[c for c in Source.choices if c[0] != Source.UPLOAD],
    )

    class Meta(MetadataForm.Meta):
        fields = ["source", *METADATA_FIELDS]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), required=False)
    theme = forms.ChoiceField(
        label=_("Thème"), required=False, choices=[("", _("Tous"))] + Theme.choices
    )
    frequency = forms.ChoiceField(
        label=_("Fréquence"), required=False, choices=[("", _("Toutes"))] + Frequency.choices
    )
    collectivite = forms.ChoiceField(label=_("Collectivité"), required=False, choices=[])
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("Tous")), ("geojson", _("Données localisées (GeoJSON)"))],
    )
