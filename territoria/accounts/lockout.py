"""Brute-force lockout: too many failed logins for an email, or from one address,
refuse further attempts for a while, even with the right password.

Failures live in the database (`LoginFailure`) so that every web worker counts the
same attempts. The same rules apply whether the email has an account or not, so the
lockout never reveals which addresses exist.
"""

import datetime
import math
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from territoria.accounts.models import LoginFailure

# Several people may share one address (a town hall behind one NAT), hence a higher limit.


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def window() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def email_limit() -> int:
    return settings.LOGIN_LOCKOUT_ATTEMPTS


def ip_limit() -> int:
    return settings.LOGIN_LOCKOUT_IP_ATTEMPTS


def client_ip(request) -> str | None:
    """The client's address. Behind the TLS proxy of docs/deployment.md (HTTPS=true),
    the proxy appends the real address as the last X-Forwarded-For entry."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR") or None


@dataclass(frozen=True)
class Lock:
    until: datetime.datetime

    @property
    def message(self) -> str:
        minutes = max(1, math.ceil((self.until - timezone.now()).total_seconds() / 60))
        at = timezone.localtime(self.until).strftime("%H:%M")
        wait = ngettext("dans %(minutes)d minute", "dans %(minutes)d minutes", minutes) % {
            "minutes": minutes
        }
        return _(
            "Trop de tentatives de connexion ont échoué. Par sécurité, la connexion est "
            "bloquée : réessayez %(wait)s (à partir de %(at)s). Si vous avez oublié votre "
            "mot de passe, vous pouvez le réinitialiser."
        ) % {"wait": wait, "at": at}


def _lock_from(failures, limit: int) -> Lock | None:
    """Locked until the `limit`-th most recent failure leaves the window."""
    times = list(failures.order_by("-at").values_list("at", flat=True)[:limit])
    if len(times) < limit:
        return None
    return Lock(until=times[limit - 1] + window())


def check(email: str, ip: str | None) -> Lock | None:
    """The lock on this email or address, if any."""
    since = timezone.now() - window()
    recent = LoginFailure.objects.filter(at__gt=since)
    lock = _lock_from(recent.filter(email=normalize_email(email)), email_limit())
    if lock is None and ip:
        lock = _lock_from(recent.filter(ip=ip), ip_limit())
    return lock


def record_failure(email: str, ip: str | None) -> None:
    """Count a failed attempt; rows older than the window are purged on the way."""
    purge()
    LoginFailure.objects.create(email=normalize_email(email)[:254], ip=ip)


def clear(email: str) -> None:
    """A successful login (or password reset) forgets the email's failures."""
    LoginFailure.objects.filter(email=normalize_email(email)).delete()


def purge() -> int:
    """Delete failures that no longer count; returns how many."""
    deleted, _counts = LoginFailure.objects.filter(at__lte=timezone.now() - window()).delete()
    return deleted
