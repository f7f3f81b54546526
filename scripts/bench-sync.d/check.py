#!/usr/bin/env python3
"""check.py — what scripts/bench-sync reads from a run: the reference receiver's record
(GET /_received of tests/sync/receiver.mjs) against the outbox as the database holds it.
Python standard library only.

    check.py drain   RECEIVED.json OUTBOX.csv SCHEMA CHECKER SAMPLES_DIR
    check.py latency RECEIVED.json OUTBOX.csv

OUTBOX.csv is `COPY (SELECT seq, event_id, employee_code, state, attempts, occurred_us,
delivered_us ...) TO STDOUT (FORMAT csv)`, times in Unix microseconds (delivered_us empty
when not delivered); for "latency" it holds only the events of the steady load.

drain: every outbox event must be in the record exactly once: counts the events recorded,
their distinct ids, the receiver's duplicates (a 409: an id sent again) and all its
requests, the ids missing from the record and those recorded that the outbox does not hold,
the people whose events arrived out of seq order, the rows not delivered, the rows that took
more than one attempt, the delivery rate in each tenth of the run (by delivered_at), and
checks 20 recorded bodies against the training-record schema with CHECKER
(tests/package/json_schema_check.py).

latency: for each steady-load event, the time from its occurred_at to the receiver's
received_at (millisecond resolution) and to the outbox's delivered_at; p50, p95, p99, max.
It also finds the worker's passes (deliveries less than 0.5 s apart belong to one pass)
and reports their number, events per pass, how long a pass lasted and how far apart they
started: what the latency is made of.

Prints one line: RESULT {json}. Exits 2 when an input cannot be read.
"""
import csv
import datetime
import json
import os
import subprocess
import sys


def load(received_path, outbox_path):
    with open(received_path, encoding="utf-8") as f:
        rec = json.load(f)
    rows = []
    with open(outbox_path, newline="", encoding="utf-8") as f:
        for r in csv.reader(f):
            rows.append({
                "seq": int(r[0]), "id": r[1], "emp": r[2], "state": r[3], "attempts": int(r[4]),
                "occurred_us": int(r[5]), "delivered_us": int(r[6]) if r[6] else None,
            })
    return rec, rows


def pct(sorted_vals, p):
    """Nearest-rank percentile of an ascending list (0 when empty)."""
    if not sorted_vals:
        return 0
    k = max(1, -(-len(sorted_vals) * p // 100))
    return sorted_vals[min(len(sorted_vals), k) - 1]


def iso_us(s):
    return int(datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp() * 1_000_000)


def drain(rec, rows, schema, checker, samples):
    ev = rec["events"]
    ids = [e["id"] for e in ev]
    distinct = set(ids)
    by_id = {r["id"]: r for r in rows}
    missing = [r["id"] for r in rows if r["id"] not in distinct]
    extra = [i for i in distinct if i not in by_id]
    out_of_order = 0
    for emp, got in rec["by_employee"].items():
        seqs = [by_id[i]["seq"] for i in got if i in by_id]
        if seqs != sorted(seqs):
            out_of_order += 1
    delivered = sorted(r["delivered_us"] for r in rows if r["state"] == "delivered" and r["delivered_us"])
    tenths = []
    n = len(delivered)
    for t in range(10):
        a, b = delivered[t * n // 10] if n else 0, delivered[max(0, (t + 1) * n // 10 - 1)] if n else 0
        cnt = (t + 1) * n // 10 - t * n // 10
        tenths.append(round(cnt / ((b - a) / 1e6)) if b > a else 0)
    # 20 bodies, spread over the record, against the schema
    os.makedirs(samples, exist_ok=True)
    paths = []
    for k in range(min(20, len(ev))):
        p = os.path.join(samples, "event-%02d.json" % k)
        with open(p, "w", encoding="utf-8") as f:
            json.dump(ev[k * len(ev) // min(20, len(ev))]["body"], f, ensure_ascii=False)
        paths.append(p)
    schema_ok = None
    if paths:
        r = subprocess.run([sys.executable, checker, schema] + paths, capture_output=True, text=True)
        schema_ok = "%d of %d valid" % (r.stdout.count(": valid"), len(paths))
    per_person = {}
    for r in rows:
        per_person[r["emp"]] = per_person.get(r["emp"], 0) + 1
    return {
        "outbox": len(rows), "people": len(per_person), "max_per_person": max(per_person.values(), default=0),
        "recorded": len(ids), "distinct": len(distinct), "duplicates": rec["duplicates"],
        "requests": rec["requests"], "rejected": rec["rejected"], "missing": len(missing),
        "missing_first": missing[:5], "extra": len(extra), "people_out_of_order": out_of_order,
        "not_delivered": sum(1 for r in rows if r["state"] != "delivered" or not r["delivered_us"]),
        "retried": sum(1 for r in rows if r["attempts"] > 1),
        "delivered_span_s": (delivered[-1] - delivered[0]) / 1e6 if n > 1 else 0,
        "rate_by_tenth": tenths, "schema": schema_ok,
    }


def latency(rec, rows):
    by_id = {r["id"]: r for r in rows}
    recv = sorted((iso_us(e["received_at"]) - by_id[e["id"]]["occurred_us"]) / 1000
                  for e in rec["events"] if e["id"] in by_id)
    deliv = sorted((r["delivered_us"] - r["occurred_us"]) / 1000 for r in rows if r["delivered_us"])
    times = sorted(r["delivered_us"] for r in rows if r["delivered_us"])
    passes = []  # [first, last, count]
    for t in times:
        if passes and t - passes[-1][1] < 500_000:
            passes[-1][1] = t
            passes[-1][2] += 1
        else:
            passes.append([t, t, 1])
    starts = [p[0] for p in passes]
    gaps = sorted((b - a) / 1000 for a, b in zip(starts, starts[1:]))
    lasted = sorted((p[1] - p[0]) / 1000 for p in passes)
    stats = lambda v: {"p50": pct(v, 50), "p95": pct(v, 95), "p99": pct(v, 99), "max": v[-1] if v else 0,
                       "mean": sum(v) / len(v) if v else 0}
    return {
        "events": len(rows), "recorded": len(rec["events"]),
        "recorded_distinct": len({e["id"] for e in rec["events"]}), "duplicates": rec["duplicates"],
        "not_delivered": sum(1 for r in rows if not r["delivered_us"]),
        "to_receiver_ms": stats(recv), "to_delivered_at_ms": stats(deliv),
        "passes": len(passes), "events_per_pass": len(times) / len(passes) if passes else 0,
        "pass_ms": stats(lasted), "pass_gap_ms": stats(gaps),
    }


def main(argv):
    if len(argv) < 4 or argv[1] not in ("drain", "latency"):
        sys.stderr.write(__doc__)
        return 2
    try:
        rec, rows = load(argv[2], argv[3])
    except (OSError, ValueError, KeyError, IndexError) as e:
        sys.stderr.write("check.py: %s\n" % e)
        return 2
    if argv[1] == "drain":
        if len(argv) != 7:
            sys.stderr.write(__doc__)
            return 2
        out = drain(rec, rows, argv[4], argv[5], argv[6])
    else:
        out = latency(rec, rows)
    print("RESULT " + json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
