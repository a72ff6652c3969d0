#!/usr/bin/env python3
"""Writes a JP1/AO task listing ({"data": [...], "count": N}) for benchmarks.

Usage: gen-tasks.py [--tasks N] [--full] [--seed S] [--pretty] > tasks.json

Tasks carry members of REFERENCE.md §3.1 with believable values (services, submitters
and names partly in Japanese, dates in the API's +0900 form, some nulls). By default each
task has the members a `tasks` listing shows and filters on (a `HQL::fields` selection);
200,000 such tasks make a document of about 54 MB. `--full` writes all 26 members
(about 3x larger per task).
"""
import argparse
import json
import random
import sys
from datetime import datetime, timedelta

SERVICES = [
    ("Backup Database", "Database,Backup"), ("Provision VM", "VM,Provisioning"), ("Rotate Logs", "Maintenance"),
    ("バックアップ取得", "Database,Backup"), ("ログ退避", "Maintenance"), ("VM作成", "VM"),
    ("Restart Application Server", "Application"), ("Collect Diagnostics", "Support"),
]
SUBMITTERS = ["System", "admin", "operator01", "山田太郎", "佐藤花子", "鈴木一郎", "ops-batch"]
GROUPS = ["DefaultServiceGroup", "Production", "本番環境", "Staging"]
STATUSES = ["completed"] * 10 + ["failed"] * 3 + ["inProgress"] * 2 + ["waiting", "holding", "waitingResponse",
            "abnormalDetected", "terminating", "longRunning", "canceled"]
NOTES = ["", "", "", "rerun after disk cleanup", "顧客確認待ち", "see ticket INC-20150807-\"42\""]


def stamp(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03d+0900" % (t.microsecond // 1000)


def task(rng, i, base, full):
    service, tags = rng.choice(SERVICES)
    status = rng.choice(STATUSES)
    submit = base + timedelta(seconds=i * 37 + rng.randint(0, 30), milliseconds=rng.randint(0, 999))
    start = None if status in ("waiting", "holding", "canceled") else submit + timedelta(seconds=rng.randint(0, 5))
    finished = status in ("completed", "failed", "canceled")
    done = start + timedelta(seconds=rng.randint(5, 7200)) if finished and start else None
    t = {
        "instanceID": 5000 + i,
        "name": "%s_%s" % (service, submit.strftime("%Y%m%d%H%M%S")),
        "status": status,
        "startTime": stamp(start) if start else None,
        "completionTime": stamp(done) if done else None,
        "submitter": rng.choice(SUBMITTERS),
        "submitTime": stamp(submit),
        "serviceName": service,
        "toDo": rng.random() < 0.05,
    }
    group = rng.choice(GROUPS)
    if not full:
        return t
    scheduled = status in ("waiting", "holding")
    t.update({
        "scheduledStartTime": stamp(submit + timedelta(hours=1)) if scheduled else None,
        "modifyTime": stamp(done or start or submit),
        "serviceState": "release",
        "scheduleType": "schedule" if scheduled else "immediate",
        "description": rng.choice(["", "nightly run", "月次バッチ"]),
        "tags": tags,
        "serviceGroupName": group,
        "recurrenceInterval": None,
        "recurrenceTime": None,
        "recurrenceStartDate": None,
        "notes": rng.choice(NOTES),
        "stepTime": stamp(start) if start else None,
        "serviceTemplateID": 1116 + SERVICES.index((service, tags)),
        "scheduleID": 2000 + i if scheduled else None,
        "serviceGroupID": 3 + GROUPS.index(group),
        "serviceID": 2004 + SERVICES.index((service, tags)),
        "supportedActionType": "stop,forceStop" if status in ("inProgress", "waitingResponse", "abnormalDetected") else "",
    })
    return t


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tasks", type=int, default=200_000)
    p.add_argument("--full", action="store_true", help="all 26 members of REFERENCE.md §3.1")
    p.add_argument("--seed", type=int, default=5381)
    p.add_argument("--pretty", action="store_true", help="indent like the server's examples")
    a = p.parse_args()
    rng = random.Random(a.seed)
    base = datetime(2015, 8, 7, 10, 0, 0)
    out = sys.stdout
    sep = (",\n" if a.pretty else ",")
    out.write('{"data":[' + ("\n" if a.pretty else ""))
    for i in range(a.tasks):
        if i:
            out.write(sep)
        out.write(json.dumps(task(rng, i, base, a.full), ensure_ascii=False, separators=(",", ":")))
    out.write(("\n" if a.pretty else "") + '],"count":%d}\n' % a.tasks)


if __name__ == "__main__":
    main()
