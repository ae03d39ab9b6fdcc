#!/usr/bin/env bash
# Extracts every text of an evaluation set and scores it: scripts/eval.sh SET [--verbose]
# SET is a folder of ../shared/eval (seed, dev, dev2, espn-dev). Prints the scorer's summary.
set -euo pipefail
set_name=$1; shift
root=$(cd "$(dirname "$0")/.." && pwd)
eval_dir="${TOUCHLINE_EVAL:-$root/../shared/eval}"
bin="${TOUCHLINE_BIN:-$root/target/release/touchline}"
[ -x "$bin" ] || bin="$root/target/debug/touchline"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for f in "$eval_dir/$set_name"/texts/*.txt; do
  "$bin" extract "$f" --json > "$out/$(basename "${f%.txt}").json"
done
python3 "$eval_dir/score.py" "$eval_dir/$set_name/gold" "$eval_dir/$set_name/texts" "$out" "$@"
