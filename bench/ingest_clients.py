"""The load of bench/ingest.py: client processes that send the same readings through
the HTTP API, InfluxDB's line protocol or a raw bulk insert (SQLite executemany,
PostgreSQL COPY), and the rate they reach together.

Workload: readings number i = (device i mod devices, hour i div devices), hourly
timestamps from T0, in time order; client c sends batches c, c + clients…
"""

import http.client
import json
import multiprocessing as mp
import queue
import sqlite3
import time

T0 = 1735689600  # 2025-01-01T00:00:00Z


def batch_rows(index: int, batch: int, devices: int):
    """Readings number index*batch … in time order: (device number, ts, value)."""
    start = index * batch
    for n in range(start, start + batch):
        hour, device = divmod(n, devices)
        yield device, T0 + 3600 * hour, float((device * 7 + hour) % 13)


def _client(kind, target, indexes, batch, devices, barrier, results, extra):
    """One client process: prepare its bodies, wait for the others, send, report."""
    if kind == "api":
        bodies = [
            json.dumps(
                {"quantity": "water_volume", "unit": "L",
                 "rows": [[f"M{d}", ts, v] for d, ts, v in batch_rows(i, batch, devices)]}
            ).encode()
            for i in indexes
        ]  # fmt: skip
    elif kind == "influx":
        bodies = [
            "\n".join(
                f"water,device=M{d} volume={v} {ts}" for d, ts, v in batch_rows(i, batch, devices)
            ).encode()
            for i in indexes
        ]
    else:
        first = extra["first_id"]
        bodies = [
            [(ts, first + d, 1, v) for d, ts, v in batch_rows(i, batch, devices)] for i in indexes
        ]
    send = {
        "api": _send_http,
        "influx": _send_http,
        "sqlite": _send_sqlite,
        "postgresql": _send_pg,
    }[kind]
    session = send(None, target, extra, None)  # open the connection before the clock starts
    barrier.wait()
    start = time.time()
    for body in bodies:
        send(session, target, extra, body)
    results.put((start, time.time()))


def _send_http(session, target, extra, body):
    host, port, path, headers = target
    if session is None:
        return http.client.HTTPConnection(host, port, timeout=120)
    session.request("POST", path, body=body, headers=headers)
    response = session.getresponse()
    data = response.read()
    if response.status not in (200, 204):
        raise SystemExit(f"HTTP {response.status}: {data[:500]!r}")
    return session


def hourly_rows(rows):
    """The hourly rollup row of each reading (one reading per device and hour)."""
    return [(t - t % 3600, d, q, 1, v, v, v, t, v) for t, d, q, v in rows]


def _send_sqlite(session, target, extra, rows):
    if session is None:
        db = sqlite3.connect(target, isolation_level=None, timeout=60)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        return db
    session.execute("BEGIN IMMEDIATE")
    session.executemany(
        f"INSERT INTO {extra.get('table', 'sensors_reading')} VALUES (?, ?, ?, ?)",  # noqa: S608
        rows,
    )
    if extra.get("hourly"):
        session.executemany(
            "INSERT INTO sensors_hourly VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", hourly_rows(rows)
        )
    session.execute("COMMIT")
    return session


def _send_pg(session, target, extra, rows):
    import psycopg

    if session is None:
        return psycopg.connect(target, autocommit=False)
    with session.cursor() as cursor:
        lines = "".join(f"{t}\t{d}\t{q}\t{v!r}\n" for t, d, q, v in rows)
        table = extra.get("table", "sensors_reading")
        with cursor.copy(f"COPY {table} (ts, device_id, quantity, value) FROM STDIN") as copy:
            copy.write(lines)
        if extra.get("hourly"):
            with cursor.copy("COPY sensors_hourly FROM STDIN") as copy:
                copy.write("".join("\t".join(map(repr, r)) + "\n" for r in hourly_rows(rows)))
    session.commit()
    return session


def run_clients(kind, target, *, readings, batch, clients, devices, extra=None) -> float:
    """Readings per second from the first client's start to the last one's end."""
    count = readings // batch
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(clients)
    results = ctx.Queue()
    processes = [
        ctx.Process(
            target=_client,
            args=(
                kind,
                target,
                list(range(c, count, clients)),
                batch,
                devices,
                barrier,
                results,
                extra or {},
            ),
        )
        for c in range(clients)
    ]
    for p in processes:
        p.start()
    spans = []
    while len(spans) < len(processes):
        try:
            spans.append(results.get(timeout=2))
        except queue.Empty:
            if any(p.exitcode not in (None, 0) for p in processes):
                for p in processes:
                    p.kill()
                raise SystemExit(f"a {kind} client failed") from None
    for p in processes:
        p.join()
    elapsed = max(end for _, end in spans) - min(start for start, _ in spans)
    return count * batch / elapsed
