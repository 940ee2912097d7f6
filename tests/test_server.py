"""`territoria serve` reads its size from WEB_WORKERS and WEB_THREADS."""

import sys

from territoria.server import cpu_count, default_threads, default_workers, server_command


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
