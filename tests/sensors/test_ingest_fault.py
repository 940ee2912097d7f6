"""A server killed (SIGKILL) in the middle of an ingestion run loses and duplicates
nothing: the client retries each batch until it is acknowledged."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from territoria.server import server_command
from tests.serving import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
DEVICES = 50
HOURS = 400
BATCH = 1000
T0 = 1735689600  # 2025-01-01T00:00:00Z

SETUP = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from tests.factories import make_collectivite, make_commune
from territoria.sensors.models import Device, Fleet
commune = make_commune("18197", "Saint-Amand-Montrond")
collectivite = make_collectivite(commune, "saint-amand-montrond")
fleet = Fleet(collectivite=collectivite, name="Panne")
key = fleet.new_key()
fleet.save()
Device.objects.bulk_create(
    Device(
        collectivite=collectivite, fleet=fleet, kind="water_meter", name=f"M{i}",
        external_id=f"M{i}",
    )
    for i in range(%d)
)
print(key)
"""


def _env(var_dir: Path) -> dict:
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    return env | {
        "TERRITORIA_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "territoria.settings",
        "DEBUG": "false",
        "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
    }


def _start(var_dir: Path, port: int) -> subprocess.Popen:
    command = server_command(host="127.0.0.1", port=port, workers=1, threads=2)
    process = subprocess.Popen(  # noqa: S603
        command,
        cwd=ROOT,
        env=_env(var_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for_port(process, port)
    except BaseException:
        os.killpg(process.pid, signal.SIGKILL)
        raise
    return process


def _batches():
    rows = [
        [f"M{d}", T0 + 3600 * h, float((d * 7 + h) % 13)]
        for h in range(HOURS)
        for d in range(DEVICES)
    ]
    return [rows[i : i + BATCH] for i in range(0, len(rows), BATCH)]


def _send_until_acknowledged(url, key, batch, deadline, on_failure) -> None:
    body = json.dumps({"quantity": "water_volume", "unit": "L", "rows": batch}).encode()
    while time.monotonic() < deadline:
        request = urllib.request.Request(  # noqa: S310
            url,
            data=body,
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (OSError, urllib.error.HTTPError):
            on_failure()
        time.sleep(0.1)
    pytest.fail("a batch was never acknowledged")


def test_readings_survive_a_killed_server(tmp_path):
    """Kill -9 the server mid-run, restart it: stored readings equal sent readings."""
    setup = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SETUP % DEVICES],
        cwd=ROOT,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert setup.returncode == 0, setup.stderr[-2000:]
    key = setup.stdout.strip().splitlines()[-1]
    port = free_port()
    url = f"http://127.0.0.1:{port}/api/capteurs/releves"
    server = _start(tmp_path, port)
    batches = _batches()
    acknowledged = []
    killed = threading.Event()

    def killer():
        while len(acknowledged) < len(batches) // 3:
            time.sleep(0.01)
        os.killpg(server.pid, signal.SIGKILL)  # the whole server: master and worker
        server.wait()
        killed.set()

    thread = threading.Thread(target=killer)
    thread.start()
    restarted = []

    def restart_once():
        if killed.is_set() and not restarted:
            restarted.append(_start(tmp_path, port))

    deadline = time.monotonic() + 120
    try:
        for batch in batches:
            _send_until_acknowledged(url, key, batch, deadline, restart_once)
            acknowledged.append(len(batch))
        thread.join(timeout=30)
        assert killed.is_set()
    finally:
        for process in (server, *restarted):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    with sqlite3.connect(tmp_path / "territoria.sqlite3") as db:
        stored = db.execute(
            "SELECT d.external_id, r.ts, r.value FROM sensors_reading r "
            "JOIN sensors_device d ON d.id = r.device_id"
        ).fetchall()
        rolled_up = db.execute("SELECT SUM(n) FROM sensors_hourly").fetchone()[0]
    sent = {(d, ts, v) for batch in batches for d, ts, v in batch}
    assert len(restarted) == 1
    assert len(stored) == len(sent) == DEVICES * HOURS
    assert set(stored) == sent
    assert rolled_up == DEVICES * HOURS
