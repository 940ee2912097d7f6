"""The production settings of docs/deployment.md pass Django's deployment checks, and the
production server (`territoria serve`) answers with the security headers behind nginx."""

import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.serving import STATIC_ROOT, territoria

ROOT = Path(__file__).resolve().parent.parent
HOST = "territoria.cc-exemple.fr"


def production_env(folder: Path, **extra: str) -> dict[str, str]:
    """The variables of /etc/territoria/territoria.env in docs/deployment.md, DEBUG unset."""
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="territoria.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{folder / 'territoria.sqlite3'}",
        ALLOWED_HOSTS=HOST,
        SITE_URL=f"https://{HOST}",
        CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
        HTTPS="true",
        TERRITORIA_VAR_DIR=str(folder / "var"),
        EMAIL_HOST="smtp.cc-exemple.fr",
        **extra,
    )
    return env


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_check_deploy_passes_with_documented_production_settings(tmp_path):
    """`manage.py check --deploy` finds nothing to warn about with the documented settings."""
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")

    assert result.stderr == ""
    assert result.stdout == "System check identified no issues (1 silenced).\n"
    assert result.returncode == 0


def test_check_deploy_fails_when_debug_is_on(tmp_path):
    """The same check refuses a production environment with DEBUG on."""
    env = production_env(tmp_path, DEBUG="true")

    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 1
    assert "(security.W018) You should not have DEBUG set to True in deployment." in result.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, port: int, static_root: Path):
        self.port = port
        self.static_root = static_root

    def get(self, path: str, *, host: str = HOST, https: bool = True):
        """One request as nginx passes it on: Host kept, X-Forwarded-Proto set."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Host": host, "X-Forwarded-For": "203.0.113.7"}
        if https:
            headers["X-Forwarded-Proto"] = "https"
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            return response, response.read()
        finally:
            connection.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`territoria serve` on 127.0.0.1 with the production settings, once it says it listens."""
    folder = tmp_path_factory.mktemp("production")
    port = free_port()
    env = production_env(
        folder,
        WEB_HOST="127.0.0.1",
        WEB_PORT=str(port),
        WEB_WORKERS="1",
        STATIC_ROOT=str(STATIC_ROOT),
    )
    migrated = manage(env, "migrate", "--no-input", "--verbosity", "0")
    assert migrated.returncode == 0, migrated.stderr
    with territoria(["serve"], env, folder / "server.log") as url:
        assert url == f"http://127.0.0.1:{port}"
        yield Server(port, STATIC_ROOT)


def test_production_response_carries_security_headers(server):
    """Behind the TLS proxy a page carries HSTS, CSP, frame denial, Referrer-Policy and nosniff."""
    response, _ = server.get("/admin/login/")

    assert response.status == 200
    assert response.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains"
    assert response.getheader("Content-Security-Policy").startswith("default-src 'self'; ")
    assert "frame-ancestors 'none'" in response.getheader("Content-Security-Policy")
    assert response.getheader("X-Frame-Options") == "DENY"
    assert response.getheader("Referrer-Policy") == "strict-origin-when-cross-origin"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Cross-Origin-Opener-Policy") == "same-origin"


def test_production_cookies_are_secure(server):
    """Cookies set in production are sent over HTTPS only and hidden from scripts."""
    response, _ = server.get("/admin/login/")

    cookie = response.getheader("Set-Cookie")
    assert cookie.startswith("csrftoken=")
    assert "; Secure" in cookie
    assert "; HttpOnly" in cookie
    assert "; SameSite=Lax" in cookie


def test_plain_http_is_redirected_to_https(server):
    """A request that reached the proxy over plain HTTP is sent to the HTTPS address."""
    response, _ = server.get("/admin/login/", https=False)

    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}/admin/login/"


def test_unknown_host_is_refused(server):
    """A Host header outside ALLOWED_HOSTS gets a 400, never a page."""
    response, _ = server.get("/admin/login/", host="ailleurs.example")

    assert response.status == 400


def test_debug_is_off_in_production(server):
    """`territoria serve` runs with DEBUG off: a 404 reveals nothing of the URL configuration."""
    response, body = server.get("/page-qui-n-existe-pas/")

    assert response.status == 404
    assert b"URLconf" not in body
    assert b"Traceback" not in body


def test_static_files_are_served_by_whitenoise_with_long_cache(server):
    """collectstatic ran; WhiteNoise serves versioned static files cached for a year."""
    manifest = json.loads((server.static_root / "staticfiles.json").read_text())
    hashed = manifest["paths"]["territoria/css/territoria.css"]

    response, body = server.get(f"/static/{hashed}")

    assert response.status == 200
    assert response.getheader("Cache-Control") == "max-age=315360000, public, immutable"
    assert response.getheader("Content-Type").startswith("text/css")
    assert body == (ROOT / "territoria/static/territoria/css/territoria.css").read_bytes()


def test_home_page_renders_in_production(server):
    """With DEBUG off and hashed static names, the home page renders and links its stylesheet."""
    manifest = json.loads((server.static_root / "staticfiles.json").read_text())

    response, body = server.get("/")

    assert response.status == 200
    assert f'href="/static/{manifest["paths"]["territoria/css/territoria.css"]}"'.encode() in body
