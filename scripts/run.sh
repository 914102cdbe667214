#!/usr/bin/env bash
# Start the action server and the Rasa server under supervisord, which restarts
# either when it dies; Ctrl-C, or SIGTERM (`make stop`, scripts/stop.sh, which finds this
# script's pid in $RUN_DIR/run.pid), stops everything.
# Logs go to the terminal (prefixed) and to $LOG_DIR/{actions,rasa}.log (default var/log).
# `run.sh --check` only checks that nothing runs on these ports (exit 1 with the reason): `make run`
# calls it before the model, the migrations and the seed, so a second `make run` stops at once.
set -euo pipefail
cd "$(dirname "$0")/.."

RASA_PORT=${RASA_PORT:-5005}
# The action server listens on loopback only; Rasa reaches it there (endpoints.yml).
export ACTIONS_HOST=${ACTIONS_HOST:-127.0.0.1}
export ACTIONS_PORT=${ACTIONS_PORT:-5055}
MODEL=${MODEL:-models/current.tar.gz}
LOG_DIR=${LOG_DIR:-var/log}
RUN_DIR=${RUN_DIR:-var/run/rasa-$RASA_PORT}  # one supervisord per port

# Nothing may run here already, checked before anything is written (the database, the logs, run.pid):
# a second make run on the same RUN_DIR would take the first one's pid file (make stop then could not
# find it), and a port some other program (another checkout's run, a leftover server) listens on would
# only fail once the model is loaded. Bash's /dev/tcp needs no tool and no virtualenv.
listening() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
if running=$(cat "$RUN_DIR/run.pid" 2>/dev/null) && [ -n "$running" ] && kill -0 "$running" 2>/dev/null &&
   tr '\0' ' ' < "/proc/$running/cmdline" 2>/dev/null | grep -F scripts/run.sh >/dev/null; then
  echo "make run is already running for $RUN_DIR (pid $running): stop it first (make stop)" >&2
  exit 1
fi
for in_use in "127.0.0.1 $RASA_PORT RASA_PORT" "$ACTIONS_HOST $ACTIONS_PORT ACTIONS_PORT"; do
  read -r host port name <<< "$in_use"
  if listening "$host" "$port"; then
    echo "port $port ($name) is already in use (another make run, or another program): stop it first" \
         "(RASA_PORT=$RASA_PORT make stop) or choose another $name" >&2
    exit 1
  fi
done
if [ "${1:-}" = --check ]; then exit 0; fi
# The database (customers' messages, contacts, tickets) and the logs are the service user's only:
# what this run creates gets 0600 files and 0700 folders by the umask (supervisord, in the
# foreground, and both servers inherit it); what an earlier run left gets the same by chmod.
umask 077
mkdir -p var "$LOG_DIR" "$RUN_DIR"
private_files() {
  local dir db
  # var/cache: jieba's cache (bot/nlu/jieba_cache.py), 0755 when an older `make train` made it outside this umask
  for dir in var var/cache "$LOG_DIR" "$RUN_DIR"; do
    # never a shared folder (LOG_DIR=/tmp): only the user's own, without the sticky bit
    if [ -O "$dir" ] && [ ! -k "$dir" ]; then chmod 700 "$dir"; fi
  done
  chmod 600 "$LOG_DIR"/{actions,rasa,supervisord}.log* 2>/dev/null || true
  db=${DATABASE_URL:-sqlite:///var/bot.db}  # sqlite:///relative or sqlite:////absolute
  if [[ $db == sqlite*:///* ]]; then
    db=${db#*:///}; db=${db%%\?*}
    chmod 600 "$db" "$db-wal" "$db-shm" "$db-journal" 2>/dev/null || true
  fi
}
private_files
# This run's pid, for `make stop` (scripts/stop.sh); removed when it ends (a second run stopped above).
echo $$ > "$RUN_DIR/run.pid"
trap 'rm -f "$RUN_DIR/run.pid"' EXIT
# Schema migrations once, before any server starts (the servers only check the revision).
.venv/bin/python -m bot.cli migrate
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

# Both servers run under supervisord (PyPI `supervisor`): a server that dies
# is started again, and while the action server is away the Rasa server
# answers itself (bot/handover/action_fallback.py). Its configuration is written here;
# secrets stay in the environment (each program's shell reads them).
# Absolute paths, '%' doubled: supervisord expands %(...)s in its configuration.
root=${PWD//%/%%}
logs=$(cd "$LOG_DIR" && pwd); logs=${logs//%/%%}
run_dir=$(cd "$RUN_DIR" && pwd); run_dir=${run_dir//%/%%}
conf="$RUN_DIR/supervisord.conf"
# One supervised server: program NAME COMMENT STOP_WAIT_S LOG_MAX_BYTES COMMAND (scripts/supervisord.sh).
. scripts/supervisord.sh
program() { supervisord_program "$1" "$logs" "$root" "$3" "$4" 5 "exec $5" "$2"; }
{
supervisord_header "$run_dir" "$logs" "$root"
program actions "; rasa-sdk behind the ACTION_SERVER_TOKEN check (actions/server.py)" 20 20MB \
  '.venv/bin/python -m actions.server --actions actions --host "$ACTIONS_HOST" --port "$ACTIONS_PORT"'
program rasa "; the HTTP API needs RASA_API_TOKEN, read from the environment by scripts/rasa_launch.py
; (no secret on a command line, where ps shows it); no --cors (the web chat routes answer CORS
; for their own allow-list)" 30 50MB \
  '.venv/bin/python scripts/rasa_launch.py --model "$MODEL" --enable-api --port "$RASA_PORT" --credentials credentials.yml --endpoints endpoints.yml'
} > "$conf"
export RASA_PORT MODEL

: > "$LOG_DIR/actions.log"
: > "$LOG_DIR/rasa.log"
: > "$LOG_DIR/supervisord.log"  # the wait below reads this run's lines only
tail -n +1 -F "$LOG_DIR/actions.log" 2>/dev/null | sed -u 's/^/[actions] /' &
tail -n +1 -F "$LOG_DIR/rasa.log" 2>/dev/null | sed -u 's/^/[rasa] /' &

supervisord_pid=
secrets_file=
stop() {
  trap - INT TERM EXIT
  [ -z "$secrets_file" ] || rm -f "$secrets_file"
  echo "Stopping (Rasa and action server)..."
  if [ -n "$supervisord_pid" ]; then
    # supervisord stops both programs (TERM to each process group, KILL after their stopwaitsecs)
    kill -TERM "$supervisord_pid" 2>/dev/null || true
    wait "$supervisord_pid" 2>/dev/null || true
  fi
  rm -f "$conf"  # written for this run (supervisord removes its own pid file and socket)
  # the log followers: `tail | sed` pipelines, each a child of this script ($! is only the sed)
  pkill -TERM -P $$ 2>/dev/null || true
  wait 2>/dev/null || true
  if [ "$(cat "$RUN_DIR/run.pid" 2>/dev/null)" = "$$" ]; then rm -f "$RUN_DIR/run.pid"; fi
  echo "Stopped."
}
# Ctrl-C ends with 130 as usual; SIGTERM (make stop) is a clean stop: status 0, so `make run` ends without an error.
trap 'stop; exit 130' INT
trap 'stop; exit 0' TERM
trap stop EXIT

.venv/bin/supervisord -c "$conf" &
supervisord_pid=$!

# Wait for both servers (loading the model takes a while on a busy machine). A server that
# exits during start-up (a misspelt key in escalation.yml, a port in use, no token) stops
# run.sh at once with the end of its log and a non-zero status, instead of supervisord
# retrying it into FATAL while we wait; so does a start-up longer than START_TIMEOUT_S.
START_TIMEOUT_S=${START_TIMEOUT_S:-600}
up=
for _ in $(seq 1 "$START_TIMEOUT_S"); do
  if curl -fsS "http://localhost:$RASA_PORT/" >/dev/null 2>&1 &&
     curl -fsS "http://$ACTIONS_HOST:$ACTIONS_PORT/health" >/dev/null 2>&1; then up=1; break; fi
  kill -0 "$supervisord_pid" 2>/dev/null || { echo "supervisord stopped during start-up: see $LOG_DIR/" >&2; exit 1; }
  # supervisord logs "exited: NAME (exit status N; ...)" for a program that ended by itself
  if died=$(grep -m1 -oE "exited: (actions|rasa) \([^)]*\)" "$LOG_DIR/supervisord.log" 2>/dev/null); then
    name=${died#exited: }; name=${name%% *}
    { echo "The $name server stopped during start-up (${died#exited: $name }); the end of $LOG_DIR/$name.log:"
      tail -n 30 "$LOG_DIR/$name.log"; } >&2
    exit 1
  fi
  sleep 1
done
if [ -z "$up" ]; then
  echo "The servers did not answer within $START_TIMEOUT_S s: see $LOG_DIR/rasa.log and $LOG_DIR/actions.log" >&2
  exit 1
fi

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
rest_token=$REST_API_TOKEN
# QUIET_SECRETS=1: no secret in the banner (a shared screen, a recorded terminal, a CI log); the
# generated tokens and the demo login go to a 0600 file in RUN_DIR instead, removed at the end.
if [ "${QUIET_SECRETS:-0}" = 1 ]; then
  secrets_file="$RUN_DIR/secrets.env"
  { for name in "${generated[@]}"; do printf 'export %s=%q\n' "$name" "${!name}"; done
    printf '# agent desk: %s\n' "$DEMO_LOGIN"; } > "$secrets_file"
  chmod 600 "$secrets_file"
  secrets_info=" not shown (QUIET_SECRETS=1): the generated ones and the demo login are in
   $secrets_file (0600, removed at the end; '. $secrets_file' in another shell)"$'\n'
  exports=""
  DEMO_LOGIN="login in $secrets_file"
  rest_token='$REST_API_TOKEN'
fi

# Customer sign-in (a site's signed tokens, README "One customer across channels"): never generated, as the site
# signing them must share it; say whether it is on, and how to make a demo token.
if [ -n "${WEBCHAT_TOKEN_SECRET:-}" ]; then
  sign_in="on (WEBCHAT_TOKEN_SECRET from the environment). A demo customer: in a shell with that secret,
                 .venv/bin/python -m bot.cli customer-token shop-42, then open /chat/?token=<the token>"
else
  sign_in="off: WEBCHAT_TOKEN_SECRET is not set, so customer tokens are refused and every chat is anonymous"
fi

# Outside the support hours (or with no agent online) a hand-over becomes a call-back: say which at start-up.
# (never fatal: the servers are up; a broken file shows its error's last line here, and Rasa's log has the rest)
support_hours=$(.venv/bin/python -m bot.cli support-hours 2>&1 | tail -n 1) || support_hours="unknown: $support_hours"

cat <<INFO

==================================================================
 Rasa server     http://localhost:$RASA_PORT   (REST: POST /webhooks/rest/webhook)
 Rasa HTTP API   http://localhost:$RASA_PORT/conversations/<id>/tracker?token=\$RASA_API_TOKEN
 Action server   http://$ACTIONS_HOST:$ACTIONS_PORT/health   (loopback; other routes need ACTION_SERVER_TOKEN)
 Web chat demo   http://localhost:$RASA_PORT/chat/     (widget: /chat/widget.js, socket.io at /socket.io)
 Agent desk      http://localhost:$RASA_PORT/agent/    ($DEMO_LOGIN)
 Agent API       http://localhost:$RASA_PORT/agent/api/…  (bearer token from /agent/api/login)
 Sign-in tokens  $sign_in
 Support hours   $support_hours
                 (a hand-over reaches the queue when they are open and an agent is online, else it is a call-back)
 Database        ${DATABASE_URL:-sqlite:///var/bot.db}
 Logs            $LOG_DIR/rasa.log, $LOG_DIR/actions.log, $LOG_DIR/supervisord.log
 Processes       supervised (restarted when they die):  .venv/bin/supervisorctl -c $conf status
 Secrets (keep them; set them in the environment to reuse them):
${secrets_info}${exports:+ In another shell:  export$exports
} Try it:  curl -s localhost:$RASA_PORT/webhooks/rest/webhook \\
            -H "Authorization: Bearer $rest_token" \\
            -d '{"sender":"me","message":"where is QX-100002?"}'
 Stop with Ctrl-C, or from another shell: RASA_PORT=$RASA_PORT make stop
==================================================================

INFO
wait "$supervisord_pid"
