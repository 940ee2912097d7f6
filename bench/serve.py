"""Which production server serves Territoria faster: gunicorn or granian?

Each server runs the real application with DEBUG off on 127.0.0.1, with the same
number of worker processes and the options `territoria serve` uses
(territoria/server.py). The database is a temporary SQLite file prepared by
`territoria demo --no-serve` (real territories, demo collectivités). Load comes
from wrk in a second process (bounded duration, loopback only) on:

- /bench/ok: a Django view returning "ok" (the server's and Django's own cost);
- /: the home page (layout, database queries).

Prints requests/s and latency p50/p99 (medians over the runs), ratios to gunicorn,
and the machine's facts, as Markdown for docs/benchmarks.md.

    .venv/bin/python bench/serve.py [--runs 3] [--duration 10] [--workers 2]
"""

import argparse
import os
import platform
import re
import secrets
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from territoria.server import server_command, stop, wait_until_answering  # noqa: E402

PATHS = {"vue minimale (/bench/ok)": "/bench/ok", "page d'accueil (/)": "/"}
# name: (server, request threads per worker process)
SERVERS = {
    "gunicorn (sync)": ("gunicorn", 1),
    "gunicorn (gthread, 4 threads)": ("gunicorn", 4),
    "granian (256 threads, défaut)": ("granian", 256),
    "granian (4 threads)": ("granian", 4),
    "granian (2 threads)": ("granian", 2),
    "granian (1 thread)": ("granian", 1),
}
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(var_dir: Path, database_url: str | None = None) -> dict[str, str]:
    """A throwaway instance's environment (also used by bench/open311.py and
    bench/ballots.py): production settings, its own var dir, optionally a database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "HTTPS", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bench.serve_app.settings",
        PYTHONPATH=str(ROOT),
        TERRITORIA_VAR_DIR=str(var_dir),
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        DEBUG="false",
        LOG_LEVEL="ERROR",
        SITE_URL="http://127.0.0.1",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def prepare(env: dict[str, str]) -> str:
    """Migrate and load the demo; returns what the database holds."""
    python = sys.executable
    run = {"env": env, "cwd": ROOT, "check": True, "stdout": subprocess.DEVNULL}
    subprocess.run([python, "manage.py", "migrate", "--no-input", "-v0"], **run)
    subprocess.run([python, "manage.py", "collectstatic", "--no-input", "-v0"], **run)
    demo = subprocess.run(
        [python, "-m", "territoria.cli", "demo", "--no-serve"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if demo.returncode != 0:
        print(
            "territoria demo --no-serve a échoué ; base vide :", demo.stderr[-500:], file=sys.stderr
        )
        return "base migrée, vide (la démo n'a pas pu être chargée)"
    return "base de la démo (territoires du COG, collectivités et comptes de démonstration)"


def wait_until_ready(url: str, process: subprocess.Popen) -> None:
    """Until the server answers, however long a loaded machine takes; stops if it dies."""
    if not wait_until_answering(process, "127.0.0.1", urllib.parse.urlsplit(url).port):
        raise SystemExit(f"le serveur s'est arrêté (code {process.returncode})")


def check_page(url: str) -> None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            if response.status != 200:
                raise SystemExit(f"{url} répond {response.status}")
    except urllib.error.HTTPError as error:
        raise SystemExit(
            f"{url} répond {error.code} : la page doit fonctionner avant la mesure"
        ) from None


def wrk(url: str, duration: int, threads: int, connections: int) -> dict[str, float]:
    result = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 30,
    )
    out = result.stdout

    def latency(percentile: str) -> float:
        value, unit = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * UNITS[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50": latency("50"),
        "p99": latency("99"),
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def process_tree_cpu(pid: int) -> float:
    """CPU seconds used so far by a process and its live descendants (the server's workers)."""
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def start(server, threads, env, args, logs: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = server_command(
        server, host="127.0.0.1", port=port, workers=args.workers, threads=threads
    )
    log = logs / f"{port}.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
        )
    process.log = log
    base = f"http://127.0.0.1:{port}"
    wait_until_ready(base + "/bench/ok", process)
    for path in PATHS.values():
        check_page(base + path)
    return process, base


def one_run(process, url, args) -> dict:
    cpu_before = process_tree_cpu(process.pid)
    try:
        run = wrk(url, args.duration, args.threads, args.connections)
    except subprocess.CalledProcessError as error:
        raise SystemExit(
            f"wrk a échoué sur {url} : {error.stdout}{error.stderr}\n"
            f"journal du serveur :\n{process.log.read_text()[-2000:]}"
        ) from None
    run["cpu_ms"] = 1000 * (process_tree_cpu(process.pid) - cpu_before) / max(run["requests"], 1)
    run["load"] = os.getloadavg()[0]
    return run


def measure_all(env, args, logs: Path) -> dict[str, dict[str, dict]]:
    """All servers run side by side; their runs alternate, so that whatever else
    loads the machine meanwhile weighs on each of them alike."""
    servers = {}
    try:
        for name, (server, threads) in SERVERS.items():
            servers[name] = start(server, threads, env, args, logs)
        runs = {name: {label: [] for label in PATHS} for name in SERVERS}
        for _process, base in servers.values():
            for path in PATHS.values():
                wrk(base + path, 2, args.threads, args.connections)  # warm-up
        for number in range(1, args.runs + 1):
            for label, path in PATHS.items():
                for name, (process, base) in servers.items():
                    run = one_run(process, base + path, args)
                    runs[name][label].append(run)
                    print(
                        f"  run {number}  {name:30} {label:26} {run['rps']:7.0f} req/s  "
                        f"p50 {run['p50']:7.2f} ms  p99 {run['p99']:7.2f} ms  "
                        f"CPU {run['cpu_ms']:5.2f} ms/req  charge {run['load']:.1f}",
                        file=sys.stderr,
                        flush=True,
                    )
    finally:
        for process, _ in servers.values():
            stop(process)
    results = {}
    for name, pages in runs.items():
        results[name] = {}
        for label, page_runs in pages.items():
            figures = {
                key: statistics.median(run[key] for run in page_runs)
                for key in ("rps", "p50", "p99", "cpu_ms")
            }
            figures["errors"] = sum(run["errors"] for run in page_runs)
            figures["socket_errors"] = "; ".join(
                sorted({run["socket_errors"] for run in page_runs if run["socket_errors"]})
            )
            figures["load"] = max(run["load"] for run in page_runs)
            results[name][label] = figures
    return results


def machine_facts(args) -> list[str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    wrk_line = (wrk_version.stdout or wrk_version.stderr).splitlines()[0].split(" [")[0]
    return [
        f"- date : {datetime.now():%Y-%m-%d %H:%M}",
        f"- machine : {os.cpu_count()} cœurs ({cpu}), {memory_kb / 1024 / 1024:.0f} Gio de "
        f"mémoire, {platform.system()} {platform.release()}",
        f"- logiciels : Python {platform.python_version()}, Django {version('django')}, "
        f"gunicorn {version('gunicorn')}, granian {version('granian')}, SQLite "
        f"{sqlite3.sqlite_version}, {wrk_line}",
        f"- charge : `wrk -t{args.threads} -c{args.connections} -d{args.duration}s --latency`, "
        f"sur la même machine que le serveur ; {args.workers} processus par serveur ; "
        f"médiane de {args.runs} mesures après 2 s de chauffe, serveurs lancés ensemble et "
        "mesurés en alternance",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--only", action="append", help="measure only the servers whose name contains this"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk est absent : apt-get install wrk")

    with tempfile.TemporaryDirectory(prefix="territoria-bench-serve-") as tmp:
        env = environment(Path(tmp))
        database = prepare(env)
        if args.only:
            for name in list(SERVERS):
                if name != "gunicorn (sync)" and not any(part in name for part in args.only):
                    del SERVERS[name]
        results = measure_all(env, args, Path(tmp))

    reference = results["gunicorn (sync)"]
    print(
        "| serveur | page | requêtes/s | × gunicorn sync | p50 (ms) | p99 (ms) "
        "| CPU serveur par requête (ms) | erreurs |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name, pages in results.items():
        for label, figures in pages.items():
            ratio = figures["rps"] / reference[label]["rps"]
            errors = figures["errors"]
            if figures["socket_errors"]:
                errors = f"{errors} ({figures['socket_errors']})"
            print(
                f"| {name} | {label} | {figures['rps']:.0f} | {ratio:.2f} | "
                f"{figures['p50']:.1f} | {figures['p99']:.1f} | {figures['cpu_ms']:.2f} "
                f"| {errors} |"
            )
    print()
    load = max(f["load"] for pages in results.values() for f in pages.values())
    print(f"- données : {database}")
    print(f"- charge moyenne de la machine pendant les mesures : jusqu'à {load:.1f} (1 min)")
    print("\n".join(machine_facts(args)))


if __name__ == "__main__":
    main()
