from django.contrib import admin

from territoria.accounts.admin import AuditedAdmin
from territoria.purchasing.models import Campaign, Lot, Participant, ServiceUse, SharedService


class LotInline(admin.TabularInline):
    model = Lot
    extra = 0
    fields = ["name", "unit", "awarded_unit_price_cents"]


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    fields = ["collectivite", "deliberation_ref", "deliberation_date"]
    readonly_fields = fields


@admin.register(Campaign)
class CampaignAdmin(AuditedAdmin):
    list_display = ["title", "collectivite", "status", "needs_deadline"]
    list_filter = ["status", "legal_type", "market_kind"]
    search_fields = ["title", "collectivite__name"]
    inlines = [LotInline, ParticipantInline]


class ServiceUseInline(admin.TabularInline):
    model = ServiceUse
    extra = 1


@admin.register(SharedService)
class SharedServiceAdmin(AuditedAdmin):
    list_display = ["name", "collectivite", "year", "yearly_cost_cents"]
    list_filter = ["year"]
    search_fields = ["name", "collectivite__name"]
    inlines = [ServiceUseInline]
