"""Voter verification through OpenID Connect against a real provider on loopback: the
app discovers it, sends the person there, exchanges the code over HTTP and checks the
id_token; state, nonce and signature mismatches are refused."""

import datetime
import http.client
import urllib.parse

from django.urls import reverse

import pytest
from joserfc.jwk import RSAKey

from territoria.accounts.actions import ActionError
from territoria.participation import budget_actions
from territoria.participation.models import Ballot, Campaign, Voter
from tests.participation.factories import voting_campaign
from tests.participation.oidc_provider import Provider

IDENTITY = {"given_name": "Camille", "family_name": "MARTIN", "birthdate": "1985-04-12"}


@pytest.fixture
def provider(settings):
    with Provider(IDENTITY) as running:
        settings.PARTICIPATION_OIDC_ISSUER = running.issuer
        settings.PARTICIPATION_OIDC_CLIENT_ID = running.client_id
        settings.PARTICIPATION_OIDC_CLIENT_SECRET = running.client_secret
        yield running


@pytest.fixture
def campaign(world):
    campaign, _projects, _ = voting_campaign(world.saint_amand, world.agent_saint_amand)
    Campaign.objects.filter(pk=campaign.pk).update(allow_oidc=True)
    return Campaign.objects.get(pk=campaign.pk)


def _kwargs(campaign):
    return {"slug": campaign.collectivite.slug, "campaign": campaign.slug}


def _authorize(location: str) -> str:
    """Follow the provider's /authorize over real HTTP; returns the redirect back."""
    url = urllib.parse.urlsplit(location)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=5)
    connection.request("GET", f"{url.path}?{url.query}")
    response = connection.getresponse()
    assert response.status == 302
    back = response.getheader("Location")
    connection.close()
    return back


def _go(client, campaign):
    start = client.post(reverse("participation:oidc_start", kwargs=_kwargs(campaign)))
    assert start.status_code == 302
    back = urllib.parse.urlsplit(_authorize(start.url))
    assert back.path == reverse("participation:oidc_callback")
    return back


@pytest.mark.parametrize(
    ("userinfo_jwt", "auth"),
    [(False, "client_secret_basic"), (True, "client_secret_post")],
    ids=["json_basic_case", "signed_jwt_post_case"],
)
def test_a_resident_verified_by_the_provider_votes_once(
    client, provider, campaign, userinfo_jwt, auth
):
    """The full flow leads to the ballot; the same person cannot vote again by census."""
    provider.userinfo_jwt = userinfo_jwt
    provider.auth_methods = [auth]
    back = _go(client, campaign)
    response = client.get(f"{back.path}?{back.query}")
    assert response.status_code == 302
    assert response.url == reverse("participation:ballot", kwargs=_kwargs(campaign))
    project = campaign.projects.filter(status="feasible").first()
    assert client.post(response.url, {"projects": [project.pk]}).status_code == 302
    assert list(Voter.objects.values_list("channel", flat=True)) == ["oidc"]
    with pytest.raises(ActionError) as again:
        budget_actions.verify_census(campaign, "Martin", "Camille", datetime.date(1985, 4, 12))
    assert again.value.code == "already_voted"


def test_a_forged_state_is_refused(client, provider, campaign):
    """A callback whose state differs from the session's is refused."""
    back = _go(client, campaign)
    query = dict(urllib.parse.parse_qsl(back.query)) | {"state": "forged"}
    response = client.get(back.path + "?" + urllib.parse.urlencode(query))
    assert response.status_code == 400
    assert Voter.objects.count() == 0


def test_a_wrong_nonce_is_refused(client, provider, campaign):
    """An id_token carrying another nonce is refused."""
    provider.nonce_override = "another-nonce"
    back = _go(client, campaign)
    assert client.get(f"{back.path}?{back.query}").status_code == 400
    assert "participation_voter" not in client.session


def test_an_id_token_signed_by_an_unknown_key_is_refused(client, provider, campaign):
    """A signature made with a key absent from the provider's JWKS is refused."""
    provider.signing_key = RSAKey.generate_key(2048, parameters={"kid": "test-key"})
    back = _go(client, campaign)
    assert client.get(f"{back.path}?{back.query}").status_code == 400
    assert Ballot.objects.count() == 0


def test_a_person_outside_the_census_is_refused(client, provider, campaign):
    """With a census imported, a provider identity absent from it cannot vote."""
    provider.identity = {**IDENTITY, "given_name": "Dominique"}
    back = _go(client, campaign)
    response = client.get(f"{back.path}?{back.query}", follow=True)
    assert "Nous ne trouvons pas cette personne" in response.content.decode()
    assert Voter.objects.count() == 0
