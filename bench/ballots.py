"""Participatory-budget ballots on a real server: integrity under concurrency, and the
time to count 50,000 ballots.

A temporary database (SQLite by default, or --database-url) gets Arras with a budget in
voting phase (5 feasible projects, a census of --voters people with a printed code
each). The real application is served by granian with the options of `territoria
serve` on 127.0.0.1. Then --concurrency threads play the voters through the real pages
(vote page, code, ballot), each with its own cookies and CSRF token; --twice of them
submit their ballot twice at the same moment, and as many replay their code afterwards.
Checks: exactly one ballot per voter, every code used once, no 5xx. Baseline in the same
run: the same threads on a minimal Django view.

Then 50,000 ballots are written to another campaign and counted with the app's own
`compute_results` (median of 5), against the baseline of merely reading the ballots.

    .venv/bin/python bench/ballots.py [--voters 1000] [--concurrency 32] [--database-url URL]
"""

import argparse
import http.client
import json
import os
import platform
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serve import environment, free_port  # noqa: E402

TALLY_BALLOTS = 50_000
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _setup():
    import django

    django.setup()


def prepare(voters: int) -> dict:
    """Child process: migrate, create the campaign, census and codes (printed to stdout
    as JSON, this is a throwaway database)."""
    _setup()
    from django.core.management import call_command
    from django.db import connection

    from territoria.accounts.enums import Role
    from territoria.accounts.models import Membership, User
    from territoria.participation import budget_actions
    from territoria.participation.census import import_census
    from territoria.participation.models import Campaign, Project
    from territoria.territories.enums import CollectiviteKind
    from territoria.territories.models import Collectivite, Commune, Departement, Region

    call_command("migrate", "--no-input", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    region = Region.objects.create(code="32", name="Hauts-de-France")
    dep = Departement.objects.create(code="62", name="Pas-de-Calais", region=region)
    commune = Commune.objects.create(
        code="62041", name="Arras", population=41_000, departement=dep, region=region
    )
    arras = Collectivite.objects.create(
        slug="arras", name="Arras", kind=CollectiviteKind.COMMUNE, commune=commune
    )
    agent = User.objects.create_user(email="agent@bench.test", password=secrets.token_urlsafe())
    Membership.objects.create(user=agent, collectivite=arras, role=Role.AGENT)
    campaign = Campaign.objects.create(
        collectivite=arras, slug="bp", title="BP", envelope=150_000, rule="budget"
    )
    for n, cost in enumerate([38_000, 90_000, 6_000, 65_000, 24_000]):
        project = Project.objects.create(
            collectivite=arras, campaign=campaign, title=f"Projet {n}", description="-"
        )
        budget_actions.review_project(project, agent, feasible=True, cost=cost, reason="ok")
    rows = ["nom;prenom;date_naissance"] + [
        f"Votant{n};Prénom{n};{1 + n % 28:02d}/{1 + n % 12:02d}/{1950 + n % 50}"
        for n in range(voters)
    ]
    _a, _k, letters = import_census(campaign, agent, "\n".join(rows), with_codes=True)
    budget_actions.open_vote(campaign, agent)
    codes = [line.split(";")[-1] for line in letters.strip().splitlines()[1:]]
    projects = list(Project.objects.filter(campaign=campaign).values_list("pk", "cost"))
    return {
        "codes": codes,
        "projects": projects,
        "vendor": connection.vendor,
        "db_version": ".".join(map(str, connection.Database.sqlite_version_info))
        if connection.vendor == "sqlite"
        else str(connection.pg_version),
    }


def check_and_tally(voters: int) -> dict:
    """Child process: integrity counts, then 50,000 ballots counted."""
    _setup()
    import random

    from django.db import connection

    from territoria.participation.budget_actions import compute_results
    from territoria.participation.models import Ballot, Campaign, Project, VoteCode, Voter

    campaign = Campaign.objects.get(slug="bp")
    integrity = {
        "ballots": Ballot.objects.filter(campaign=campaign).count(),
        "voters": Voter.objects.filter(campaign=campaign).count(),
        "codes_used": VoteCode.objects.filter(campaign=campaign, used=True).count(),
    }
    big = Campaign.objects.create(
        collectivite=campaign.collectivite,
        slug="bp-tally",
        title="Dépouillement",
        envelope=500_000,
        rule="approval",
        max_projects=3,
        phase="voting",
    )
    pks = [
        Project.objects.create(
            collectivite=big.collectivite,
            campaign=big,
            title=f"P{n}",
            description="-",
            cost=20_000 + n * 3_000,
            status="feasible",
        ).pk
        for n in range(30)
    ]
    rng = random.Random(50_000)  # noqa: S311 - synthetic data
    weights = [1 / (n + 1) for n in range(30)]
    batch = []
    for _ in range(TALLY_BALLOTS):
        picks = sorted(set(rng.choices(pks, weights, k=rng.randint(1, 3))))
        batch.append(Ballot(campaign=big, choices=picks))
        if len(batch) == 5000:
            Ballot.objects.bulk_create(batch)
            batch = []
    Ballot.objects.bulk_create(batch)
    read, full = [], []
    for _ in range(5):
        started = time.perf_counter()
        list(Ballot.objects.filter(campaign=big).values_list("choices", flat=True))
        read.append(time.perf_counter() - started)
        connection.close()
        started = time.perf_counter()
        outcome = compute_results(big)
        full.append(time.perf_counter() - started)
        connection.close()
    assert outcome.ballots == TALLY_BALLOTS
    return {
        **integrity,
        "read": statistics.median(read),
        "tally": statistics.median(full),
        "winners": len(outcome.winners),
    }


class Browser:
    """One voter's cookies over plain HTTP/1.1 to the loopback server."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method, path, form=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - started
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return (
            response.status,
            response.getheader("Location"),
            data.decode(errors="replace"),
            elapsed,
        )


def vote(port, code, choices, twice: bool, results: dict, lock):
    browser = Browser(port)
    base = "/participation/arras/budgets/bp/"
    status, _l, page, _t = browser.request("GET", base + "voter/")
    token = CSRF.search(page).group(1)
    status, location, _p, _t = browser.request(
        "POST", base + "voter/", {"csrfmiddlewaretoken": token, "method": "code", "code-code": code}
    )
    statuses = [status]
    if status != 302:
        with lock:
            results["statuses"] += statuses
        return
    form = {"csrfmiddlewaretoken": token, "projects": choices}
    if twice:
        outcomes = []

        def submit():
            outcomes.append(browser.request("POST", base + "bulletin/", form))

        threads = [threading.Thread(target=submit) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        statuses += [o[0] for o in outcomes]
        ballot_times = [o[3] for o in outcomes]
        replay = Browser(port)
        _s, _l, page, _t = replay.request("GET", base + "voter/")
        again = replay.request(
            "POST",
            base + "voter/",
            {
                "csrfmiddlewaretoken": CSRF.search(page).group(1),
                "method": "code",
                "code-code": code,
            },
        )
        statuses.append(again[0])
        with lock:
            results["replays"].append(again[0])
            # Accepted: 302 to the thanks page; refused: 409, or back to the vote page
            # when the first submission already emptied the session.
            results["doubles"].append(
                sorted(
                    "accepted" if o[0] == 302 and o[1].endswith("/a-vote/") else "refused"
                    for o in outcomes
                )
            )
    else:
        outcome = browser.request("POST", base + "bulletin/", form)
        statuses.append(outcome[0])
        ballot_times = [outcome[3]]
    with lock:
        results["statuses"] += statuses
        results["ballot_times"] += ballot_times


def floor(port, n, concurrency) -> float:
    def hit(_):
        Browser(port).request("GET", "/bench/ok")

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(hit, range(n)))
    return n / (time.perf_counter() - started)


def child(env, mode, voters) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--voters", str(voters)],
        env={**env, "BENCH_BALLOTS_CHILD": mode},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def fmt(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}".replace(",", "\u202f").replace(".", ",")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=1000)
    parser.add_argument("--twice", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    mode = os.environ.get("BENCH_BALLOTS_CHILD")
    if mode == "prepare":
        print(json.dumps(prepare(args.voters)))
        return 0
    if mode == "tally":
        print(json.dumps(check_and_tally(args.voters)))
        return 0

    from territoria.server import server_command, wait_until_answering

    with tempfile.TemporaryDirectory(prefix="bench-ballots-") as folder:
        var_dir = Path(folder)
        env = environment(var_dir, args.database_url)
        print(f"Préparation : {args.voters} votants avec un code imprimé…", flush=True)
        facts = child(env, "prepare", args.voters)
        port = free_port()
        command = server_command(
            "granian", host="127.0.0.1", port=port, workers=args.workers, threads=args.threads
        )
        log = (var_dir / "server.log").open("w")
        server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=log)
        try:
            if not wait_until_answering(server, "127.0.0.1", port):
                raise SystemExit("le serveur ne démarre pas")
            floor_rps = floor(port, 2000, args.concurrency)
            results = {"statuses": [], "ballot_times": [], "replays": [], "doubles": []}
            lock = threading.Lock()
            projects = facts["projects"]
            started = time.perf_counter()
            with ThreadPoolExecutor(args.concurrency) as pool:
                for n, code in enumerate(facts["codes"]):
                    picks = [pk for i, (pk, _c) in enumerate(projects) if (n >> i) & 1]
                    picks = [pk for pk in picks if pk != projects[1][0]] or [projects[2][0]]
                    pool.submit(vote, port, code, picks, n < args.twice, results, lock)
            elapsed = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()
        counted = child(env, "tally", args.voters)

    statuses = results["statuses"]
    errors = sum(1 for s in statuses if s >= 500)
    doubles_ok = all(d == ["accepted", "refused"] for d in results["doubles"])
    replays_ok = all(s == 409 for s in results["replays"])
    ok = (
        counted["ballots"] == counted["voters"] == counted["codes_used"] == args.voters
        and errors == 0
        and doubles_ok
        and replays_ok
    )
    times = sorted(results["ballot_times"])
    p50 = statistics.median(times) * 1000
    p95 = times[int(len(times) * 0.95) - 1] * 1000
    ram = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    print()
    print(
        f"Machine : {os.cpu_count()} cœurs, {ram} Gio, Python {platform.python_version()}, "
        f"base {facts['vendor']} {facts['db_version']}, granian {args.workers} processus × "
        f"{args.threads} fils, {args.concurrency} votants simultanés, le "
        f"{datetime.now():%Y-%m-%d}."
    )
    print()
    print("| mesure | valeur |")
    print("|---|---|")
    print(
        f"| votants (dont {args.twice} qui envoient leur bulletin deux fois à la fois, puis "
        f"rejouent leur code) | {args.voters} |"
    )
    print(
        f"| bulletins / inscrits au registre / codes utilisés | {counted['ballots']} / "
        f"{counted['voters']} / {counted['codes_used']} |"
    )
    print(f"| doubles envois simultanés : un seul accepté | {'oui' if doubles_ok else 'NON'} |")
    print(f"| codes rejoués refusés (409) | {'oui' if replays_ok else 'NON'} |")
    print(f"| réponses 5xx | {errors} sur {len(statuses)} requêtes |")
    print(
        f"| débit : votants complets par seconde (3 requêtes chacun) | "
        f"{fmt(args.voters / elapsed)} |"
    )
    print(f"| plancher : vue Django minimale, requêtes par seconde | {fmt(floor_rps)} |")
    print(f"| envoi du bulletin : p50 / p95 | {fmt(p50)} ms / {fmt(p95)} ms |")
    print(
        f"| dépouillement de {TALLY_BALLOTS:,} bulletins (30 projets) : médiane sur 5 | "
        f"{fmt(counted['tally'] * 1000, 0)} ms |".replace(",", "\u202f")
    )
    print(
        f"| lecture seule des mêmes bulletins (référence) | {fmt(counted['read'] * 1000, 0)} ms |"
    )
    print()
    print(
        "Intégrité :",
        "OK" if ok else "ÉCHEC",
        "; dépouillement < 2 s :",
        "OK" if counted["tally"] < 2 else "ÉCHEC",
    )
    return 0 if ok and counted["tally"] < 2 else 1


if __name__ == "__main__":
    raise SystemExit(main())
