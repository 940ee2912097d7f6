"""The search index follows territories saved outside the import."""

from territoria.territories.models import Epci
from territoria.territories.search import search
from tests.factories import make_commune


def codes(query):
    return [result["code"] for result in search(query)]


def test_communes_saved_through_the_orm_are_searchable(db):
    """A commune created or renamed outside the import is indexed on save."""
    commune = make_commune("99001", "Villeneuve-d'Essai", population=1234, postal_codes=["99100"])
    assert codes("villeneuve dessai") == ["99001"]
    assert codes("99100") == ["99001"]
    commune.name = "Bourg-Nouveau"
    commune.save()
    assert codes("villeneuve") == []
    assert codes("bourg nouveau") == ["99001"]
    epci = Epci(siren="299000001", name="CC de l'Essai", kind="CC", population=5000)
    epci.save()
    assert codes("cc essai") == ["299000001"]
