"""The invitation link: one click for the invited person signed in, a name and a
password for a newcomer; a clear page for any link that no longer works."""

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from territoria.accounts import actions
from territoria.accounts.forms import NewcomerForm
from territoria.accounts.views.auth import BACKEND


def _unavailable(request, error):
    return render(
        request, "accounts/invitation_unavailable.html", {"error": error}, status=error.status
    )


def _welcome(request, invitation):
    messages.success(
        request,
        _("Bienvenue ! Vous avez rejoint %(collectivite)s comme %(role)s.")
        % {"collectivite": invitation.collectivite, "role": invitation.get_role_display()},
    )
    return redirect("accounts:space")


@never_cache
@sensitive_post_parameters("password1", "password2")
def accept(request, token):
    try:
        invitation = actions.find_invitation(token)
        actions.check_acceptor(invitation, request.user)
    except actions.ActionError as error:
        if error.code != "account_exists":
            return _unavailable(request, error)
        # The address has an account: signing in brings the person back here.
        return render(
            request,
            "accounts/invitation_accept.html",
            {"invitation": invitation, "mode": "sign_in", "next": request.path},
        )
    context = {"invitation": invitation}
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                actions.accept_invitation(token, request.user)
            except actions.ActionError as error:
                return _unavailable(request, error)
            return _welcome(request, invitation)
        return render(request, "accounts/invitation_accept.html", {**context, "mode": "member"})
    form = NewcomerForm(request.POST if request.method == "POST" else None, invitation=invitation)
    if form.is_valid():
        try:
            _invitation, user = actions.accept_invitation(
                token,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except actions.ActionError as error:
            return _unavailable(request, error)
        login(request, user, backend=BACKEND)
        return _welcome(request, invitation)
    return render(
        request, "accounts/invitation_accept.html", {**context, "mode": "newcomer", "form": form}
    )
