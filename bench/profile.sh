#!/usr/bin/env bash
# Profile the project's Rasa server with py-spy (issue 16), until Ctrl-C; then
# py-spy writes a flame graph (or raw collapsed stacks).
#
#   PID=<rasa pid> bench/profile.sh   attach to a running server (what
#                                     `make bench-serving` does after its warm-up)
#   bench/profile.sh                  start the server under py-spy: needs the
#                                     action server running and RASA_API_TOKEN,
#                                     REST_API_TOKEN, ACTION_SERVER_TOKEN,
#                                     ACTIONS_HOST, ACTIONS_PORT, DATABASE_URL
#                                     set as for `make run`
#   FORMAT=raw ...                    var/profile.txt instead of var/profile.svg
#                                     (bench/serving.py's top_functions() reads it)
#
# --gil samples only the thread running Python (no idle threads). Then send
# load: `make bench-serving`'s, or your own curl loop.
set -euo pipefail
cd "$(dirname "$0")/.."
FORMAT=${FORMAT:-flamegraph}
OUT=${OUT:-var/profile.$([ "$FORMAT" = raw ] && echo txt || echo svg)}
mkdir -p "$(dirname "$OUT")"
SPY=(.venv/bin/py-spy record --rate "${RATE:-100}" --format "$FORMAT" --nonblocking --gil --output "$OUT")
if [ -n "${PID:-}" ]; then
  exec "${SPY[@]}" --pid "$PID"
fi
exec "${SPY[@]}" -- \
  .venv/bin/rasa run --model "${MODEL:-models/current.tar.gz}" --enable-api --auth-token="$RASA_API_TOKEN" \
  --port "${RASA_PORT:-5005}" --credentials credentials.yml --endpoints endpoints.yml
