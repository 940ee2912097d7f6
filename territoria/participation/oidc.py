"""OpenID Connect relying party for voter verification (FranceConnect-compatible).

Authorization code flow: discovery document, `state` and `nonce` kept in the session,
the code exchanged at the token endpoint over a direct HTTP call, the id_token's
signature checked against the provider's JWKS (RS256/ES256), then iss, aud, exp and
nonce; the identity claims come from the id_token and the userinfo endpoint (a JSON
object, or a signed JWT as FranceConnect v2 returns).
"""

import base64
import json
import secrets
import time
import urllib.parse
import urllib.request

from django.conf import settings

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

TIMEOUT = 10
ALGORITHMS = ["RS256", "ES256", "PS256"]
_cache: dict[str, tuple[float, dict]] = {}


class OIDCError(Exception):
    pass


def enabled() -> bool:
    return bool(settings.PARTICIPATION_OIDC_ISSUER and settings.PARTICIPATION_OIDC_CLIENT_ID)


def _get_json(url: str, headers: dict | None = None) -> tuple[str, bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            return response.headers.get_content_type(), response.read()
    except OSError as error:
        raise OIDCError(f"{url}: {error}") from error


def discovery() -> dict:
    issuer = settings.PARTICIPATION_OIDC_ISSUER.rstrip("/")
    cached = _cache.get(issuer)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    _type, body = _get_json(issuer + "/.well-known/openid-configuration")
    document = json.loads(body)
    if document.get("issuer", "").rstrip("/") != issuer:
        raise OIDCError("issuer mismatch in discovery document")
    _cache[issuer] = (time.monotonic() + 3600, document)
    return document


def authorization_url(redirect_uri: str) -> tuple[str, str, str]:
    """(URL to send the person to, state, nonce)."""
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    query = urllib.parse.urlencode(
        {
            "response_type": "code",
            "client_id": settings.PARTICIPATION_OIDC_CLIENT_ID,
            "redirect_uri": redirect_uri,
            "scope": settings.PARTICIPATION_OIDC_SCOPES,
            "state": state,
            "nonce": nonce,
            "acr_values": "eidas1",
        }
    )
    return f"{discovery()['authorization_endpoint']}?{query}", state, nonce


def _keys() -> KeySet:
    _type, body = _get_json(discovery()["jwks_uri"])
    return KeySet.import_key_set(json.loads(body))


def _decode(token: str) -> dict:
    try:
        return dict(jwt.decode(token, _keys(), algorithms=ALGORITHMS).claims)
    except (JoseError, ValueError) as error:
        raise OIDCError(f"invalid signature: {error}") from error


def exchange(code: str, redirect_uri: str, nonce: str) -> dict:
    """The verified identity claims for an authorization code."""
    document = discovery()
    client_id = settings.PARTICIPATION_OIDC_CLIENT_ID
    secret = settings.PARTICIPATION_OIDC_CLIENT_SECRET
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    # One client authentication method per request (RFC 6749 §2.3): Basic, the default,
    # unless the provider only takes the secret in the form.
    methods = document.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    if "client_secret_basic" in methods:
        pair = f"{urllib.parse.quote_plus(client_id)}:{urllib.parse.quote_plus(secret)}"
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
    else:
        form |= {"client_id": client_id, "client_secret": secret}
    request = urllib.request.Request(  # noqa: S310
        document["token_endpoint"], data=urllib.parse.urlencode(form).encode(), headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            tokens = json.loads(response.read())
    except OSError as error:
        raise OIDCError(f"token endpoint: {error}") from error
    claims = _decode(tokens.get("id_token", ""))
    now = time.time()
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if claims.get("iss", "").rstrip("/") != document["issuer"].rstrip("/"):
        raise OIDCError("wrong issuer")
    if client_id not in audiences:
        raise OIDCError("wrong audience")
    if not isinstance(claims.get("exp"), int | float) or claims["exp"] < now - 60:
        raise OIDCError("expired id_token")
    if not nonce or claims.get("nonce") != nonce:
        raise OIDCError("nonce mismatch")
    userinfo = document.get("userinfo_endpoint")
    access = tokens.get("access_token")
    if userinfo and access:
        kind, body = _get_json(userinfo, {"Authorization": f"Bearer {access}"})
        extra = _decode(body.decode()) if kind == "application/jwt" else json.loads(body)
        if extra.get("sub") != claims.get("sub"):
            raise OIDCError("userinfo subject mismatch")
        claims = {**extra, **claims}
    return claims
