"""Two members joining at the same moment, through a real server on PostgreSQL: no
quantity is ever lost, no request fails."""

import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

import pytest

from territoria.accounts.enums import Role
from territoria.purchasing.convention import convention
from territoria.purchasing.models import Need
from tests.factories import make_member
from tests.purchasing.factories import make_campaign
from tests.serving import free_port, territoria

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 12

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def server(tmp_path):
    """`territoria serve` on the test database, on a free port of 127.0.0.1."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are a PostgreSQL deployment's case")
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": url,
        "SECRET_KEY": settings.SECRET_KEY,
        "TERRITORIA_VAR_DIR": str(tmp_path),
        "WEB_WORKERS": "2",
        "TASK_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
    }
    with territoria(["serve", "--port", str(port)], env, tmp_path / "serve.log") as base:
        yield base


class Member:
    """A logged-in agent's browser: session cookie, CSRF token, the join form."""

    def __init__(self, base, user, campaign):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        self.session = session.session_key
        self.page = f"{base}{campaign.get_absolute_url()}"
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.addheaders = [("Cookie", f"sessionid={self.session}")]
        html = opener.open(self.page).read().decode()
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        self.csrf_cookie = next(c.value for c in jar if c.name == "csrftoken")
        self.join_url = f"{base}/achats-groupes/{campaign.pk}/adherer/"
        self.opener = urllib.request.build_opener(NoRedirect)

    def post(self, form) -> tuple[int, str]:
        """POST the join form; the answer is a redirect to the campaign page."""
        data = urllib.parse.urlencode(form | {"csrfmiddlewaretoken": self.token}).encode()
        request = urllib.request.Request(self.join_url, data=data, method="POST")  # noqa: S310
        request.add_header("Cookie", f"sessionid={self.session}; csrftoken={self.csrf_cookie}")
        request.add_header("Referer", self.page)
        try:
            self.opener.open(request)
        except urllib.error.HTTPError as answer:
            return answer.code, answer.headers.get("Location", "")
        return 200, ""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_simultaneous_joins_never_lose_a_quantity(world, server):
    """Round after round, two communes post their needs at the same instant: each keeps
    exactly its last quantity and the group volume is their sum."""
    orval_agent = make_member(world.orval, Role.AGENT, "agent@orval.fr")
    campaign = make_campaign(world)
    lot = campaign.lots.get()
    members = [
        (Member(server, world.agent_saint_amand, campaign), world.saint_amand, 100),
        (Member(server, orval_agent, campaign), world.orval, 1),
    ]
    barrier = threading.Barrier(len(members))
    statuses, errors = [], []

    def run(member, collectivite, base):
        for round_ in range(ROUNDS):
            form = {
                "member": collectivite.pk,
                "deliberation_ref": f"DEL-{collectivite.slug}",
                "deliberation_date": "2026-01-15",
                f"lot_{lot.pk}": str(base + round_),
            }
            barrier.wait(timeout=30)
            try:
                statuses.append(member.post(form))
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(repr(error))

    threads = [threading.Thread(target=run, args=m) for m in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    campaign_url = campaign.get_absolute_url()
    assert statuses == [(302, campaign_url)] * (ROUNDS * len(members))
    needs = dict(Need.objects.values_list("participant__collectivite__slug", "quantity"))
    assert needs == {"saint-amand-montrond": 100 + ROUNDS - 1, "orval": ROUNDS}
    assert convention(campaign).lots[0].volume == 100 + ROUNDS - 1 + ROUNDS
