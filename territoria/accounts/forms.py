from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordResetForm, SetPasswordMixin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from territoria.accounts import lockout, tasks
from territoria.accounts.enums import Role
from territoria.accounts.models import User


class LoginForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse électronique"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        email, password = self.cleaned_data.get("email"), self.cleaned_data.get("password")
        if not email or not password:
            return self.cleaned_data
        ip = lockout.client_ip(self.request)
        lock = lockout.check(email, ip)
        if lock is not None:
            raise forms.ValidationError(lock.message, code="locked")
        self.user = authenticate(self.request, email=email, password=password)
        if self.user is None:
            lockout.record_failure(email, ip)
            lock = lockout.check(email, ip)
            if lock is not None:
                raise forms.ValidationError(lock.message, code="locked")
            raise forms.ValidationError(
                _(
                    "Adresse électronique ou mot de passe incorrect. Vérifiez votre saisie ; "
                    "après plusieurs échecs, la connexion est bloquée un moment."
                ),
                code="invalid_login",
            )
        return self.cleaned_data


class PasswordResetRequestForm(PasswordResetForm):
    """Mails a reset link through a task, so the answer takes the same time whether
    or not the address has an account."""

    email = forms.EmailField(
        label=_("Adresse électronique"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def save(self, **kwargs):
        for user in self.get_users(self.cleaned_data["email"]):
            transaction.on_commit(lambda pk=user.pk: tasks.send_password_reset_email.enqueue(pk))


class AccountForm(forms.Form):
    full_name = forms.CharField(
        label=_("Nom complet"),
        max_length=150,
        help_text=_("Le nom que voient les autres membres de vos collectivités."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse électronique de la personne invitée"),
        # The address of someone else: the browser must not offer the admin's own.
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Rôle"),
        choices=Role.choices,
        initial=Role.AGENT,
        help_text=_(
            "Élu·e : consulte et décide ; agent : gère les dossiers au quotidien ; "
            "administrateur·rice : gère aussi les membres."
        ),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices)


class NewcomerForm(SetPasswordMixin, forms.Form):
    """A newcomer accepting an invitation: a name and a password make the account."""

    email = forms.EmailField(
        label=_("Adresse électronique"),
        disabled=True,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_(
            "L'adresse à laquelle l'invitation a été envoyée ; elle servira à vous connecter."
        ),
    )
    full_name = forms.CharField(
        label=_("Nom complet"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=_("Mot de passe"), label2=_("Confirmation du mot de passe")
    )

    def __init__(self, *args, invitation, **kwargs):
        self.invitation = invitation
        super().__init__(*args, initial={"email": invitation.email}, **kwargs)

    def clean(self):
        self.validate_passwords()
        candidate = User(
            email=self.invitation.email, full_name=self.cleaned_data.get("full_name", "")
        )
        self.validate_password_for_user(candidate, "password1")
        return self.cleaned_data
