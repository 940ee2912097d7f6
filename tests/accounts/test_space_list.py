""" "Mon espace" lists exactly the person's collectivités and roles."""

from territoria.accounts.enums import Role
from territoria.accounts.models import AuditEvent, Membership

SPACE = "/compte/espace/"


def test_space_lists_exactly_my_collectivites_and_roles(world, client):
    """An élu of Niort who is also agent of Orval sees those two, with their roles."""
    Membership.objects.create(user=world.elu_niort, collectivite=world.orval, role=Role.AGENT)
    client.force_login(world.elu_niort)
    response = client.get(SPACE)
    rows = [
        (r["collectivite"].slug, r["membership"].get_role_display())
        for r in response.context["rows"]
    ]
    assert rows == [("niort", "Élu·e"), ("orval", "Agent")]
    body = response.content.decode()
    assert 'href="/c/niort/"' in body
    assert "Saint-Amand-Montrond" not in body
    assert "/membres/" not in body


def test_admin_sees_members_and_journal_links(world, client):
    """An admin gets links to the members page and the journal of their collectivité."""
    client.force_login(world.admin_saint_amand)
    body = client.get(SPACE).content.decode()
    assert 'href="/compte/espace/saint-amand-montrond/membres/"' in body
    assert 'href="/compte/espace/saint-amand-montrond/journal/"' in body
    assert 'href="/admin/"' not in body.split('<main id="contenu"')[1]


def test_operator_gets_the_admin_link(world, client):
    """An operator gets a link to the administration and to every collectivité's members."""
    client.force_login(world.operator)
    response = client.get(SPACE)
    assert response.context["rows"] == []
    body = response.content.decode().split('<main id="contenu"')[1]
    assert 'href="/admin/"' in body
    assert 'href="/compte/espace/niort/membres/"' in body


def test_citizen_has_no_collectivite(world, client):
    """A person without a role sees an explanation, no collectivité."""
    client.force_login(world.citizen)
    response = client.get(SPACE)
    assert response.context["rows"] == []
    assert "Vous n'êtes membre d'aucune collectivité" in response.content.decode()


def test_change_my_name(world, client):
    """A person changes their name from Mon compte; the change is logged."""
    client.force_login(world.citizen)
    response = client.post("/compte/mon-compte/", {"full_name": "Camille Dupont"})
    assert response["Location"] == "/compte/mon-compte/"
    world.citizen.refresh_from_db()
    assert world.citizen.full_name == "Camille Dupont"
    event = AuditEvent.objects.get(action="account.updated")
    assert event.changes == {"full_name": ["Camille Citoyenne", "Camille Dupont"]}


def test_empty_name_is_refused(world, client):
    """An empty name is a field error; nothing changes."""
    client.force_login(world.citizen)
    response = client.post("/compte/mon-compte/", {"full_name": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors == {"full_name": ["Ce champ est obligatoire."]}
    world.citizen.refresh_from_db()
    assert world.citizen.full_name == "Camille Citoyenne"
    assert AuditEvent.objects.count() == 0


def test_each_role_gets_its_shortcuts(world, client):
    """An agent goes straight to the reports to handle and the open alerts, with their
    counts; an élu to the plan and the funding; neither sees the other's."""
    from tests.reports.factories import make_category, make_report

    make_report(make_category(world.niort), commune=world.niort.commune)
    client.force_login(world.agent_niort)
    rows = client.get(SPACE).context["rows"]
    labels = {s.label: s for s in rows[0]["shortcuts"]}
    assert labels["Signalements à traiter"].url == "/signalements/niort/gestion/"
    assert labels["Signalements à traiter"].count == 1
    assert labels["Alertes des capteurs en cours"].count == 0
    assert "Feuille de route" not in labels

    client.force_login(world.elu_niort)
    body = client.get(SPACE).content.decode()
    assert "Feuille de route" in body and "Financements possibles" in body
    assert "Signalements à traiter" not in body


def test_the_space_query_count_does_not_grow_with_memberships(
    world, client, django_assert_max_num_queries
):
    client.force_login(world.agent_niort)
    client.get(SPACE)
    for collectivite in (world.orval, world.saint_amand):
        Membership.objects.create(
            user=world.agent_niort, collectivite=collectivite, role=Role.AGENT
        )
    with django_assert_max_num_queries(16):
        assert client.get(SPACE).status_code == 200
