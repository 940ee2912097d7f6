"""`territoria serve` or `territoria demo` started by a test, waited for by its readiness
line (« Territoria écoute sur … »), never by a deadline a loaded machine can miss."""

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

from territoria.server import stop, wait_until_answering

ROOT = Path(__file__).resolve().parents[1]
LISTENING = "Territoria écoute sur "
# bin/bootstrap collects the static files there: servers started by tests share them.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or ROOT / "var" / "static")
# Only a server that hangs for good hits this: the wait ends when the line is printed.
HANG_SECONDS = 1800


@contextlib.contextmanager
def territoria(args: list[str], env: dict[str, str], log_path: Path) -> Iterator[str]:
    """Run `territoria ARGS` until the block ends; yields its URL once it answers.

    Its output goes to log_path; the test fails with the log's end if it stops first.
    """
    env = {"STATIC_ROOT": str(STATIC_ROOT), **env}
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "territoria.cli", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    ready = threading.Event()
    found: list[str] = []

    def copy_output():
        with log_path.open("w") as log:
            for line in process.stdout:
                log.write(line)
                log.flush()
                if line.startswith(LISTENING) and not found:
                    found.append(line[len(LISTENING) :].strip())
                    ready.set()

    reader = threading.Thread(target=copy_output, daemon=True)
    reader.start()
    started = time.monotonic()
    try:
        while not ready.wait(0.2):
            if process.poll() is not None or time.monotonic() - started > HANG_SECONDS:
                reader.join(timeout=5)
                pytest.fail(
                    f"`territoria {' '.join(args)}` did not start:\n" + log_path.read_text()[-3000:]
                )
        yield found[0]
    finally:
        stop(process)
        reader.join(timeout=30)
        process.stdout.close()


def wait_for_port(process: subprocess.Popen, port: int) -> None:
    """For a server started without `territoria`: wait until it answers on 127.0.0.1."""
    if not wait_until_answering(process, "127.0.0.1", port):
        pytest.fail(f"the server on port {port} stopped before answering")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def instance_env(var_dir: Path) -> dict[str, str]:
    """The environment of a throwaway instance living in var_dir."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "TASK_BACKEND"}
    }
    return env | {"TERRITORIA_VAR_DIR": str(var_dir), "WEB_WORKERS": "2"}


@contextlib.contextmanager
def throwaway_database(suffix: str) -> Iterator[dict[str, str]]:
    """An instance's own database: SQLite in its folder ({}), or, when the suite runs on
    PostgreSQL, a fresh database on the same server, dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield {}
        return
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'territoria'}_{suffix}"
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {"DATABASE_URL": parts._replace(path=f"/{name}").geturl()}
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env: dict[str, str], *args: str, timeout: float = 900) -> str:
    """Run `territoria ARGS` to completion in an instance; its output, or the test fails."""
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "territoria.cli", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        pytest.fail(
            f"`territoria {' '.join(args)}` failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}"
        )
    return done.stdout
