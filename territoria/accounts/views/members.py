"""A collectivité's members, invitations and audit journal, for its admins and the
instance's operators."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from territoria.accounts import actions, audit
from territoria.accounts.enums import Role
from territoria.accounts.forms import InviteForm, RoleForm
from territoria.accounts.models import AuditEvent, Invitation, Membership
from territoria.territories.tenancy import collectivite_for

JOURNAL_PAGE_SIZE = 50


def _post_only(request):
    # Checked after the permission so that other people learn nothing from a 405.
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def _back(request, collectivite):
    """Back to the members page, or to Mon espace if the person no longer manages it."""
    if collectivite.get_abilities(request.user)["manage_members"]:
        return redirect("accounts:members", slug=collectivite.slug)
    return redirect("accounts:space")


def _members_page(request, collectivite, invite_form=None, status=200):
    user = request.user
    memberships = list(
        collectivite.memberships.select_related("user", "collectivite").order_by(
            "user__full_name", "user__email"
        )
    )
    admins = sum(1 for m in memberships if m.role == Role.ADMIN)
    rows = []
    for membership in memberships:
        form = RoleForm(prefix=f"m{membership.pk}", initial={"role": membership.role})
        form.fields["role"].label = _("Rôle de %(person)s") % {"person": membership.user}
        rows.append(
            {
                "membership": membership,
                "can": membership.get_abilities(user),
                "last_admin": membership.role == Role.ADMIN and admins == 1,
                "form": form,
            }
        )
    invitations = [
        {"invitation": invitation, "can": invitation.get_abilities(user)}
        for invitation in Invitation.objects.pending()
        .filter(collectivite=collectivite)
        .select_related("invited_by", "collectivite")
    ]
    context = {
        "collectivite": collectivite,
        "current_collectivite": collectivite,
        "can": collectivite.get_abilities(user),
        "rows": rows,
        "invitations": invitations,
        "invite_form": invite_form or InviteForm(),
        "invitation_days": settings.INVITATION_VALIDITY_DAYS,
    }
    return render(request, "accounts/members.html", context, status=status)


@login_required
def members(request, slug):
    return _members_page(request, collectivite_for(request, slug, "manage_members"))


@login_required
def invite(request, slug):
    collectivite = collectivite_for(request, slug, "manage_members")
    if refused := _post_only(request):
        return refused
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = actions.invite_member(
                request.user, collectivite, form.cleaned_data["email"], form.cleaned_data["role"]
            )
        except actions.ActionError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request,
                _("Invitation envoyée à %(email)s. Le lien est valable jusqu'au %(date)s.")
                % {
                    "email": invitation.email,
                    "date": date_format(localtime(invitation.expires_at), "DATETIME_FORMAT"),
                },
            )
            return redirect("accounts:members", slug=collectivite.slug)
    return _members_page(request, collectivite, invite_form=form)


def _membership(request, collectivite, pk):
    return get_object_or_404(
        Membership.objects.select_related("user", "collectivite"), pk=pk, collectivite=collectivite
    )


@login_required
def change_role(request, slug, pk):
    collectivite = collectivite_for(request, slug, "manage_members")
    membership = _membership(request, collectivite, pk)
    if not membership.get_abilities(request.user)["change"]:
        raise PermissionDenied
    if refused := _post_only(request):
        return refused
    form = RoleForm(request.POST, prefix=f"m{membership.pk}")
    if not form.is_valid():
        messages.error(request, _("Choisissez un rôle de la liste."))
        return redirect("accounts:members", slug=collectivite.slug)
    try:
        membership = actions.change_member_role(request.user, membership, form.cleaned_data["role"])
    except actions.ActionError as error:
        messages.error(request, error.message)
        return redirect("accounts:members", slug=collectivite.slug)
    messages.success(
        request,
        _("%(person)s est désormais %(role)s.")
        % {"person": membership.user, "role": membership.get_role_display()},
    )
    return _back(request, collectivite)


@login_required
def remove(request, slug, pk):
    collectivite = collectivite_for(request, slug, "manage_members")
    membership = _membership(request, collectivite, pk)
    if not membership.get_abilities(request.user)["delete"]:
        raise PermissionDenied
    if refused := _post_only(request):
        return refused
    try:
        actions.remove_member(request.user, membership)
    except actions.ActionError as error:
        messages.error(request, error.message)
        return redirect("accounts:members", slug=collectivite.slug)
    messages.success(
        request,
        _("%(person)s ne fait plus partie de %(collectivite)s.")
        % {"person": membership.user, "collectivite": collectivite},
    )
    return _back(request, collectivite)


@login_required
def revoke(request, slug, pk):
    collectivite = collectivite_for(request, slug, "manage_members")
    invitation = get_object_or_404(Invitation, pk=pk, collectivite=collectivite)
    if not invitation.get_abilities(request.user)["delete"]:
        raise PermissionDenied
    if refused := _post_only(request):
        return refused
    try:
        actions.revoke_invitation(request.user, invitation)
    except actions.ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("L'invitation de %(email)s est révoquée.") % {"email": invitation.email}
        )
    return redirect("accounts:members", slug=collectivite.slug)


@login_required
def journal(request, slug):
    collectivite = collectivite_for(request, slug, "manage_members")
    events = (
        AuditEvent.objects.visible_to(request.user)
        .filter(collectivite=collectivite)
        .select_related("actor")
        .order_by("-at", "-pk")
    )
    page = Paginator(events, JOURNAL_PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page:
        event.label = audit.action_label(event.action)
        event.change_lines = [
            (key, " → ".join(map(str, value)) if isinstance(value, list) else value)
            for key, value in event.changes.items()
        ]
    return render(
        request,
        "accounts/journal.html",
        {"collectivite": collectivite, "current_collectivite": collectivite, "page": page},
    )
