#!/usr/bin/env python3
# Checks over one run of tests/integration/vtl1-protect.sh: the guest's
# output holds "list {json}" (vbsctl protect list --json), "log {json}"
# (vbsctl log --json) and "hvN {json}" (vbsctl hv --json on CPU N) lines.
# Usage: protect_query.py OUTPUT QUERY ARGS...; exit 0 when the check holds,
# 1 (with the reason on stderr) when not.
import json
import sys


def tagged(path, tag):
    out = []
    for line in open(path, errors="replace"):
        if line.startswith(tag + " "):
            out.append(json.loads(line.split(" ", 1)[1]))
    return out


def fail(why):
    print(why, file=sys.stderr)
    sys.exit(1)


def main():
    path, query, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    ranges = {r["label"]: r for d in tagged(path, "list") for r in d["ranges"]}
    logs = tagged(path, "log")
    events = logs[0]["entries"] if logs else []
    if query == "violations":  # LABEL=N ...
        for a in args:
            label, want = a.split("=")
            got = ranges.get(label, {}).get("violations")
            if got != int(want):
                fail(f"{label}: {got} violations, want {want}")
    elif query == "events":  # KIND DETAIL COUNT [MODULE]: RIP, GPA in the range
        kind, detail, want = args[0], args[1], int(args[2])
        module = args[3] if len(args) > 3 else None
        label = detail.split(": ", 1)[1]
        r = ranges.get(label)
        hits = [e for e in events if e["kind"] == kind and e["detail"] == detail]
        if len(hits) != want:
            fail(f"{len(hits)} '{detail}' events, want {want}")
        for e in hits:
            if not r or not r["gpa"] <= e["arg"] < r["gpa"] + 4096 * r["pages"]:
                fail(f"event GPA {e['arg']:#x} outside {label}")
            if e["source"] < 0xffff800000000000:
                fail(f"event RIP {e['source']:#x} is not a kernel address")
            if module is not None and e["module"] != module:
                fail(f"event module '{e['module']}', want '{module}'")
    elif query == "tripwire":
        details = [e["detail"] for e in events if e["detail"].endswith(": t-trip")]
        if details != ["read tripwire: t-trip", "write tripwire: t-trip"]:
            fail(f"tripwire events: {details}")
    elif query == "refused":  # CODE COUNT [MODULE]
        hits = [e for e in events if e["kind"] == "refused" and e["code"] == int(args[0])]
        if len(hits) < int(args[1]):
            fail(f"{len(hits)} refusals with code {args[0]}")
        if len(args) > 2 and any(e["module"] != args[2] for e in hits):
            fail(f"refusal modules {[e['module'] for e in hits]}, want '{args[2]}'")
    elif query == "counters":  # MIN_INTERCEPTS MIN_SHOOTDOWNS
        hvs = [d for n in range(64) for d in tagged(path, f"hv{n}")]
        icpt = sum(d["exits"].get("intercept", 0) for d in hvs)
        shoot = sum(d["exits"].get("shootdown", 0) for d in hvs)
        if not hvs or icpt < int(args[0]) or shoot < int(args[1]):
            fail(f"intercepts {icpt}, shootdowns {shoot}")
    elif query == "stress":  # COUNT: events + reported losses
        kept = sum(1 for e in events if e["detail"] == "write audited: t-stress")
        lost = sum(e["arg"] for e in events if e["detail"] == "intercept events lost")
        if kept + lost != int(args[0]) or logs[0]["lost"]:
            fail(f"{kept} stress events kept + {lost} reported lost != {args[0]}")
        print(f"# stress events: {kept} in the log, {lost} reported lost")
    else:
        fail(f"unknown query {query}")


main()
