"""`territoria serve`: the production web server.

gunicorn and granian were measured serving Territoria (bench/serve.py, figures in
docs/benchmarks.md, "Serveur de production"); SERVER is the one kept. The
process keeps no state between requests (sessions, lockouts and tasks live in
the database), so any number of workers, on one host or several, can serve.

Environment: WEB_HOST (127.0.0.1), WEB_PORT (8000), WEB_WORKERS (2 × cores + 1,
at most 8), WEB_THREADS (2 request threads per worker).
"""

import os
import signal
import subprocess
import sys
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


def collectstatic(env: dict[str, str]) -> None:
    """Gather the static files into STATIC_ROOT, where WhiteNoise serves them from."""
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "django", "collectstatic", "--noinput", "--verbosity", "0"],
        env=env,
        cwd=PROJECT_DIR,
        check=True,
    )


def serve(
    host: str | None = None,
    port: int | None = None,
    workers: int | None = None,
    threads: int | None = None,
) -> int:
    """Collect the static files, then run the production server until it stops.

    Arguments left to None come from WEB_HOST, WEB_PORT, WEB_WORKERS and WEB_THREADS.
    SIGTERM, SIGINT and SIGHUP are passed on to the server (SIGHUP reloads its
    workers); returns the server's exit status.
    """
    host = host or os.environ.get("WEB_HOST") or "127.0.0.1"
    port = port or int(os.environ.get("WEB_PORT") or 8000)
    workers = workers or default_workers()
    threads = threads or default_threads()
    env = production_environment()
    collectstatic(env)
    print(
        f"Territoria sur http://{host}:{port}/ ({SERVER}, {workers} processus × {threads} fils)",
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
    try:
        return server.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if server.poll() is None:
            server.terminate()
            server.wait()
