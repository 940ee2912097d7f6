from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from territoria.accounts.admin import AuditedAdmin
from territoria.funding.eligibility import validate_rules
from territoria.funding.enums import UpdateStatus
from territoria.funding.models import (
    Funder,
    ImportedUpdate,
    NamedList,
    Programme,
    Window,
)


class WindowInline(admin.TabularInline):
    model = Window
    extra = 1


@admin.register(Programme)
class ProgrammeAdmin(AuditedAdmin):
    list_display = ["name", "status", "scale", "origin", "fictitious", "last_checked"]
    list_filter = ["status", "origin", "scale", "fictitious", "funders__kind"]
    search_fields = ["name", "short_name", "slug", "external_id"]
    filter_horizontal = ["funders", "use_cases"]
    readonly_fields = ["origin", "external_id", "edited_fields", "raw", "updated_at"]
    inlines = [WindowInline]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        clean = form.clean

        def clean_rules(self):
            data = clean(self)
            problems = validate_rules(data.get("eligibility") or [])
            if problems:
                raise ValidationError({"eligibility": problems})
            return data

        form.clean = clean_rules
        return form

    def save_model(self, request, obj, form, change):
        # Fields edited by hand are kept: later imports propose, never overwrite.
        if change:
            obj.edited_fields = sorted(set(obj.edited_fields) | set(form.changed_data))
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if change and formset.has_changed() and formset.model is Window:
            programme = form.instance
            programme.edited_fields = sorted(set(programme.edited_fields) | {"windows"})
            programme.save(update_fields=["edited_fields", "updated_at"])


@admin.register(ImportedUpdate)
class ImportedUpdateAdmin(AuditedAdmin):
    list_display = ["programme", "field", "origin", "status", "created_at"]
    list_filter = ["status", "origin"]
    readonly_fields = ["programme", "field", "current", "proposed", "origin", "created_at"]
    actions = ["apply", "reject"]

    @admin.action(description=_("Appliquer les valeurs importées"))
    def apply(self, request, queryset):
        with transaction.atomic():
            for update in queryset.filter(status=UpdateStatus.PENDING).select_related("programme"):
                programme = update.programme
                setattr(programme, update.field, update.proposed)
                programme.full_clean(exclude=["funders", "use_cases"])
                programme.save()
                update.status = UpdateStatus.APPLIED
                update.save(update_fields=["status"])
        messages.success(request, _("Valeurs importées appliquées."))

    @admin.action(description=_("Écarter les valeurs importées"))
    def reject(self, request, queryset):
        queryset.filter(status=UpdateStatus.PENDING).update(status=UpdateStatus.REJECTED)
        messages.success(request, _("Valeurs importées écartées."))


admin.site.register(Funder, AuditedAdmin)
admin.site.register(NamedList, AuditedAdmin)
