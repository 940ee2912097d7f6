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


class ListedAdmin(AuditedAdmin):
    """Operators' edits change what the public lists show: give them a new version."""

    def zones(self, obj):
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.zones(obj).changed()

    def delete_model(self, request, obj):
        self.zones(obj).changed()
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.zones(obj).changed()
        super().delete_queryset(request, queryset)


@admin.register(ReportZone)
class ReportZoneAdmin(AuditedAdmin):
    list_display = ["collectivite", "south", "west", "north", "east", "is_open"]
    search_fields = ["collectivite__name"]
    autocomplete_fields = ["collectivite"]


@admin.register(Service)
class ServiceAdmin(ListedAdmin):
    list_display = ["name", "collectivite", "email"]
    list_filter = ["collectivite"]

    def zones(self, obj):
        return ReportZone.objects.offering(obj.collectivite)


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["code", "label", "help_text", "datatype", "required", "choices", "order"]


@admin.register(Category)
class CategoryAdmin(ListedAdmin):
    list_display = ["name", "code", "collectivite", "service", "group", "epci_competence"]
    list_filter = ["collectivite", "is_active"]
    search_fields = ["name", "code"]
    inlines = [QuestionInline]

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            if inline_form.instance and not inline_form.instance.collectivite_id:
                inline_form.instance.collectivite = form.instance.collectivite
        super().save_formset(request, form, formset, change)

    def zones(self, obj):
        return ReportZone.objects.offering(obj.collectivite)


@admin.register(Report)
class ReportAdmin(ListedAdmin):
    list_display = ["pk", "category", "collectivite", "status", "publication", "created_at"]
    list_filter = ["status", "publication", "source", "collectivite"]
    raw_id_fields = ["category", "commune", "reporter", "assignee", "duplicate_of"]
    readonly_fields = ["ip_hash", "client_application", "personal_data_purged_at"]

    def zones(self, obj):
        return ReportZone.objects.listing([obj.collectivite_id], [obj.commune_id])

    def save_model(self, request, obj, form, change):
        if change and {"collectivite", "commune"} & set(form.changed_data):
            # Moved: the lists it left change too.
            before = Report.objects.get(pk=obj.pk)
            ReportZone.objects.listing([before.collectivite_id], [before.commune_id]).changed()
        super().save_model(request, obj, form, change)


@admin.register(ClientApplication)
class ClientApplicationAdmin(AuditedAdmin):
    """Keys are issued from the collectivité's back-office page or the
    `open311_client` command (shown once); here they can only be revoked."""

    list_display = ["name", "collectivite", "key_prefix", "is_active", "created_at"]
    list_filter = ["is_active"]
    fields = ["name", "contact", "is_active"]

    def has_add_permission(self, request):
        return False
