"""`territoria serve`: the production web server.

gunicorn and granian were measured serving Territoria (bench/serve.py, figures in
docs/benchmarks.md, "Serveur de production"); SERVER is the one kept. The
process keeps no state between requests (sessions, lockouts and tasks live in
the database), so any number of workers, on one host or several, can serve.

Environment: WEB_HOST (127.0.0.1), WEB_PORT (8000), WEB_WORKERS (2 × cores + 1,
at most 8), WEB_THREADS (2 request threads per worker).
"""

import hashlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

# granian with a small thread pool per worker: 2.3× gunicorn's rate on a minimal view,
# 1.2× on the home page; its default of hundreds of threads per worker loses on real
# pages (GIL contention), and one thread lets a slow request hold up the next ones.
SERVER = "granian"
DEFAULT_THREADS = 2
APPLICATION = "territoria.wsgi:application"
PROJECT_DIR = Path(__file__).resolve().parent.parent
MAX_DEFAULT_WORKERS = 8


def cpu_count() -> int:
    """Cores this process may run on (a container's or systemd's CPU affinity included)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def default_workers() -> int:
    """WEB_WORKERS, else 2 × cores + 1, capped: each worker holds a Django copy in memory."""
    if value := os.environ.get("WEB_WORKERS"):
        return max(1, int(value))
    return min(2 * cpu_count() + 1, MAX_DEFAULT_WORKERS)


def default_threads() -> int:
    """WEB_THREADS: requests one worker process runs at the same time."""
    return max(1, int(os.environ.get("WEB_THREADS") or DEFAULT_THREADS))


def server_command(
    server: str = SERVER,
    *,
    host: str,
    port: int,
    workers: int,
    threads: int = DEFAULT_THREADS,
    application: str = APPLICATION,
) -> list[str]:
    """The command line that runs `server` with our production options."""
    if server == "gunicorn":
        worker_class = (
            ["--worker-class", "gthread", "--threads", str(threads)] if threads > 1 else []
        )
        return [
            sys.executable, "-m", "gunicorn", application,
            "--bind", f"{host}:{port}",
            "--workers", str(workers),
            *worker_class,
            "--timeout", "60",
            "--graceful-timeout", "30",
            # Several instances may run side by side (tests, benches): no shared control socket.
            "--no-control-socket",
        ]  # fmt: skip
    if server == "granian":
        return [
            sys.executable, "-m", "granian", application,
            "--interface", "wsgi",
            "--host", host,
            "--port", str(port),
            "--workers", str(workers),
            "--blocking-threads", str(threads),
            "--no-ws",
            "--respawn-failed-workers",
            "--workers-kill-timeout", "30",
        ]  # fmt: skip
    raise ValueError(f"unknown server: {server}")


def production_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment the server runs with: DEBUG always off."""
    env = dict(os.environ if base is None else base)
    env["DEBUG"] = "false"
    env.setdefault("DJANGO_SETTINGS_MODULE", "territoria.settings")
    return env


# Written into STATIC_ROOT by collect_static(): the fingerprint of the sources collected.
STATIC_STAMP = ".territoria-sources"
IGNORED_STATIC = ["CVS", ".*", "*~"]


def static_sources_digest() -> str:
    """Fingerprint of every static source file and of the storage that collects them."""
    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    found = sorted(
        (
            (path, storage)
            for finder in get_finders()
            for path, storage in finder.list(IGNORED_STATIC)
        ),
        key=lambda item: item[0],
    )
    for path, storage in found:
        digest.update(path.encode() + b"\0")
        with storage.open(path) as source:
            digest.update(source.read())
    return digest.hexdigest()


def static_is_current() -> bool:
    """Whether STATIC_ROOT holds the collection of the present sources."""
    from django.conf import settings

    stamp = Path(settings.STATIC_ROOT) / STATIC_STAMP
    return stamp.is_file() and stamp.read_text().strip() == static_sources_digest()


def collect_static(env: dict[str, str] | None = None) -> None:
    """Gather the static files into STATIC_ROOT, where WhiteNoise serves them from."""
    from django.conf import settings

    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "django", "collectstatic", "--noinput", "--verbosity", "0"],
        env=env or production_environment(),
        cwd=PROJECT_DIR,
        check=True,
    )
    (Path(settings.STATIC_ROOT) / STATIC_STAMP).write_text(static_sources_digest())


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "territoria.settings")
    import django

    django.setup()


def port_taken(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def refused_port(host: str, port: int) -> bool:
    """Says so in French when another program listens on the port."""
    if not port_taken(host, port):
        return False
    print(
        f"Le port {port} de {host} est déjà utilisé : arrêtez l'autre serveur ou "
        "choisissez-en un autre (--port ou WEB_PORT).",
        file=sys.stderr,
        flush=True,
    )
    return True


def _answers(host: str, port: int, headers: dict[str, str]) -> bool:
    """Whether a worker answers HTTP: any status, as long as the application replied."""
    connection = http.client.HTTPConnection(host, port, timeout=60)
    try:
        connection.request("HEAD", "/", headers=headers)
        connection.getresponse().read()
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()
    return True


def stop(process: subprocess.Popen, grace: float = 30) -> None:
    """End a server process: SIGTERM, then SIGKILL if it is still there after `grace`."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_until_answering(
    server: subprocess.Popen, host: str, port: int, headers: dict[str, str] | None = None
) -> bool:
    """Wait, however long a loaded machine takes, until the server answers HTTP on
    host:port; False if it stops first."""
    probe = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)  # noqa: S104
    while server.poll() is None:
        if _answers(probe, port, headers or {"Host": probe}):
            return True
        time.sleep(0.1)
    return False


def announce_when_listening(
    server: subprocess.Popen, host: str, port: int, on_ready: Callable[[], None] | None = None
) -> None:
    """Print « Territoria écoute sur … » once a worker answers, then call on_ready."""
    from django.conf import settings

    # A host the settings allow, so the probe leaves no "Invalid HTTP_HOST" in the logs.
    names = [name.lstrip(".") for name in settings.ALLOWED_HOSTS if "*" not in name]
    headers = {
        "Host": names[0] if names else host,
        "X-Forwarded-Proto": "https" if settings.HTTPS else "http",
    }
    if wait_until_answering(server, host, port, headers):
        print(f"Territoria écoute sur http://{host}:{port}", flush=True)
        if on_ready:
            on_ready()


def serve(
    host: str | None = None,
    port: int | None = None,
    workers: int | None = None,
    threads: int | None = None,
    on_ready: Callable[[], None] | None = None,
) -> int:
    """Check the static files, then run the production server until it stops.

    Arguments left to None come from WEB_HOST, WEB_PORT, WEB_WORKERS and WEB_THREADS.
    Static files are collected by bin/bootstrap; here only when missing or out of date.
    « Territoria écoute sur http://HOST:PORT » is printed once the server answers,
    then on_ready() is called. SIGTERM, SIGINT and SIGHUP are passed on to the server
    (SIGHUP reloads its workers); returns the server's exit status.
    """
    _setup_django()
    host = host or os.environ.get("WEB_HOST") or "127.0.0.1"
    port = port or int(os.environ.get("WEB_PORT") or 8000)
    workers = workers or default_workers()
    threads = threads or default_threads()
    if refused_port(host, port):
        return 1
    env = production_environment()
    if not static_is_current():
        print(
            "Fichiers statiques absents ou plus anciens que le code : rassemblement "
            "(une minute environ ; bin/bootstrap le fait à l'installation)…",
            file=sys.stderr,
            flush=True,
        )
        collect_static(env)
    print(
        f"Démarrage de Territoria ({SERVER}, {workers} processus × {threads} fils)…",
        file=sys.stderr,
        flush=True,
    )
    server = subprocess.Popen(  # noqa: S603
        server_command(host=host, port=port, workers=workers, threads=threads),
        env=env,
        cwd=PROJECT_DIR,
    )
    forwarded = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
    previous = {
        sig: signal.signal(sig, lambda sig, _: server.send_signal(sig)) for sig in forwarded
    }
    watcher = threading.Thread(
        target=announce_when_listening, args=(server, host, port, on_ready), daemon=True
    )
    watcher.start()
    try:
        return server.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        stop(server)
