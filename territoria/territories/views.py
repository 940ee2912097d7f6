from django.shortcuts import get_object_or_404, render

from territoria.territories.models import Collectivite


def home(request):
    return render(request, "territories/home.html")


def collectivite_list(request):
    return render(request, "territories/collectivite_list.html")


def collectivite_detail(request, slug):
    collectivite = get_object_or_404(Collectivite.objects.active(), slug=slug)
    return render(request, "territories/collectivite_detail.html", {"collectivite": collectivite})
