from django.contrib import admin

from territoria.accounts.admin import AuditedAdmin
from territoria.demarches.models import Adoption, FormTemplate, TemplateVersion


class VersionInline(admin.TabularInline):
    model = TemplateVersion
    extra = 0
    readonly_fields = ["number", "published_at", "fields"]
    can_delete = False


@admin.register(FormTemplate)
class FormTemplateAdmin(AuditedAdmin):
    list_display = ["title", "owner", "status", "version"]
    list_filter = ["status"]
    search_fields = ["title", "slug"]
    readonly_fields = ["version", "status"]
    inlines = [VersionInline]


@admin.register(Adoption)
class AdoptionAdmin(AuditedAdmin):
    list_display = ["template", "collectivite", "opens_on", "closes_on", "is_active"]
    list_select_related = ["template", "collectivite"]
