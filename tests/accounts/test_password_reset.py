"""Password reset by email: the request never reveals whether an address has an
account; the emailed link sets a new password once."""

import re

from territoria.accounts.models import AuditEvent, LoginFailure
from tests.factories import PASSWORD

RESET = "/compte/mot-de-passe/oublie/"
LINK = re.compile(r"http://127\.0\.0\.1:8000(/compte/mot-de-passe/nouveau/[^/\s]+/[^/\s]+/)")
NEW_PASSWORD = "un-nouveau-mot-de-passe-solide"


def request_reset(client, email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(RESET, {"email": email})


def test_reset_mails_a_link_that_sets_a_new_password(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    """A known address receives one email whose link lets the person choose a new
    password, which then signs them in."""
    response = request_reset(client, "agent@saint-amand.fr", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == "/compte/mot-de-passe/oublie/envoye/"
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["agent@saint-amand.fr"]
    assert message.subject == "Réinitialisation de votre mot de passe sur Territoria"
    link = LINK.search(message.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done["Location"] == "/compte/mot-de-passe/nouveau/termine/"
    world.agent_saint_amand.refresh_from_db()
    assert world.agent_saint_amand.check_password(NEW_PASSWORD)
    login = client.post(
        "/compte/connexion/", {"email": "agent@saint-amand.fr", "password": NEW_PASSWORD}
    )
    assert login.status_code == 302


def test_unknown_address_gets_the_same_answer_and_no_email(
    db, client, mailoutbox, django_capture_on_commit_callbacks
):
    """An address without an account gets the same page, and no email is sent."""
    response = request_reset(client, "personne@nulle-part.fr", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == "/compte/mot-de-passe/oublie/envoye/"
    assert mailoutbox == []
    page = client.get(response["Location"])
    assert "Si un compte existe pour cette adresse" in page.content.decode()


def test_reset_link_works_once(world, client, mailoutbox, django_capture_on_commit_callbacks):
    """Once used, the link no longer sets a password."""
    request_reset(client, "agent@saint-amand.fr", django_capture_on_commit_callbacks)
    link = LINK.search(mailoutbox[0].body).group(1)
    url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = client.get(link, follow=True)
    assert again.context["validlink"] is False
    assert "n'est pas valide" in again.content.decode()


def test_reset_is_audited_and_lifts_the_lockout(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    """Setting a password from the emailed link is logged and forgets the address's
    failed logins (the person proved the address is theirs)."""
    for _ in range(5):
        client.post("/compte/connexion/", {"email": "agent@saint-amand.fr", "password": "x"})
    request_reset(client, "agent@saint-amand.fr", django_capture_on_commit_callbacks)
    url = client.get(LINK.search(mailoutbox[0].body).group(1), follow=True).redirect_chain[-1][0]
    client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert LoginFailure.objects.count() == 0
    event = AuditEvent.objects.get(action="account.password_reset")
    assert event.actor == world.agent_saint_amand
    assert event.object_id == str(world.agent_saint_amand.pk)


def test_mismatched_passwords_change_nothing(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    """Two different passwords are refused and the old password still works."""
    request_reset(client, "agent@saint-amand.fr", django_capture_on_commit_callbacks)
    url = client.get(LINK.search(mailoutbox[0].body).group(1), follow=True).redirect_chain[-1][0]
    response = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": "autre-chose-123"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    world.agent_saint_amand.refresh_from_db()
    assert world.agent_saint_amand.check_password(PASSWORD)
