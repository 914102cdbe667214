#!/usr/bin/env bash
# Start the action server and the Rasa server together; Ctrl-C stops both.
# Logs go to the terminal (prefixed) and to var/log/{actions,rasa}.log.
set -euo pipefail
cd "$(dirname "$0")/.."

RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
MODEL=${MODEL:-models/current.tar.gz}
mkdir -p var/log
DEMO_LOGIN=$(.venv/bin/python -m bot.cli demo-agent)

pids=()
stop() {
  trap - INT TERM EXIT
  echo "Stopping (Rasa and action server)..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

.venv/bin/rasa run actions --actions actions --port "$ACTIONS_PORT" \
  > >(tee var/log/actions.log | sed -u 's/^/[actions] /') 2>&1 &
pids+=($!)

.venv/bin/rasa run --model "$MODEL" --enable-api --cors "*" --port "$RASA_PORT" \
  --credentials credentials.yml --endpoints endpoints.yml \
  > >(tee var/log/rasa.log | sed -u 's/^/[rasa] /') 2>&1 &
pids+=($!)

for _ in $(seq 1 180); do
  if curl -fsS "http://localhost:$RASA_PORT/status" >/dev/null 2>&1; then break; fi
  sleep 1
done

cat <<INFO

==================================================================
 Rasa server     http://localhost:$RASA_PORT   (REST: POST /webhooks/rest/webhook)
 Action server   http://localhost:$ACTIONS_PORT/health
 Web chat demo   http://localhost:$RASA_PORT/chat/     (widget: /chat/widget.js, socket.io at /socket.io)
 Agent desk      http://localhost:$RASA_PORT/agent/    ($DEMO_LOGIN)
 Agent API       http://localhost:$RASA_PORT/agent/api/…  (bearer token from /agent/api/login)
 Database        ${DATABASE_URL:-sqlite:///var/bot.db}
 Logs            var/log/rasa.log, var/log/actions.log
 Try it:  curl -s localhost:$RASA_PORT/webhooks/rest/webhook \\
            -d '{"sender":"me","message":"where is QX-100002?"}'
 Stop with Ctrl-C.
==================================================================

INFO
wait -n "${pids[@]}"
