"""The catalogue home: French full-text search with facets, kept in the URL."""

from django.http import QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

from territoria.catalogue import search as catalogue_search

PLAIN_PARAMETERS = {"q", "sort", "page"}


def read_parameters(data: QueryDict) -> dict:
    """The query, filters, sort and page of a search URL; a page that is not a
    number is left out and reported with the unknown parameters."""
    filters = {
        key: [value for value in data.getlist(key) if value]
        for key in data
        if key not in PLAIN_PARAMETERS
    }
    ignored = []
    page_text = data.get("page", "").strip()
    page = 1
    if page_text:
        if page_text.isdigit() and len(page_text) < 7:
            page = int(page_text)
        else:
            ignored.append(f"page={page_text[:20]}")
    return {
        "query": data.get("q", "").strip()[: catalogue_search.MAX_QUERY_LENGTH],
        "filters": {key: values for key, values in filters.items() if values},
        "sort": data.get("sort", "").strip() or None,
        "page": page,
        "ignored": ignored,
    }


def search(request):
    """Published solutions by French text and facets; HTMX asks for the results only."""
    parameters = read_parameters(request.GET)
    result = catalogue_search.search(
        parameters["query"], parameters["filters"], sort=parameters["sort"], page=parameters["page"]
    )
    ignored = parameters["ignored"] + result.ignored
    active_filters = sum(facet.selected_count for facet in result.facets)
    clear = QueryDict(mutable=True)
    if parameters["query"]:
        clear["q"] = parameters["query"]
    if parameters["sort"] and parameters["sort"] in catalogue_search.SORTS:
        clear["sort"] = parameters["sort"]
    context = {
        "query": parameters["query"],
        "result": result,
        "solutions": result.solutions,
        "sorts": list(catalogue_search.SORTS.items()),
        # What the person asked for: "relevance" stays chosen while there is no text yet
        # (the results are then by name), so typing a query later ranks by relevance.
        "selected_sort": (
            parameters["sort"] if parameters["sort"] in catalogue_search.SORTS else "relevance"
        ),
        "active_filters": active_filters,
        "clear_url": f"?{clear.urlencode()}" if clear else "?",
        "ignored_message": (
            _("Ces paramètres de l'adresse ne sont pas reconnus et ont été ignorés : %(list)s.")
            % {"list": ", ".join(ignored)}
            if ignored
            else ""
        ),
    }
    if request.htmx:
        return render(request, "catalogue/includes/search_results.html", context)
    return render(request, "catalogue/search.html", context)
