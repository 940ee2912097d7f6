""" "Mon espace" (the person's collectivités and roles) and "Mon compte"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from territoria.accounts import actions
from territoria.accounts.forms import AccountForm
from territoria.accounts.shortcuts import shortcuts_for
from territoria.territories.models import Collectivite


@login_required
def space(request):
    user = request.user
    memberships = user.memberships.select_related("collectivite").order_by("collectivite__name")
    rows = [
        {
            "membership": m,
            "collectivite": m.collectivite,
            "can": m.collectivite.get_abilities(user),
            "shortcuts": shortcuts_for(m.collectivite, m.role),
        }
        for m in memberships
    ]
    context = {"rows": rows}
    if user.is_operator:
        context["all_collectivites"] = Collectivite.objects.order_by("name").only("slug", "name")
    return render(request, "accounts/space.html", context)


@login_required
def account(request):
    form = AccountForm(
        request.POST if request.method == "POST" else None,
        initial={"full_name": request.user.full_name},
    )
    if request.method == "POST" and form.is_valid():
        actions.update_account(request.user, full_name=form.cleaned_data["full_name"])
        messages.success(request, _("Vos informations ont été enregistrées."))
        return redirect("accounts:account")
    return render(request, "accounts/account.html", {"form": form})
