"""The module's landing page and one collectivité's participation page."""

from django.shortcuts import render
from django.utils import timezone

from territoria.participation.models import Campaign, Consultation, Idea
from territoria.participation.views.common import is_staff, public_collectivite
from territoria.territories.models import Collectivite


def home(request):
    """Collectivités with an idea box, a participatory budget or a consultation."""
    ids = (
        set(Idea.objects.published().values_list("collectivite_id", flat=True))
        | set(Campaign.objects.values_list("collectivite_id", flat=True))
        | set(Consultation.objects.filter(published=True).values_list("collectivite_id", flat=True))
    )
    collectivites = Collectivite.objects.active().filter(pk__in=ids).order_by("name")
    return render(request, "participation/home.html", {"collectivites": collectivites})


def collectivite(request, slug):
    """Ideas, budgets and consultations of one collectivité."""
    place = public_collectivite(slug)
    staff = is_staff(request, place)
    ideas = Idea.objects.of(place).published().with_supports().order_by("-created_at")[:6]
    consultations = Consultation.objects.of(place)
    if not staff:
        consultations = consultations.filter(published=True)
    return render(
        request,
        "participation/collectivite.html",
        {
            "collectivite": place,
            "ideas": ideas,
            "campaigns": Campaign.objects.of(place),
            "consultations": consultations,
            "staff": staff,
            "now": timezone.now(),
        },
    )
