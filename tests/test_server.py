"""`territoria serve`: its size from WEB_WORKERS and WEB_THREADS, its checks before starting."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from territoria.server import (
    STATIC_STAMP,
    cpu_count,
    default_threads,
    default_workers,
    server_command,
    static_is_current,
    static_sources_digest,
)

ROOT = Path(__file__).resolve().parents[1]


def test_workers_default_to_twice_the_cores_plus_one_capped_at_eight(monkeypatch):
    """Without WEB_WORKERS, 2 × cores + 1 processes, never more than 8."""
    monkeypatch.delenv("WEB_WORKERS", raising=False)

    assert default_workers() == min(2 * cpu_count() + 1, 8)


def test_workers_and_threads_come_from_the_environment(monkeypatch):
    """WEB_WORKERS and WEB_THREADS set the number of processes and of threads in each."""
    monkeypatch.setenv("WEB_WORKERS", "3")
    monkeypatch.setenv("WEB_THREADS", "4")

    assert default_workers() == 3
    assert default_threads() == 4


def test_threads_default_to_two(monkeypatch):
    """Without WEB_THREADS, each process runs two requests at a time."""
    monkeypatch.delenv("WEB_THREADS", raising=False)

    assert default_threads() == 2


def test_production_server_is_granian_on_the_given_address():
    """The production command runs granian's WSGI interface with the chosen size."""
    command = server_command(host="127.0.0.1", port=8123, workers=3, threads=2)

    assert command[:4] == [sys.executable, "-m", "granian", "territoria.wsgi:application"]
    options = " ".join(command[4:])
    assert (
        "--interface wsgi --host 127.0.0.1 --port 8123 --workers 3 --blocking-threads 2" in options
    )


@pytest.fixture
def static_sources(settings, tmp_path):
    """A static source folder of our own, collected into a throwaway STATIC_ROOT."""
    sources = tmp_path / "sources"
    (sources / "territoria").mkdir(parents=True)
    (sources / "territoria" / "site.css").write_text("body { color: black }")
    settings.STATICFILES_DIRS = [sources]
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    return sources


def test_static_files_are_current_only_for_the_sources_they_were_collected_from(static_sources):
    """`serve` collects again only when the stamp of the collected sources is missing or
    a source changed since."""
    from django.conf import settings

    assert static_is_current() is False

    (settings.STATIC_ROOT / STATIC_STAMP).write_text(static_sources_digest())
    assert static_is_current() is True

    (static_sources / "territoria" / "site.css").write_text("body { color: red }")
    assert static_is_current() is False


@pytest.mark.parametrize("command", ["serve", "demo"], ids=["serve_case", "demo_case"])
def test_serve_and_demo_refuse_a_port_already_taken(tmp_path, command):
    """A port another program listens on: a French message and exit 1, never a false
    « écoute » line; the demo says so before loading anything."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "WEB_PORT", "WEB_HOST"}
    }
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "territoria.cli", command, "--port", str(port)],
            cwd=ROOT,
            env=env | {"TERRITORIA_VAR_DIR": str(tmp_path)},
            capture_output=True,
            text=True,
            check=False,
        )

    assert result.returncode == 1
    assert result.stderr == (
        f"Le port {port} de 127.0.0.1 est déjà utilisé : arrêtez l'autre serveur ou "
        "choisissez-en un autre (--port ou WEB_PORT).\n"
    )
    assert "écoute" not in result.stdout
    assert not (tmp_path / "territoria.sqlite3").exists()
