"""The operators' back-office for the catalogue, until the moderation pages exist."""

from django.contrib import admin

from territoria.accounts.admin import HTTPS_URLS, AuditedAdmin
from territoria.catalogue.models import (
    Feedback,
    Figure,
    Provider,
    Solution,
    SolutionRevision,
    Tag,
    UseCase,
)
from territoria.catalogue.search import reindex


class UseCaseFigureInline(admin.TabularInline):
    model = Figure
    fk_name = "use_case"
    exclude = ["solution", "verified_by"]
    extra = 0
    formfield_overrides = HTTPS_URLS


class SolutionFigureInline(UseCaseFigureInline):
    fk_name = "solution"
    exclude = ["use_case", "verified_by"]


@admin.register(Tag)
class TagAdmin(AuditedAdmin):
    list_display = ["name", "kind", "slug"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]


@admin.register(UseCase)
class UseCaseAdmin(AuditedAdmin):
    list_display = ["title", "axis", "maturity"]
    list_filter = ["axis", "maturity"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["prerequisites"]
    inlines = [UseCaseFigureInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        reindex(list(form.instance.solutions.values_list("pk", flat=True)))


@admin.register(Provider)
class ProviderAdmin(AuditedAdmin):
    list_display = ["name", "siren", "region", "is_fictitious"]
    list_filter = ["is_fictitious", "region"]
    search_fields = ["name", "siren"]
    filter_horizontal = ["members"]


@admin.register(Solution)
class SolutionAdmin(AuditedAdmin):
    list_display = ["name", "provider", "status", "maturity", "licence_kind", "is_fictitious"]
    list_filter = ["status", "maturity", "licence_kind", "hosting", "is_fictitious"]
    search_fields = ["name", "summary", "provider__name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["use_cases", "standards"]
    raw_id_fields = ["references", "provider", "moderated_by"]
    inlines = [SolutionFigureInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.refresh_summary()  # also reindexes the search


@admin.register(Feedback)
class FeedbackAdmin(AuditedAdmin):
    list_display = ["title", "commune", "use_case", "status"]
    list_filter = ["status"]
    search_fields = ["title", "commune__name"]
    raw_id_fields = ["commune", "collectivite", "author", "solution"]


@admin.register(SolutionRevision)
class SolutionRevisionAdmin(admin.ModelAdmin):
    """The history of offers, read-only: it is written by the moderation actions."""

    list_display = ["solution", "at", "author", "status_before", "status_after"]
    list_filter = ["status_after"]
    search_fields = ["solution__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
