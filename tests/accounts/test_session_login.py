"""Signing in by email and password, and signing out."""

from django.urls import reverse

import pytest

from territoria.accounts.models import LoginFailure
from tests.factories import PASSWORD

LOGIN = "/compte/connexion/"


def test_login_url_is_in_french():
    """The login page lives at /compte/connexion/ and logout at /compte/deconnexion/."""
    assert reverse("accounts:login") == LOGIN
    assert reverse("accounts:logout") == "/compte/deconnexion/"


def test_login_with_email_and_password_opens_mon_espace(world, client):
    """The right email and password sign the person in and lead to Mon espace."""
    response = client.post(LOGIN, {"email": "agent@saint-amand.fr", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/compte/espace/"
    assert client.session["_auth_user_id"] == str(world.agent_saint_amand.pk)


def test_login_email_is_case_insensitive(world, client):
    """The email address is matched whatever its case and surrounding spaces."""
    response = client.post(LOGIN, {"email": " Agent@Saint-Amand.FR ", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.agent_saint_amand.pk)


def test_wrong_password_is_refused_with_a_french_message(world, client):
    """A wrong password signs nobody in, says so in French and counts one failure."""
    response = client.post(LOGIN, {"email": "agent@saint-amand.fr", "password": "mauvais"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Adresse électronique ou mot de passe incorrect." in response.content.decode()
    assert list(LoginFailure.objects.values_list("email", flat=True)) == ["agent@saint-amand.fr"]


def test_unknown_email_gets_the_same_answer_as_a_wrong_password(world, client):
    """An address without an account is refused with the same message (no enumeration)."""
    wrong = client.post(LOGIN, {"email": "agent@saint-amand.fr", "password": "mauvais"})
    unknown = client.post(LOGIN, {"email": "personne@nulle-part.fr", "password": "mauvais"})
    assert unknown.status_code == wrong.status_code == 200
    assert unknown.context["form"].non_field_errors() == wrong.context["form"].non_field_errors()


def test_errors_are_tied_to_fields_and_summarised(world, client):
    """A form with errors announces a summary (role=alert) and marks each field invalid,
    described by its error message."""
    response = client.post(LOGIN, {"email": "pas-une-adresse", "password": ""})
    body = response.content.decode()
    assert 'class="form-errors" role="alert"' in body
    assert 'aria-invalid="true"' in body
    assert 'aria-describedby="id_email_error"' in body
    assert 'id="id_email_error"' in body
    assert 'href="#id_password"' in body
    assert 'autocomplete="current-password"' in body
    assert 'autocomplete="email"' in body


def test_next_url_on_this_site_is_followed(world, client):
    """After signing in, a `next` URL on this site is followed."""
    response = client.post(
        f"{LOGIN}?next=/compte/mon-compte/", {"email": "agent@saint-amand.fr", "password": PASSWORD}
    )
    assert response["Location"] == "/compte/mon-compte/"


def test_next_url_elsewhere_is_ignored(world, client):
    """A `next` URL on another site is ignored (no open redirect)."""
    response = client.post(
        f"{LOGIN}?next=https://exemple.com/piege",
        {"email": "agent@saint-amand.fr", "password": PASSWORD},
    )
    assert response["Location"] == "/compte/espace/"


def test_inactive_account_cannot_sign_in(world, client):
    """A deactivated account is refused like a wrong password."""
    world.agent_saint_amand.is_active = False
    world.agent_saint_amand.save()
    response = client.post(LOGIN, {"email": "agent@saint-amand.fr", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_by_get_is_refused_and_keeps_the_session(world, client):
    """Opening the logout URL (GET) signs nobody out: logout is POST only."""
    client.force_login(world.agent_saint_amand)
    response = client.get("/compte/deconnexion/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert client.session["_auth_user_id"] == str(world.agent_saint_amand.pk)


def test_logout_by_post_ends_the_session(world, client):
    """Posting to the logout URL signs the person out and goes to the home page."""
    client.force_login(world.agent_saint_amand)
    response = client.post("/compte/deconnexion/")
    assert response.status_code == 302
    assert response["Location"] == reverse("territories:home")
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "url", ["/compte/espace/", "/compte/mon-compte/", "/compte/mot-de-passe/changer/"]
)
def test_private_account_pages_ask_to_sign_in(client, db, url):
    """Account pages send a visitor to the login page, then back."""
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={url}"
