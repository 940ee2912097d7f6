"""What other modules ask the group-purchasing module (they import only this module)."""

from django.template.loader import render_to_string

from territoria.purchasing.enums import CampaignStatus
from territoria.purchasing.models import Campaign


def campaigns_slot(request, *, solution=None, use_case=None) -> str:
    """ "Achat groupé en cours" on a catalogue page: open campaigns for this solution (or
    this use case)."""
    campaigns = Campaign.objects.public().filter(status=CampaignStatus.OPEN)
    if solution is not None:
        campaigns = campaigns.filter(solution=solution)
    if use_case is not None:
        campaigns = campaigns.filter(use_case=use_case)
    campaigns = list(campaigns.select_related("collectivite").order_by("needs_deadline")[:5])
    if not campaigns:
        return ""
    return render_to_string(
        "purchasing/includes/catalogue_slot.html", {"campaigns": campaigns}, request
    )


def member_shares(collectivite) -> list[dict]:
    """The groupements this collectivité joined, with its share: for its roadmap.
    Each: use case slug, campaign title and address, share and saving in euros HT."""
    from territoria.purchasing.convention import convention

    found = []
    campaigns = (
        Campaign.objects.filter(participants__collectivite=collectivite)
        .exclude(status=CampaignStatus.DRAFT)
        .select_related("use_case", "collectivite")
    )
    for campaign in campaigns:
        line = convention(campaign).line_for(collectivite)
        if line is not None:
            found.append(
                {
                    "use_case": campaign.use_case.slug,
                    "title": campaign.title,
                    "url": campaign.get_absolute_url(),
                    "share_eur": line.share.total_cents / 100,
                    "saving_eur": line.share.saving_cents / 100,
                    "status": campaign.status,
                }
            )
    return found
