"""Blank templates: for each declared schema, a CSV holding only its header row, for
agents to fill in with a spreadsheet."""

from django.http import Http404
from django.views.decorators.http import require_safe

from territoria import tabular
from territoria.opendata import schemas


def template_text(key: str) -> str:
    """The schema's columns in order, semicolon-separated, UTF-8 with a BOM: French
    Excel opens it in columns and reads its accents right."""
    return tabular.to_text([[f["name"] for f in schemas.fields_of(key)]], ";", bom=True)


@require_safe
def schema_template(request, key):
    if key not in schemas.SCHEMAS:
        raise Http404
    response, _writer = tabular.csv_response(f"modele-{key}.csv")
    response.write(template_text(key))
    return response
