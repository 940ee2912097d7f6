"""The operators' view of sensors: sites, fleets (keys never shown), devices, alerts,
measured savings. Readings and rollups are bulk tables, not administered here."""

from django.contrib import admin

from territoria.accounts.admin import AuditedAdmin
from territoria.sensors.models import Alert, Device, Fleet, SavingsMeasure, Site


@admin.register(Site)
class SiteAdmin(AuditedAdmin):
    list_display = ["name", "kind", "collectivite", "is_public"]
    list_filter = ["kind", "is_public"]
    search_fields = ["name", "collectivite__name"]


@admin.register(Fleet)
class FleetAdmin(AuditedAdmin):
    list_display = ["name", "collectivite", "key_prefix", "simulated", "created_at"]
    search_fields = ["name", "collectivite__name"]
    readonly_fields = ["key_prefix"]
    exclude = ["key_hash"]


@admin.register(Device)
class DeviceAdmin(AuditedAdmin):
    list_display = ["name", "external_id", "kind", "collectivite", "site", "last_seen_at"]
    list_filter = ["kind"]
    search_fields = ["name", "external_id", "dev_eui", "collectivite__name"]
    raw_id_fields = ["fleet", "site"]
    readonly_fields = ["last_seen_at", "last_value"]


@admin.register(Alert)
class AlertAdmin(AuditedAdmin):
    list_display = ["title", "kind", "status", "collectivite", "opened_at"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "collectivite__name"]
    raw_id_fields = ["device", "site", "acknowledged_by", "closed_by"]


@admin.register(SavingsMeasure)
class SavingsMeasureAdmin(AuditedAdmin):
    list_display = ["label", "use_case_slug", "collectivite"]
    raw_id_fields = ["site"]
