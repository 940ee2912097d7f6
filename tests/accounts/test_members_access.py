"""Who may open a collectivité's members page and journal: its admins and the
operators; a member without the admin role gets 403; anyone else 404."""

import pytest

from territoria.accounts.enums import Role
from territoria.accounts.models import Membership

BASE = "/compte/espace/saint-amand-montrond"
PAGES = [pytest.param("membres/", id="members_case"), pytest.param("journal/", id="journal_case")]


@pytest.mark.parametrize("page", PAGES)
def test_admin_and_operator_open_the_page(world, client, page):
    """The collectivité's admin and the operator get the page."""
    for person in (world.admin_saint_amand, world.operator):
        client.force_login(person)
        assert client.get(f"{BASE}/{page}").status_code == 200


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("persona", ["agent_niort", "elu_niort", "citizen", "provider", "agent_cc"])
def test_people_without_a_role_here_get_404(world, client, page, persona):
    """Members of other collectivités (even its EPCI) and people without a role do not
    learn that the private page exists."""
    client.force_login(getattr(world, persona))
    assert client.get(f"{BASE}/{page}").status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_member_without_admin_role_gets_403(world, client, page):
    """An agent of the collectivité is refused (403)."""
    client.force_login(world.agent_saint_amand)
    assert client.get(f"{BASE}/{page}").status_code == 403


def test_unknown_collectivite_is_404(world, client):
    """An unknown slug is 404, even for an operator."""
    client.force_login(world.operator)
    assert client.get("/compte/espace/nulle-part/membres/").status_code == 404


def test_visitor_is_sent_to_login(world, client):
    """A visitor is asked to sign in."""
    response = client.get(f"{BASE}/membres/")
    assert response.status_code == 302
    assert response["Location"] == f"/compte/connexion/?next={BASE}/membres/"


@pytest.mark.parametrize(
    "suffix", ["membres/inviter/", "membres/{pk}/role/", "membres/{pk}/retirer/"]
)
def test_writes_are_refused_to_non_admins(world, client, suffix):
    """An agent's posts to the admin actions are refused (403) and change nothing."""
    agent = Membership.objects.get(user=world.agent_saint_amand)
    client.force_login(world.agent_saint_amand)
    url = f"{BASE}/{suffix.format(pk=agent.pk)}"
    data = {"email": "x@exemple.fr", "role": Role.ADMIN, f"m{agent.pk}-role": Role.ADMIN}
    assert client.post(url, data).status_code == 403
    assert Membership.objects.get(pk=agent.pk).role == Role.AGENT


def test_members_page_lists_members_and_shows_buttons_from_abilities(world, client, invite):
    """The page lists members with roles and pending invitations; the last admin has no
    role or remove button."""
    invite(email="nouvelle@exemple.fr")
    client.force_login(world.admin_saint_amand)
    response = client.get(f"{BASE}/membres/")
    rows = {row["membership"].user.email: row for row in response.context["rows"]}
    assert sorted(rows) == ["admin@saint-amand.fr", "agent@saint-amand.fr"]
    assert rows["agent@saint-amand.fr"]["can"] == {"view": True, "change": True, "delete": True}
    assert rows["admin@saint-amand.fr"]["last_admin"] is True
    body = response.content.decode()
    agent = Membership.objects.get(user=world.agent_saint_amand)
    admin = Membership.objects.get(user=world.admin_saint_amand)
    assert f"/membres/{agent.pk}/retirer/" in body
    assert f"/membres/{admin.pk}/retirer/" not in body
    assert [i["invitation"].email for i in response.context["invitations"]] == [
        "nouvelle@exemple.fr"
    ]


def test_members_page_query_count_is_bounded(world, client, django_assert_max_num_queries):
    """The members page costs the same few queries whatever the number of members."""
    from tests.factories import make_member

    for n in range(15):
        make_member(world.saint_amand, Role.AGENT, f"agent{n}@saint-amand.fr")
    client.force_login(world.admin_saint_amand)
    with django_assert_max_num_queries(12):
        assert client.get(f"{BASE}/membres/").status_code == 200
