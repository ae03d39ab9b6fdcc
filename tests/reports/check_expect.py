#!/usr/bin/env python3
"""Sanity-check tests/reports/*.expect.json against their reports.

Run from anywhere: python3 tests/reports/check_expect.py
Checks: JSON parses; every quote text occurs verbatim in the report (cp1252.txt
is decoded as Windows-1252, everything else as UTF-8); each quote piece sits
right after an opening quotation mark; results have 2 teams and 2 integer
goals; round/leg/penalties/date fields are well formed; tie winners are one
of the tie's teams. It also lists quotation marks that open no labelled piece
(these should all be scare quotes or titles, i.e. deliberate exclusions).
"""
import json, re, sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROUNDS = {None, "quarter-final", "semi-final", "final", "last-16", "group"}
OPEN = '"\u201c'
errors = 0

def err(msg):
    global errors
    errors += 1
    print("ERROR:", msg)

for exp in sorted(HERE.glob("*.expect.json")):
    stem = exp.name[: -len(".expect.json")]
    reports = [p for p in HERE.glob(stem + ".*") if not p.name.endswith(".expect.json")]
    if len(reports) != 1:
        err(f"{exp.name}: expected exactly one report file, found {reports}")
        continue
    rep = reports[0]
    enc = "cp1252" if rep.name == "cp1252.txt" else "utf-8"
    text = rep.read_bytes().decode(enc)
    try:
        data = json.loads(exp.read_text(encoding="utf-8"))
    except Exception as e:  # noqa
        err(f"{exp.name}: does not parse: {e}")
        continue
    for key in ("quotes", "results", "ties", "people"):
        if not isinstance(data.get(key), list):
            err(f"{exp.name}: missing list '{key}'")
    # quotes
    used_open = set()
    search_from = 0
    for q in data["quotes"]:
        t, spk = q.get("text"), q.get("speaker")
        if not t or t not in text:
            err(f"{exp.name}: quote not found: {t!r}")
            continue
        if spk is not None and not isinstance(spk, str):
            err(f"{exp.name}: bad speaker {spk!r}")
        # pick the first occurrence that directly follows an opening mark
        starts = [m.start() for m in re.finditer(re.escape(t), text)]
        ok = [s for s in starts if s > 0 and text[s - 1] in OPEN]
        if not ok:
            err(f"{exp.name}: quote does not follow an opening mark: {t!r}")
            continue
        used_open.add(ok[0] - 1)
    opens = []
    inside = False
    for i, ch in enumerate(text):
        if ch in OPEN:
            opens.append(i)
    unlabelled = [i for i in opens if i not in used_open]
    for i in unlabelled:
        # a mark that closes a piece (preceded by the end of a labelled text) is fine
        closes = any(text[:i].endswith(q["text"]) for q in data["quotes"])
        if closes or (i > 0 and not text[i - 1].isspace()):
            continue  # a closing mark
        snippet = text[i:i + 40].replace("\n", " ")
        print(f"  note {rep.name}: mark opens no labelled piece: {snippet!r}")
    # results
    for r in data["results"]:
        if len(r.get("teams", [])) != 2 or len(r.get("goals", [])) != 2:
            err(f"{exp.name}: result needs 2 teams and 2 goals: {r}")
            continue
        if not all(isinstance(g, int) for g in r["goals"]):
            err(f"{exp.name}: goals must be integers: {r}")
        if r.get("home") not in (None, *r["teams"]):
            err(f"{exp.name}: home not one of the teams: {r}")
        if r.get("round") not in ROUNDS:
            err(f"{exp.name}: bad round {r.get('round')!r}")
        if r.get("leg") not in (None, 1, 2):
            err(f"{exp.name}: bad leg {r.get('leg')!r}")
        p = r.get("penalties")
        if p is not None and (len(p) != 2 or not all(isinstance(x, int) for x in p)):
            err(f"{exp.name}: bad penalties {p!r}")
        d = r.get("date")
        if d is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", d):
            err(f"{exp.name}: bad date {d!r}")
        for team in r["teams"]:
            if team not in text:
                err(f"{exp.name}: team {team!r} not named in the report")
    # ties
    for t in data["ties"]:
        if len(t.get("teams", [])) != 2 or len(t.get("aggregate", [])) != 2:
            err(f"{exp.name}: tie needs 2 teams and 2 aggregate goals: {t}")
        elif t.get("winner") not in t["teams"]:
            err(f"{exp.name}: tie winner not one of the teams: {t}")
    # people
    for p in data["people"]:
        if p.get("name") not in text and not any(a in text for a in p.get("aliases", [])):
            print(f"  note {exp.name}: person {p.get('name')!r} only appears via an alias/short form")
    print(f"ok   {rep.name}: {len(data['quotes'])} quotes, {len(data['results'])} results, "
          f"{len(data['ties'])} ties, {len(data['people'])} people")

print("errors:", errors)
sys.exit(1 if errors else 0)
