"""Brute-force lockout: failed logins are counted in the database, per email and per
address, and block further attempts for a while."""

import datetime

from django.utils import timezone

import pytest

from territoria.accounts import lockout
from territoria.accounts.models import LoginFailure
from tests.factories import PASSWORD

LOGIN = "/compte/connexion/"
EMAIL = "agent@saint-amand.fr"


def fail(client, email=EMAIL, ip="192.0.2.10"):
    return client.post(LOGIN, {"email": email, "password": "mauvais"}, REMOTE_ADDR=ip)


def succeed(client, email=EMAIL, ip="192.0.2.10"):
    return client.post(LOGIN, {"email": email, "password": PASSWORD}, REMOTE_ADDR=ip)


def age_failures(minutes, **filters):
    """Move failures back in time instead of waiting."""
    LoginFailure.objects.filter(**filters).update(
        at=timezone.now() - datetime.timedelta(minutes=minutes)
    )


def test_four_failures_do_not_lock(world, client):
    """Below the limit, the right password still works."""
    for _ in range(4):
        fail(client)
    assert succeed(client).status_code == 302


def test_five_failures_lock_even_the_right_password(world, client):
    """After 5 failures in 15 minutes, the right password is refused with a French
    message saying when to retry, and nobody is signed in."""
    for _ in range(5):
        fail(client)
    response = succeed(client)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    body = response.content.decode()
    assert "Trop de tentatives de connexion ont échoué." in body
    assert "réessayez dans 15 minutes" in body


def test_the_fifth_failure_already_says_locked(world, client):
    """The attempt that reaches the limit is told about the lock at once."""
    for _ in range(4):
        assert fail(client).status_code == 200
    assert fail(client).status_code == 429


def test_attempts_while_locked_are_not_counted(world, client):
    """Refused attempts during a lock do not extend it."""
    for _ in range(5):
        fail(client)
    fail(client)
    succeed(client)
    assert LoginFailure.objects.filter(email=EMAIL).count() == 5


def test_lock_lifts_after_the_window(world, client):
    """Once the failures are older than 15 minutes, the right password works again."""
    for _ in range(5):
        fail(client)
    age_failures(16)
    response = succeed(client)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.agent_saint_amand.pk)


def test_retry_time_follows_the_oldest_counted_failure(world, client):
    """The lock ends 15 minutes after the fifth most recent failure."""
    for _ in range(5):
        fail(client)
    age_failures(10)
    response = succeed(client)
    assert response.status_code == 429
    assert "réessayez dans 5 minutes" in response.content.decode()


def test_lock_is_per_email(world, client):
    """Locking one address leaves other people's logins alone."""
    for _ in range(5):
        fail(client)
    response = succeed(client, email="admin@saint-amand.fr", ip="192.0.2.99")
    assert response.status_code == 302


def test_unknown_email_locks_like_a_real_one(world, client):
    """Addresses without an account lock the same way: the lock reveals nothing."""
    for _ in range(5):
        fail(client, email="inconnu@exemple.fr")
    assert fail(client, email="inconnu@exemple.fr").status_code == 429


def test_success_clears_the_failures_of_the_email(world, client):
    """A successful login forgets the email's past failures."""
    for _ in range(3):
        fail(client)
    succeed(client)
    assert LoginFailure.objects.filter(email=EMAIL).count() == 0


def test_one_address_trying_many_emails_is_locked(world, client, settings):
    """From one IP address, 20 failures across different emails lock that address,
    even for an email with no failure of its own."""
    for n in range(20):
        fail(client, email=f"essai{n}@exemple.fr", ip="198.51.100.7")
    assert succeed(client, ip="198.51.100.7").status_code == 429
    assert succeed(client, ip="198.51.100.8").status_code == 302


def test_old_failures_are_purged_on_write(world, client):
    """Recording a failure deletes the rows older than the window."""
    fail(client, email="ancien@exemple.fr")
    age_failures(20, email="ancien@exemple.fr")
    fail(client)
    assert list(LoginFailure.objects.values_list("email", flat=True)) == [EMAIL]


def test_purge_task_deletes_expired_failures(world):
    """The purge task keeps only the failures that still count."""
    from territoria.accounts.tasks import purge_login_failures

    LoginFailure.objects.create(email="a@exemple.fr")
    LoginFailure.objects.create(email="b@exemple.fr")
    age_failures(30, email="a@exemple.fr")
    result = purge_login_failures.enqueue()
    assert result.return_value == 1
    assert list(LoginFailure.objects.values_list("email", flat=True)) == ["b@exemple.fr"]


@pytest.mark.parametrize(
    ("proxied", "forwarded", "expected"),
    [
        pytest.param(False, "203.0.113.5", "192.0.2.1", id="direct_ignores_header_case"),
        pytest.param(True, "10.0.0.1, 203.0.113.5", "203.0.113.5", id="behind_proxy_case"),
    ],
)
def test_client_address(rf, settings, proxied, forwarded, expected):
    """X-Forwarded-For is trusted only behind the TLS proxy, and only its last entry."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if proxied else None
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="192.0.2.1")
    assert lockout.client_ip(request) == expected
