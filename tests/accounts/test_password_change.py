"""A signed-in person changes their password."""

from territoria.accounts.models import AuditEvent
from tests.factories import PASSWORD

CHANGE = "/compte/mot-de-passe/changer/"
NEW_PASSWORD = "un-nouveau-mot-de-passe-solide"


def test_password_change_keeps_the_session_and_is_audited(world, client):
    """With the current password, the new one is saved, the person stays signed in,
    and the change is logged."""
    client.force_login(world.elu_niort)
    response = client.post(
        CHANGE,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/compte/mon-compte/"
    world.elu_niort.refresh_from_db()
    assert world.elu_niort.check_password(NEW_PASSWORD)
    assert client.get("/compte/espace/").status_code == 200
    event = AuditEvent.objects.get(action="account.password_changed")
    assert (event.actor, event.collectivite) == (world.elu_niort, None)


def test_wrong_current_password_changes_nothing(world, client):
    """A wrong current password is refused and nothing is logged."""
    client.force_login(world.elu_niort)
    response = client.post(
        CHANGE,
        {"old_password": "faux", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert 'id="id_old_password_error"' in response.content.decode()
    world.elu_niort.refresh_from_db()
    assert world.elu_niort.check_password(PASSWORD)
    assert AuditEvent.objects.count() == 0


def test_weak_password_is_refused(world, client):
    """The password rules apply (at least 10 characters)."""
    client.force_login(world.elu_niort)
    response = client.post(
        CHANGE, {"old_password": PASSWORD, "new_password1": "court", "new_password2": "court"}
    )
    assert response.status_code == 200
    world.elu_niort.refresh_from_db()
    assert world.elu_niort.check_password(PASSWORD)
