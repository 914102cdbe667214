#!/usr/bin/env bash
# Start the action server and the Rasa server together; Ctrl-C stops both.
# Logs go to the terminal (prefixed) and to $LOG_DIR/{actions,rasa}.log (default var/log).
set -euo pipefail
cd "$(dirname "$0")/.."

RASA_PORT=${RASA_PORT:-5005}
# The action server listens on loopback only; Rasa reaches it there (endpoints.yml).
export ACTIONS_HOST=${ACTIONS_HOST:-127.0.0.1}
export ACTIONS_PORT=${ACTIONS_PORT:-5055}
MODEL=${MODEL:-models/current.tar.gz}
LOG_DIR=${LOG_DIR:-var/log}
mkdir -p "$LOG_DIR"
DEMO_LOGIN=$(.venv/bin/python -m bot.cli demo-agent)

# Secrets (DESIGN.md §10): taken from the environment, else random for this run
# and printed below. RASA_API_TOKEN guards Rasa's HTTP API (?token=...),
# REST_API_TOKEN the REST channel (Authorization: Bearer ...), and
# ACTION_SERVER_TOKEN is the secret Rasa sends the action server.
generated=()
for name in RASA_API_TOKEN REST_API_TOKEN ACTION_SERVER_TOKEN; do
  if [ -z "${!name:-}" ]; then
    export "$name=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(32))')"
    generated+=("$name")
  else
    export "$name"
  fi
done

pids=()
stop() {
  trap - INT TERM EXIT
  echo "Stopping (Rasa and action server)..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

# Action server: rasa-sdk behind the ACTION_SERVER_TOKEN check (actions/server.py).
.venv/bin/python -m actions.server --actions actions --host "$ACTIONS_HOST" --port "$ACTIONS_PORT" \
  > >(tee "$LOG_DIR/actions.log" | sed -u 's/^/[actions] /') 2>&1 &
pids+=($!)

# Rasa: the HTTP API needs RASA_API_TOKEN; no --cors (the API is server-to-server,
# the web chat routes answer CORS for their own allow-list).
.venv/bin/rasa run --model "$MODEL" --enable-api --auth-token="$RASA_API_TOKEN" --port "$RASA_PORT" \
  --credentials credentials.yml --endpoints endpoints.yml \
  > >(tee "$LOG_DIR/rasa.log" | sed -u 's/^/[rasa] /') 2>&1 &
pids+=($!)

# Wait for both servers (loading the model takes a while on a busy machine).
for _ in $(seq 1 600); do
  if curl -fsS "http://localhost:$RASA_PORT/" >/dev/null 2>&1 &&
     curl -fsS "http://$ACTIONS_HOST:$ACTIONS_PORT/health" >/dev/null 2>&1; then break; fi
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "A server stopped during start-up: see $LOG_DIR/" >&2; exit 1; }
  done
  sleep 1
done

secrets_info=""
for name in RASA_API_TOKEN REST_API_TOKEN ACTION_SERVER_TOKEN; do
  if [[ " ${generated[*]} " == *" $name "* ]]; then
    secrets_info+=" $(printf '%-20s' "$name") ${!name}   (generated for this run)"$'\n'
  else
    secrets_info+=" $(printf '%-20s' "$name") (from the environment)"$'\n'
  fi
done
exports=""
for name in "${generated[@]}"; do exports+=" $name=${!name}"; done

cat <<INFO

==================================================================
 Rasa server     http://localhost:$RASA_PORT   (REST: POST /webhooks/rest/webhook)
 Rasa HTTP API   http://localhost:$RASA_PORT/conversations/<id>/tracker?token=\$RASA_API_TOKEN
 Action server   http://$ACTIONS_HOST:$ACTIONS_PORT/health   (loopback; other routes need ACTION_SERVER_TOKEN)
 Web chat demo   http://localhost:$RASA_PORT/chat/     (widget: /chat/widget.js, socket.io at /socket.io)
 Agent desk      http://localhost:$RASA_PORT/agent/    ($DEMO_LOGIN)
 Agent API       http://localhost:$RASA_PORT/agent/api/…  (bearer token from /agent/api/login)
 Database        ${DATABASE_URL:-sqlite:///var/bot.db}
 Logs            $LOG_DIR/rasa.log, $LOG_DIR/actions.log
 Secrets (keep them; set them in the environment to reuse them):
${secrets_info}${exports:+ In another shell:  export$exports
} Try it:  curl -s localhost:$RASA_PORT/webhooks/rest/webhook \\
            -H "Authorization: Bearer $REST_API_TOKEN" \\
            -d '{"sender":"me","message":"where is QX-100002?"}'
 Stop with Ctrl-C.
==================================================================

INFO
wait -n "${pids[@]}"
