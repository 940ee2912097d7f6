"""TerritoryField: the chosen code wins, typed text is resolved on the server (no
JavaScript needed), and the widget renders the accessible autocomplete markup."""

from django import forms

import pytest

from territoria.territories.fields import TerritoryField
from territoria.territories.models import Commune, Epci


class PlaceForm(forms.Form):
    territoire = TerritoryField(label="Votre territoire")


class CommuneForm(forms.Form):
    commune = TerritoryField(label="Votre commune", kind="commune")


def test_chosen_code_is_used(db, cog_sample):
    """A code picked from the list (hidden input) is taken as is."""
    form = PlaceForm({"territoire": "Saint-Amand-Montrond (18)", "territoire_code": "18197"})
    assert form.is_valid()
    assert form.cleaned_data["territoire"] == Commune.objects.get(code="18197")


def test_epci_code_gives_an_epci(db, cog_sample):
    """A SIREN picked from the list gives the EPCI."""
    form = PlaceForm({"territoire": "CC Coeur de France", "territoire_code": "200036135"})
    assert form.is_valid()
    assert form.cleaned_data["territoire"] == Epci.objects.get(siren="200036135")


def test_typed_text_is_resolved_without_javascript(db, cog_sample):
    """Without JavaScript only the text arrives; a name naming one commune is enough."""
    form = PlaceForm({"territoire": "st amand montrond"})
    assert form.is_valid()
    assert form.cleaned_data["territoire"].code == "18197"


def test_stale_code_falls_back_to_the_text(db, cog_sample):
    """An unknown code is ignored and the text resolved instead."""
    form = PlaceForm({"territoire": "Niort", "territoire_code": "00000"})
    assert form.is_valid()
    assert form.cleaned_data["territoire"].code == "79191"


def test_nothing_matching_is_a_french_error(db, cog_sample):
    """Text matching nothing is refused with a French message."""
    form = PlaceForm({"territoire": "Zzyzx-les-Bains"})
    assert not form.is_valid()
    assert form.errors["territoire"] == ["Aucun territoire ne correspond à « Zzyzx-les-Bains »."]


def test_several_matches_ask_to_choose(db, cog_sample):
    """Two communes named Sainte-Marie: the person is asked to choose, with the options."""
    form = PlaceForm({"territoire": "Sainte-Marie"})
    assert not form.is_valid()
    assert form.errors["territoire"] == [
        "Plusieurs territoires correspondent à « Sainte-Marie » : Sainte-Marie (974), "
        "Sainte-Marie (35). Choisissez dans la liste ou précisez (code postal, code INSEE)."
    ]


def test_required(db, cog_sample):
    """An empty field is refused with a French message."""
    form = PlaceForm({"territoire": "", "territoire_code": ""})
    assert not form.is_valid()
    assert form.errors["territoire"] == ["Indiquez une commune ou une intercommunalité."]


def test_kind_refuses_the_other_kind(db, cog_sample):
    """A commune field does not take an EPCI's code or name."""
    form = CommuneForm({"commune": "CC Coeur de France", "commune_code": "200036135"})
    assert not form.is_valid()
    assert form.errors["commune"] == ["Aucun territoire ne correspond à « CC Coeur de France »."]


@pytest.mark.django_db
def test_widget_renders_the_combobox_markup():
    """The text input carries the endpoint and the French messages, a hidden input takes
    the code, and the script is an external file (the CSP forbids inline scripts)."""
    html = " ".join(str(PlaceForm()["territoire"]).split())
    assert 'type="text" id="id_territoire" name="territoire"' in html
    assert 'data-territoria-autocomplete="/api/territoires/recherche"' in html
    assert 'data-territoria-autocomplete-target="id_territoire_code"' in html
    assert '<input type="hidden" id="id_territoire_code" name="territoire_code" value="">' in html
    assert 'data-msg-many="{count} territoires proposés.' in html
    assert '<script src="/static/territoria/js/autocomplete.js" defer></script>' in html
    assert "<script>" not in html
    assert "required" in html


def test_bound_form_keeps_what_was_typed(db, cog_sample):
    """After an error the field shows the text typed and marks itself invalid."""
    form = PlaceForm({"territoire": "Sainte-Marie"})
    form.is_valid()
    html = str(form["territoire"])
    assert 'value="Sainte-Marie"' in html
    assert 'aria-invalid="true"' in html


def test_initial_commune_is_shown_with_its_code(db, cog_sample):
    """A form opened on a commune shows its label and carries its code."""
    form = PlaceForm(initial={"territoire": Commune.objects.get(code="18197")})
    html = " ".join(str(form["territoire"]).split())
    assert 'value="Saint-Amand-Montrond (18)"' in html
    assert 'name="territoire_code" value="18197"' in html
