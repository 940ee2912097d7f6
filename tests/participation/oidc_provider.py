"""A small but real OpenID Connect provider for tests, served on 127.0.0.1.

Discovery document, /authorize (auto-approves the configured identity), /token (client
authentication, single-use codes, RS256-signed id_token), /jwks and /userinfo (JSON, or
a signed JWT as FranceConnect v2 answers). Knobs let a test make it misbehave.
"""

import base64
import json
import secrets
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from joserfc import jwt
from joserfc.jwk import RSAKey


class Provider:
    def __init__(self, identity: dict, *, client_id="territoria", client_secret="s3cret"):  # noqa: S107
        self.identity = identity
        self.client_id, self.client_secret = client_id, client_secret
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig"})
        self.signing_key = self.key  # a test may swap in a key absent from the JWKS
        self.codes: dict[str, dict] = {}
        self.nonce_override = None
        self.userinfo_jwt = False
        self.auth_methods = ["client_secret_basic"]
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def _sign(self, claims: dict) -> str:
        return jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, self.signing_key)

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, body=b"", content_type="application/json", headers=()):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _json(self, status, data):
                self._send(status, json.dumps(data).encode())

            def do_GET(self):
                url = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                if url.path == "/.well-known/openid-configuration":
                    return self._json(
                        200,
                        {
                            "issuer": provider.issuer,
                            "authorization_endpoint": provider.issuer + "/authorize",
                            "token_endpoint": provider.issuer + "/token",
                            "userinfo_endpoint": provider.issuer + "/userinfo",
                            "jwks_uri": provider.issuer + "/jwks",
                            "response_types_supported": ["code"],
                            "subject_types_supported": ["public"],
                            "id_token_signing_alg_values_supported": ["RS256"],
                            "token_endpoint_auth_methods_supported": provider.auth_methods,
                        },
                    )
                if url.path == "/jwks":
                    return self._json(200, {"keys": [provider.key.as_dict(private=False)]})
                if url.path == "/authorize":
                    if (
                        query.get("client_id") != provider.client_id
                        or query.get("response_type") != "code"
                    ):
                        return self._json(400, {"error": "invalid_request"})
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = {
                        "nonce": query.get("nonce"),
                        "redirect_uri": query["redirect_uri"],
                    }
                    target = (
                        query["redirect_uri"]
                        + "?"
                        + urllib.parse.urlencode({"code": code, "state": query.get("state", "")})
                    )
                    return self._send(302, headers=[("Location", target)])
                if url.path == "/userinfo":
                    if self.headers.get("Authorization") != "Bearer access-" + provider.client_id:
                        return self._json(401, {"error": "invalid_token"})
                    claims = {"sub": "sub-1", **provider.identity}
                    if provider.userinfo_jwt:
                        signed = provider._sign(
                            {**claims, "iss": provider.issuer, "aud": provider.client_id}
                        )
                        return self._send(200, signed.encode(), "application/jwt")
                    return self._json(200, claims)
                return self._json(404, {"error": "not_found"})

            def do_POST(self):
                if self.path != "/token":
                    return self._json(404, {"error": "not_found"})
                length = int(self.headers.get("Content-Length", 0))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                expected = base64.b64encode(
                    f"{provider.client_id}:{provider.client_secret}".encode()
                ).decode()
                basic = self.headers.get("Authorization") == f"Basic {expected}"
                posted = (form.get("client_id"), form.get("client_secret")) == (
                    provider.client_id,
                    provider.client_secret,
                )
                in_form = "client_secret" in form
                # Exactly one authentication method, among those announced.
                if "Authorization" in self.headers and in_form:
                    return self._json(400, {"error": "invalid_request"})
                allowed = provider.auth_methods
                if not (
                    (basic and "client_secret_basic" in allowed)
                    or (posted and "client_secret_post" in allowed)
                ):
                    return self._json(401, {"error": "invalid_client"})
                grant = provider.codes.pop(form.get("code", ""), None)
                if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
                    return self._json(400, {"error": "invalid_grant"})
                now = int(time.time())
                nonce = provider.nonce_override or grant["nonce"]
                id_token = provider._sign(
                    {
                        "iss": provider.issuer,
                        "aud": provider.client_id,
                        "sub": "sub-1",
                        "iat": now,
                        "exp": now + 300,
                        "nonce": nonce,
                        **provider.identity,
                    }
                )
                return self._json(
                    200,
                    {
                        "access_token": "access-" + provider.client_id,
                        "token_type": "Bearer",
                        "id_token": id_token,
                    },
                )

        return Handler
