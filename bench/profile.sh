#!/usr/bin/env bash
# Profile the project's Rasa server (issue 16): py-spy starts the server and
# samples it until Ctrl-C, then writes a flame graph (or raw stacks).
# Start the action server first (scripts/run.sh does both; or
# `.venv/bin/python -m actions.server --actions actions --port $ACTIONS_PORT`),
# with RASA_API_TOKEN, REST_API_TOKEN, ACTION_SERVER_TOKEN, ACTIONS_HOST,
# ACTIONS_PORT and DATABASE_URL set as for `make run`; then send load
# (e.g. `make bench-serving`'s, or your own curl loop).
#   bench/profile.sh                 -> var/profile.svg (flame graph)
#   FORMAT=raw bench/profile.sh      -> var/profile.txt (collapsed stacks;
#                                       bench/serving.py's top_functions() reads them)
# `make bench-serving` runs the same command under load and puts the top
# functions into bench/results/serving.json ("profile").
set -euo pipefail
cd "$(dirname "$0")/.."
FORMAT=${FORMAT:-flamegraph}
OUT=${OUT:-var/profile.$([ "$FORMAT" = raw ] && echo txt || echo svg)}
mkdir -p "$(dirname "$OUT")"
exec .venv/bin/py-spy record --rate "${RATE:-100}" --format "$FORMAT" --nonblocking --gil --output "$OUT" -- \
  .venv/bin/rasa run --model "${MODEL:-models/current.tar.gz}" --enable-api --auth-token="$RASA_API_TOKEN" \
  --port "${RASA_PORT:-5005}" --credentials credentials.yml --endpoints endpoints.yml
