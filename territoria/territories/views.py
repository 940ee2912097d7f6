from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from territoria.accounts.actions import ActionError
from territoria.territories import actions
from territoria.territories.forms import CollectiviteForm, RegisterForm
from territoria.territories.models import Collectivite
from territoria.territories.tenancy import collectivite_for


def _registered(request):
    query = request.GET.get("q", "").strip()
    collectivites = (
        Collectivite.objects.active()
        .search(query)
        .select_related("commune__departement", "epci")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name")
    )
    return query, collectivites


def home(request):
    query, collectivites = _registered(request)
    context = {
        "query": query,
        "collectivites": collectivites[:12],
        "collectivite_count": Collectivite.objects.active().count(),
    }
    return render(request, "territories/home.html", context)


def collectivite_list(request):
    query, collectivites = _registered(request)
    page = Paginator(collectivites, 24).get_page(request.GET.get("page"))
    context = {"query": query, "page": page, "collectivites": page.object_list}
    if request.htmx:
        return render(request, "territories/includes/collectivite_results.html", context)
    return render(request, "territories/collectivite_list.html", context)


def collectivite_detail(request, slug):
    collectivite = get_object_or_404(
        Collectivite.objects.active().select_related(
            "commune__departement__region", "commune__epci", "epci"
        ),
        slug=slug,
    )
    context = {
        "collectivite": collectivite,
        "current_collectivite": collectivite,
        "abilities": collectivite.get_abilities(request.user),
        "parent_epci": collectivite.parent_epci(),
        "member_communes": collectivite.member_communes().select_related("commune"),
    }
    return render(request, "territories/collectivite_detail.html", context)


@login_required
def collectivite_register(request):
    """Operators register a commune or an EPCI (with its communes) on the instance."""
    if not request.user.is_operator:
        raise PermissionDenied
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = actions.register_collectivite(
                request.user,
                form.cleaned_data["territoire"],
                admin_email=form.cleaned_data["admin_email"],
                with_member_communes=form.cleaned_data["with_member_communes"],
            )
        except ActionError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(name)s est inscrite.",
                    "%(name)s et %(others)s communes membres sont inscrites.",
                    len(created),
                )
                % {"name": created[0].name, "others": len(created) - 1},
            )
            return redirect(created[0])
    return render(request, "territories/collectivite_register.html", {"form": form})


@login_required
def collectivite_edit(request, slug):
    """The collectivité's admins edit its public presentation."""
    collectivite = collectivite_for(request, slug, "change")
    form = CollectiviteForm(request.POST or None, request.FILES or None, instance=collectivite)
    if request.method == "POST" and form.is_valid():
        actions.update_collectivite(request.user, collectivite, form.cleaned_data)
        messages.success(request, _("La présentation de la collectivité est enregistrée."))
        return redirect(collectivite)
    context = {"form": form, "collectivite": collectivite, "current_collectivite": collectivite}
    return render(request, "territories/collectivite_edit.html", context)
