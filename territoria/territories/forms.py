from django import forms
from django.utils.translation import gettext_lazy as _

from territoria.territories.fields import TerritoryField
from territoria.territories.models import Collectivite


class RegisterForm(forms.Form):
    territoire = TerritoryField(
        label=_("Commune ou intercommunalité à inscrire"),
        help_text=_("Nom, code postal, code INSEE ou SIREN."),
    )
    admin_email = forms.EmailField(
        label=_("Adresse électronique de son premier administrateur"),
        help_text=_("Cette personne reçoit une invitation et pourra inviter les autres membres."),
        required=False,
    )
    with_member_communes = forms.BooleanField(
        label=_("Pour une intercommunalité : inscrire aussi toutes ses communes membres"),
        required=False,
    )


class CollectiviteForm(forms.ModelForm):
    website = forms.URLField(
        label=_("site internet"), required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = Collectivite
        fields = ["description", "contact_email", "contact_phone", "website", "logo"]
        help_texts = {
            "description": _("Quelques lignes affichées sur la page publique."),
            "logo": _("PNG, JPEG ou WebP, 1 Mo au plus."),
            "contact_email": _("Adresse publique de la collectivité, affichée sur sa page."),
        }
