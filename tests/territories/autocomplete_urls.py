"""A test page holding a TerritoryField, served beside the real URLs."""

from django import forms
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from territoria.territories.fields import TerritoryField
from territoria.urls import urlpatterns as real_urlpatterns

PAGE = """{% extends "base.html" %}{% block content %}
<form method="post" novalidate>{% csrf_token %}
{% include "includes/form_field.html" with field=form.territoire %}
<button type="submit">Valider</button></form>
{% if chosen %}<p id="chosen">{{ chosen }}</p>{% endif %}{% endblock content %}"""


class PlaceForm(forms.Form):
    territoire = TerritoryField(label="Votre commune ou intercommunalité")


def place(request):
    form = PlaceForm(request.POST or None)
    chosen = form.cleaned_data["territoire"] if form.is_valid() else None
    html = engines["django"].from_string(PAGE).render({"form": form, "chosen": chosen}, request)
    return HttpResponse(html)


urlpatterns = [path("essai-territoire/", place), *real_urlpatterns]
