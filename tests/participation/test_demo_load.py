"""The demo: Niort's idea box and consultation, Arras voting, Cahors in review."""

from territoria.accounts.enums import Role
from territoria.participation import demo
from territoria.participation.models import Ballot, Campaign, Consultation, Idea, VoteCode
from tests.factories import make_collectivite, make_commune, make_member, make_user


def test_the_demo_loads_once_and_keeps_codes_out_of_the_database(world, settings, tmp_path):
    """Loading twice adds nothing; Arras's letters are written to a file, not stored."""
    settings.VAR_DIR = tmp_path
    arras = make_collectivite(make_commune("62041", "Arras", population=41_000), "arras")
    cahors = make_collectivite(make_commune("46042", "Cahors", population=19_000), "cahors")
    make_user("habitante@demo.test")
    for place in (world.niort, arras, cahors):
        make_member(place, Role.AGENT, f"agent.{place.slug}@demo.test")
    demo.load([world.niort, arras, cahors])
    demo.load([world.niort, arras, cahors])
    assert Idea.objects.of(world.niort).count() == 6
    assert Idea.objects.of(world.niort).published().count() == 5
    assert Consultation.objects.get().responses.count() == 64
    voting = Campaign.objects.get(collectivite=arras)
    assert voting.is_voting_open
    assert 0 < Ballot.objects.filter(campaign=voting).count() <= 60
    assert Campaign.objects.get(collectivite=cahors).phase == "review"
    letters = (tmp_path / "participation" / "courriers-arras.csv").read_text().splitlines()
    assert len(letters) == 241 == VoteCode.objects.filter(campaign=voting).count() + 1
    code = letters[1].split(";")[-1]
    assert not VoteCode.objects.filter(code_hash__contains=code).exists()
