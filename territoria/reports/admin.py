from django.contrib import admin

from territoria.accounts.admin import AuditedAdmin
from territoria.reports.models import (
    Category,
    ClientApplication,
    Question,
    Report,
    ReportZone,
    Service,
)


@admin.register(ReportZone)
class ReportZoneAdmin(AuditedAdmin):
    list_display = ["collectivite", "south", "west", "north", "east", "is_open"]
    search_fields = ["collectivite__name"]
    autocomplete_fields = ["collectivite"]


@admin.register(Service)
class ServiceAdmin(AuditedAdmin):
    list_display = ["name", "collectivite", "email"]
    list_filter = ["collectivite"]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["code", "label", "help_text", "datatype", "required", "choices", "order"]


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    list_display = ["name", "code", "collectivite", "service", "group", "epci_competence"]
    list_filter = ["collectivite", "is_active"]
    search_fields = ["name", "code"]
    inlines = [QuestionInline]

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            if inline_form.instance and not inline_form.instance.collectivite_id:
                inline_form.instance.collectivite = form.instance.collectivite
        super().save_formset(request, form, formset, change)


@admin.register(Report)
class ReportAdmin(AuditedAdmin):
    list_display = ["pk", "category", "collectivite", "status", "publication", "created_at"]
    list_filter = ["status", "publication", "source", "collectivite"]
    raw_id_fields = ["category", "commune", "reporter", "assignee", "duplicate_of"]
    readonly_fields = ["ip_hash", "client_application", "personal_data_purged_at"]


@admin.register(ClientApplication)
class ClientApplicationAdmin(AuditedAdmin):
    """Keys are issued from the collectivité's back-office page or the
    `open311_client` command (shown once); here they can only be revoked."""

    list_display = ["name", "collectivite", "key_prefix", "is_active", "created_at"]
    list_filter = ["is_active"]
    fields = ["name", "contact", "is_active"]

    def has_add_permission(self, request):
        return False
