"""Back-office for the territories: the COG tables are read-only (the import owns them,
`territoria import-territories` refreshes them), collectivités are managed here."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from territoria.accounts.admin import AuditedAdmin
from territoria.accounts.models import Membership
from territoria.territories.models import (
    Collectivite,
    Commune,
    Departement,
    Epci,
    FormerCode,
    Region,
)


class ReferenceAdmin(admin.ModelAdmin):
    """Reference data: browse and search, never edited by hand."""

    list_per_page = 50
    show_full_result_count = False  # a COUNT over 35,000 communes on every page is waste

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(ReferenceAdmin):
    list_display = ["code", "name", "zone"]
    list_filter = ["zone"]
    search_fields = ["code", "name"]
    ordering = ["code"]


@admin.register(Departement)
class DepartementAdmin(ReferenceAdmin):
    list_display = ["code", "name", "region", "zone"]
    list_filter = ["zone", "region"]
    search_fields = ["code", "name"]
    list_select_related = ["region"]


@admin.register(Epci)
class EpciAdmin(ReferenceAdmin):
    list_display = ["siren", "name", "kind", "population", "member_count"]
    list_filter = ["kind"]
    search_fields = ["siren", "name", "search_text"]
    ordering = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("communes"))

    @admin.display(description=_("communes membres"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count


class FormerCodeInline(admin.TabularInline):
    model = FormerCode
    extra = 0
    can_delete = False
    verbose_name_plural = _("anciens codes rattachés")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Commune)
class CommuneAdmin(ReferenceAdmin):
    list_display = ["code", "name", "departement", "population", "epci"]
    list_filter = ["region", "departement__zone"]
    search_fields = ["code", "name", "search_text", "siren"]
    list_select_related = ["departement", "epci"]
    ordering = ["name"]
    inlines = [FormerCodeInline]


@admin.register(FormerCode)
class FormerCodeAdmin(ReferenceAdmin):
    list_display = ["code", "name", "commune"]
    search_fields = ["code", "name", "commune__code", "commune__name"]
    list_select_related = ["commune"]
    ordering = ["code"]


class CollectiviteMembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]
    verbose_name_plural = _("membres")


@admin.register(Collectivite)
class CollectiviteAdmin(AuditedAdmin):
    list_display = ["name", "kind", "code", "population", "is_active", "created_at"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "slug", "commune__code", "commune__name", "epci__siren", "epci__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["commune", "epci"]
    list_select_related = ["commune", "epci"]
    readonly_fields = ["created_at"]
    inlines = [CollectiviteMembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "is_active"]}),
        (_("Territoire"), {"fields": ["commune", "epci"]}),
        (
            _("Présentation et contact"),
            {"fields": ["logo", "description", "contact_email", "contact_phone", "website"]},
        ),
        (_("Dates"), {"fields": ["created_at"]}),
    ]

    @admin.display(description=_("code INSEE ou SIREN"))
    def code(self, obj):
        return obj.code

    @admin.display(description=_("population"))
    def population(self, obj):
        return obj.population
