"""Sign in, sign out, and passwords (reset by email, change when signed in)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from territoria.accounts import actions, lockout
from territoria.accounts.forms import LoginForm, PasswordResetRequestForm

BACKEND = "territoria.accounts.backends.EmailBackend"


def safe_next(request, default=None) -> str:
    """The `next` URL if it stays on this site, else the default (Mon espace)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default or settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    target = safe_next(request)
    if request.user.is_authenticated:
        return redirect(target)
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if form.is_valid():
        login(request, form.user, backend=BACKEND)
        lockout.clear(form.user.email)
        return redirect(target)
    locked = any(error.code == "locked" for error in form.non_field_errors().as_data())
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": target},
        status=429 if locked else 200,
    )


def logout_view(request):
    """POST only: a link or an image must not be able to sign anyone out."""
    if request.method != "POST":
        response = render(request, "accounts/logout.html", status=405)
        response["Allow"] = "POST"
        return response
    logout(request)
    messages.success(request, _("Vous êtes déconnecté·e. À bientôt !"))
    return redirect(settings.LOGOUT_REDIRECT_URL)


password_reset = auth_views.PasswordResetView.as_view(
    form_class=PasswordResetRequestForm,
    template_name="accounts/password_reset_form.html",
    success_url=reverse_lazy("accounts:password_reset_done"),
    title=gettext_lazy("Mot de passe oublié"),
)

password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html",
    title=gettext_lazy("Vérifiez votre messagerie"),
    extra_context={"hours": settings.PASSWORD_RESET_TIMEOUT // 3600},
)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    title = gettext_lazy("Choisir un nouveau mot de passe")

    def form_valid(self, form):
        actions.set_password(self.user, form.cleaned_data["new_password1"], reset=True)
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        return redirect(self.get_success_url())


password_reset_confirm = PasswordResetConfirmView.as_view()

password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html",
    title=gettext_lazy("Mot de passe modifié"),
)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    title = gettext_lazy("Changer de mot de passe")

    def form_valid(self, form):
        actions.set_password(self.request.user, form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, self.request.user)
        messages.success(self.request, _("Votre mot de passe a été modifié."))
        return redirect("accounts:account")


password_change = PasswordChangeView.as_view()
