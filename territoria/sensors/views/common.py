from django.shortcuts import get_object_or_404

from territoria.territories.tenancy import collectivite_for


def scoped(request, slug, model, pk, ability="view_private", **related):
    """The collectivité (404 for non-members) and one of its objects."""
    collectivite = collectivite_for(request, slug, ability)
    queryset = model.objects.of(collectivite)
    if related:
        queryset = queryset.select_related(*related["select"])
    return collectivite, get_object_or_404(queryset, pk=pk)
