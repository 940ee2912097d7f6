"""Operators' admin for participation. The voter register, the ballot box, the census
hashes and the codes are deliberately absent: nobody edits them by hand."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from territoria.accounts.admin import AuditedAdmin
from territoria.participation.models import Campaign, Comment, Consultation, Idea, Project


@admin.register(Campaign)
class CampaignAdmin(AuditedAdmin):
    list_display = ["title", "collectivite", "phase", "rule", "envelope", "rules_frozen_at"]
    list_filter = ["phase", "rule"]
    readonly_fields = [
        "rule",
        "max_projects",
        "envelope",
        "tie_break",
        "district",
        "phase",
        "rules_frozen_at",
        "results_published_at",
    ]
    search_fields = ["title", "collectivite__name"]


@admin.register(Project)
class ProjectAdmin(AuditedAdmin):
    list_display = ["title", "campaign", "status", "cost", "votes", "rank"]
    list_filter = ["status"]
    readonly_fields = ["status", "cost", "votes", "rank"]
    search_fields = ["title"]


@admin.register(Idea)
class IdeaAdmin(AuditedAdmin):
    list_display = ["title", "collectivite", "status", "visibility", "created_at"]
    list_filter = ["visibility", "status", "category"]
    search_fields = ["title", "body"]
    raw_id_fields = ["author"]
    # The image is private (no public address): shown through the checked view only.
    exclude = ["image"]
    readonly_fields = ["image_link"]

    @admin.display(description=_("image"))
    def image_link(self, idea):
        if not idea.image:
            return "—"
        url = reverse(
            "participation:idea_image", kwargs={"slug": idea.collectivite.slug, "pk": idea.pk}
        )
        return format_html('<a href="{}">{}</a>', url, _("Voir l'image"))


@admin.register(Comment)
class CommentAdmin(AuditedAdmin):
    list_display = ["idea", "visibility", "created_at"]
    list_filter = ["visibility"]
    raw_id_fields = ["author", "idea"]


@admin.register(Consultation)
class ConsultationAdmin(AuditedAdmin):
    list_display = ["title", "collectivite", "opens_at", "closes_at", "published"]
    list_filter = ["published", "participation"]
