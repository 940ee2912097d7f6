"""The operators' back-office for people, memberships, invitations, the audit log and
login failures. Operators' writes here are recorded in the audit log too."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from territoria.accounts import actions as account_actions
from territoria.accounts import audit
from territoria.accounts.models import AuditEvent, Invitation, LoginFailure, Membership, User

# Web addresses typed without a scheme are read as https (Django 6's default).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


class AuditedAdmin(admin.ModelAdmin):
    """Record the operators' additions, changes and deletions in the audit log."""

    formfield_overrides = HTTPS_URLS

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(
            request.user,
            "admin.changed" if change else "admin.added",
            obj=obj,
            summary=str(obj),
            changes={"fields": sorted(form.changed_data)},
        )

    def delete_model(self, request, obj):
        audit.record(request.user, "admin.deleted", obj=obj, summary=str(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit.record(request.user, "admin.deleted", obj=obj, summary=str(obj))
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit.record(request.user, "admin.added", obj=obj, summary=str(obj))
        for obj, fields in formset.changed_objects:
            audit.record(
                request.user, "admin.changed", obj=obj, summary=str(obj), changes={"fields": fields}
            )
        for obj in formset.deleted_objects:
            audit.record(request.user, "admin.deleted", obj=obj, summary=str(obj))


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["collectivite"]
    verbose_name_plural = _("appartenances aux collectivités")


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    list_display = ["email", "full_name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_active"]
    search_fields = ["email", "full_name"]
    ordering = ["email"]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Identité"), {"fields": ["full_name"]}),
        (_("Droits"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "usable_password", "password1", "password2"],
            },
        ),
    ]
    filter_horizontal = []


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "collectivite", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__full_name", "collectivite__name"]
    raw_id_fields = ["user", "collectivite"]
    list_select_related = ["user", "collectivite"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are sent from the members page (so the email goes out); here they
    can be read and revoked. The token is never shown: only its hash is stored."""

    list_display = [
        "email",
        "collectivite",
        "role",
        "state",
        "invited_by",
        "created_at",
        "expires_at",
    ]
    list_filter = ["role"]
    search_fields = ["email", "collectivite__name"]
    list_select_related = ["collectivite", "invited_by"]
    fields = [
        "email",
        "collectivite",
        "role",
        "invited_by",
        "created_at",
        "email_sent_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    ]
    readonly_fields = fields
    actions = ["revoke"]

    @admin.display(description=_("état"))
    def state(self, obj):
        return {
            "pending": _("en attente"),
            "accepted": _("acceptée"),
            "revoked": _("révoquée"),
            "expired": _("expirée"),
        }[account_actions.invitation_state(obj)]

    @admin.action(description=_("Révoquer les invitations sélectionnées"))
    def revoke(self, request, queryset):
        revoked = 0
        for invitation in queryset.select_related("collectivite"):
            try:
                account_actions.revoke_invitation(request.user, invitation)
            except account_actions.ActionError:
                continue
            revoked += 1
        self.message_user(
            request,
            ngettext("%(count)d invitation révoquée.", "%(count)d invitations révoquées.", revoked)
            % {"count": revoked},
            messages.SUCCESS,
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the journal is never edited."""

    list_display = ["at", "actor", "collectivite", "action", "summary"]
    list_filter = ["action"]
    search_fields = ["summary", "actor__email", "collectivite__name", "object_id"]
    list_select_related = ["actor", "collectivite"]
    date_hierarchy = "at"
    fields = [
        "at",
        "actor",
        "collectivite",
        "action",
        "object_type",
        "object_id",
        "summary",
        "changes",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    """Deleting an address's failures lifts its lockout."""

    list_display = ["email", "ip", "at"]
    search_fields = ["email", "ip"]
    date_hierarchy = "at"
    fields = ["email", "ip", "at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
