from django.contrib import admin

from territoria.accounts.admin import AuditedAdmin
from territoria.roadmap.models import Profile, Project, Scenario


@admin.register(Profile)
class ProfileAdmin(AuditedAdmin):
    list_display = ["collectivite", "population", "yearly_budget_eur", "updated_at"]
    search_fields = ["collectivite__name"]


class ProjectInline(admin.TabularInline):
    model = Project
    extra = 0
    fields = [
        "use_case", "lock", "lock_year", "start_year", "expected_aid_min", "expected_aid_max",
        "aid_source", "measured_saving_eur_per_year", "measured_saving_source",
    ]  # fmt: skip
    readonly_fields = ["start_year"]
    autocomplete_fields = ["use_case"]


@admin.register(Scenario)
class ScenarioAdmin(AuditedAdmin):
    list_display = ["name", "collectivite", "is_current", "solved_at"]
    list_filter = ["is_current"]
    search_fields = ["name", "collectivite__name"]
    inlines = [ProjectInline]
