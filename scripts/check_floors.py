#!/usr/bin/env python3
"""Compares scorer summaries (score.py --json) with .ci/floors; exits 1 below a floor.

Usage: check_floors.py FLOORS SET=SUMMARY.json [SET=SUMMARY.json ...]
"""
import json
import sys


def metric(summary, name):
    if name == "quote_attributed_f1":
        return summary["quote_attributed"]["f1"]
    if name == "results_f1":
        return summary["results"]["f1"]
    if name == "results_precision":
        return summary["results"]["precision"]
    if name == "competition_accuracy":
        # no competition claimed at all: nothing unsupported was said
        acc = summary.get("competition_accuracy")
        return 1.0 if acc is None else acc
    if name == "home_accuracy":
        return summary["home_accuracy"] if summary["home_accuracy"] is not None else 1.0
    raise SystemExit(f"unknown metric {name}")


def main(argv):
    floors_path, pairs = argv[0], argv[1:]
    summaries = {}
    for p in pairs:
        name, path = p.split("=", 1)
        summaries[name] = json.load(open(path))
    failed = False
    for line in open(floors_path):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        set_name, name, floor = line.split()
        if set_name not in summaries:
            print(f"FAIL {set_name} {name}: no scores for this set")
            failed = True
            continue
        got = metric(summaries[set_name], name)
        ok = got + 1e-9 >= float(floor)
        failed |= not ok
        print(f"{'ok  ' if ok else 'FAIL'} {set_name:8} {name:22} {got:.3f} (floor {float(floor):.3f})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
