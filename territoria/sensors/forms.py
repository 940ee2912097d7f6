from django import forms
from django.utils.translation import gettext_lazy as _

from territoria.sensors.enums import AlertKind

MAX_UPLOAD = 20 * 1024 * 1024


class FleetForm(forms.Form):
    name = forms.CharField(label=_("Nom de la flotte"), max_length=120)


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_("UTF-8, séparateur virgule ou point-virgule, 20 Mo au plus."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("Fichier trop gros : 20 Mo au plus."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("Le fichier doit être encodé en UTF-8.")) from error


class AlertNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note (facultative)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AlertEmailsForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Alertes que je reçois par courriel"),
        choices=AlertKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Décochez celles qui ne vous concernent pas ; elles restent sur le site."),
    )
