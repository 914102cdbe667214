#!/usr/bin/env bash
# Several servers on one machine (issue 13, DESIGN.md §9):
#   scripts/scale.sh up     a private PostgreSQL 15 cluster and redis-server under $SCALE_DIR,
#                           migrations applied once, $ACTIONS action servers and $SERVERS Rasa
#                           servers, haproxy on $SCALE_PORT (leastconn, cookie stickiness for
#                           socket.io, health checks) and a second haproxy frontend on loopback
#                           for the action servers (Rasa has one action endpoint). The action
#                           servers, the Rasa servers and haproxy run under one supervisord
#                           ($SCALE_DIR/supervisord.conf), which starts again any that dies.
#   scripts/scale.sh down   stops everything `up` started (pid files in $SCALE_DIR).
# `make scale-up SERVERS=N ACTIONS=M` / `make scale-down` call it; every port is a setting,
# so tests run it on free ports. Logs: $SCALE_DIR/log/.
set -euo pipefail
cd "$(dirname "$0")/.."

SCALE_DIR=${SCALE_DIR:-var/scale}
SERVERS=${SERVERS:-2}
ACTIONS=${ACTIONS:-1}
SCALE_PORT=${SCALE_PORT:-8080}                  # haproxy: every route of `make run`
SCALE_ACTIONS_PORT=${SCALE_ACTIONS_PORT:-8090}  # haproxy on loopback: the action servers
SCALE_RASA_PORT0=${SCALE_RASA_PORT0:-5105}      # Rasa server i listens on PORT0 + i
SCALE_ACTIONS_PORT0=${SCALE_ACTIONS_PORT0:-5155}  # action server j on PORT0 + j
SCALE_PG_PORT=${SCALE_PG_PORT:-5433}
SCALE_REDIS_PORT=${SCALE_REDIS_PORT:-6380}
MODEL=${MODEL:-models/current.tar.gz}
# Rasa's conversation lock lifetime (s): a server that dies holding a conversation stalls it at most this long.
export TICKET_LOCK_LIFETIME=${TICKET_LOCK_LIFETIME:-60}
PG_BIN=/usr/lib/postgresql/15/bin
PY=.venv/bin/python

mkdir -p "$SCALE_DIR/log"
SCALE_DIR=$(cd "$SCALE_DIR" && pwd)
LOG="$SCALE_DIR/log"

# PostgreSQL refuses to run as root: as root, its commands run as the postgres user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A process that runs (a zombie, waiting for its parent to reap it, does not).
running() { local state; state=$(ps -o stat= -p "$1" 2>/dev/null) && [ -n "$state" ] && [[ $state != Z* ]]; }
alive() { [ -f "$1" ] && running "$(cat "$1")"; }

# Stop the process in pid file $1 (TERM, then KILL after $2 seconds), remove the file.
stop_pid() {
  local file=$1 wait_s=${2:-20} pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if running "$pid"; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 $((wait_s * 10))); do running "$pid" || break; sleep 0.1; done
    running "$pid" && { kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; }
  fi
  rm -f "$file"
}

# Start "$@" in its own session (so `down` stops its whole process group); pid in $1, log in $2.
spawn() {
  local pidfile=$1 logfile=$2; shift 2
  setsid "$@" >"$logfile" 2>&1 < /dev/null &
  echo $! > "$pidfile"
}

# Wait for program $2 of the supervisord to answer $1; fail when it cannot start (FATAL) or
# supervisord stopped.
wait_url() {  # url program
  local ctl=(.venv/bin/supervisorctl -c "$SCALE_DIR/supervisord.conf")
  for _ in $(seq 1 900); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    if [ -f "$SCALE_DIR/supervisord.pid" ] && ! alive "$SCALE_DIR/supervisord.pid"; then
      echo "supervisord stopped during start-up: see $LOG/supervisord.log" >&2; return 1
    fi
    if "${ctl[@]}" status "$2" 2>/dev/null | grep -q FATAL; then
      echo "$2 could not start: see $LOG/$2.log" >&2; tail -n 30 "$LOG/$2.log" >&2; return 1
    fi
    sleep 1
  done
  echo "$2 not up after 900 s: see $LOG/$2.log" >&2
  return 1
}

# One supervisord for the scale set: every action server, Rasa server and haproxy is started
# again when it dies (autorestart). Each program writes its own pid file ($SCALE_DIR/<name>.pid,
# rewritten at every start) and execs the server, so the file names the running server.
# Secrets stay in the environment, which the programs inherit from supervisord.
write_supervisord_conf() {
  local conf="$SCALE_DIR/supervisord.conf" root dir log i port
  # absolute paths, '%' doubled: supervisord expands %(...)s in its configuration
  root=${PWD//%/%%}; dir=${SCALE_DIR//%/%%}; log=${LOG//%/%%}
  . scripts/supervisord.sh
  program() {  # name stopwaitsecs shell-command (run by bash; $VARS from the environment)
    supervisord_program "$1" "$log" "$root" "$2" 50MB 10 "echo \$\$ > \"\$SCALE_DIR/$1.pid\" && exec $3"
  }
  {
    supervisord_header "$dir" "$log" "$root"
    for ((i = 1; i <= ACTIONS; i++)); do
      port=$((SCALE_ACTIONS_PORT0 + i))
      program "actions-$i" 20 "env ACTIONS_PORT=$port $PY -m actions.server --actions actions --host 127.0.0.1 --port $port"
    done
    program haproxy 10 'haproxy -db -f "$SCALE_DIR/haproxy.cfg"'
    for ((i = 1; i <= SERVERS; i++)); do
      # --auth-token as one argument (a token may start with '-'), from the environment
      program "rasa-$i" 30 ".venv/bin/rasa run --model \"\$MODEL\" --enable-api --auth-token=\"\$RASA_API_TOKEN\" \
--interface 127.0.0.1 --port $((SCALE_RASA_PORT0 + i)) --credentials credentials.yml --endpoints endpoints.yml"
    done
  } > "$conf"
}

# Stop supervisord (it stops its programs: TERM to each process group, KILL after stopwaitsecs),
# then anything a pid file still names (a supervisord killed by hand leaves its programs running).
stop_supervised() {
  local file=$SCALE_DIR/supervisord.pid pid
  if alive "$file"; then
    pid=$(cat "$file")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 600); do running "$pid" || break; sleep 0.1; done
    running "$pid" && kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

down() {
  stop_supervised
  for file in "$SCALE_DIR"/haproxy.pid "$SCALE_DIR"/rasa-*.pid "$SCALE_DIR"/actions-*.pid; do
    [ -e "$file" ] && stop_pid "$file" 30
  done
  stop_pid "$SCALE_DIR/redis.pid" 10
  if [ -f "$SCALE_DIR/pg/data/postmaster.pid" ]; then
    local postmaster
    postmaster=$(head -n 1 "$SCALE_DIR/pg/data/postmaster.pid")
    as_pg "$PG_BIN/pg_ctl" -D "$SCALE_DIR/pg/data" -m fast -w stop >/dev/null || true
    for _ in $(seq 1 100); do running "$postmaster" || break; sleep 0.1; done
  fi
  echo "Stopped everything under $SCALE_DIR"
}

start_postgres() {
  local data="$SCALE_DIR/pg/data"
  mkdir -p "$SCALE_DIR/pg"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$SCALE_DIR/pg"; chmod 755 "$SCALE_DIR"; fi
  if [ ! -f "$data/PG_VERSION" ]; then
    as_pg "$PG_BIN/initdb" -D "$data" --auth=trust --encoding=UTF8 --locale=C.UTF-8 -U postgres >"$LOG/initdb.log"
  fi
  # loopback only, trust: a private cluster for this machine's servers
  as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$SCALE_DIR/pg/pg.log" -w \
    -o "-p $SCALE_PG_PORT -k $SCALE_DIR/pg -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
  as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$SCALE_PG_PORT" -U postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname='qx'" | grep -q 1 ||
    as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$SCALE_PG_PORT" -U postgres qx
}

start_redis() {
  spawn "$SCALE_DIR/redis.pid" "$LOG/redis.log" redis-server --port "$SCALE_REDIS_PORT" --bind 127.0.0.1 \
    --save "" --appendonly no --dir "$SCALE_DIR"
  for _ in $(seq 1 100); do
    redis-cli -p "$SCALE_REDIS_PORT" ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "redis-server did not start: see $LOG/redis.log" >&2
  return 1
}

write_haproxy_conf() {
  local conf="$SCALE_DIR/haproxy.cfg" i
  {
    cat <<CONF
global
    maxconn 4000
    log stdout format raw local0 warning
    # current connections per server (\`show stat\`): bench/scale.py kills the busiest
    stats socket $SCALE_DIR/haproxy.sock mode 600 level operator
defaults
    mode http
    log global
    option httplog
    option forwardfor
    # a connection refused (a server that died, not yet marked down by the health checks) is
    # tried again on another server; nothing that reached a server is sent twice
    retries 3
    option redispatch 1
    timeout connect 5s
    timeout client 90s
    timeout server 120s
    timeout tunnel 1h
    timeout http-keep-alive 10s
    # a busy Rasa server answers its health check late (a turn holds its event loop): a dead
    # one refuses the connection at once, and a refused request goes to another server anyway
    timeout check 10s
    # A server that refuses a connection (live traffic: observe layer4) is marked DOWN at once,
    # not after three failed checks (inter 2s fall 3: 4-6 s during which the dead server still
    # counts as up); while a server's state changes it is checked every 0.5 s (fastinter).
    # A busy server never refuses connections, so only a dead one is marked down this way.

# Every route of \`make run\`: REST, web chat (socket.io: a session stays on the
# server that holds it, by cookie), agent desk and API, Rasa's HTTP API, WeChat, IVR.
frontend web
    bind *:$SCALE_PORT
    default_backend rasa

backend rasa
    balance leastconn
    cookie QXSERVER insert indirect nocache httponly
    option httpchk GET /
    http-check expect status 200
    default-server inter 2s fastinter 500ms fall 3 rise 2 observe layer4 error-limit 1 on-error mark-down
CONF
    for ((i = 1; i <= SERVERS; i++)); do
      echo "    server rasa-$i 127.0.0.1:$((SCALE_RASA_PORT0 + i)) check cookie rasa-$i"
    done
    cat <<CONF

# The action servers, on loopback: the one action endpoint the Rasa servers call.
frontend actions
    bind 127.0.0.1:$SCALE_ACTIONS_PORT
    default_backend actions

backend actions
    balance leastconn
    option httpchk GET /health
    http-check expect status 200
    default-server inter 2s fastinter 500ms fall 3 rise 2 observe layer4 error-limit 1 on-error mark-down
CONF
    for ((i = 1; i <= ACTIONS; i++)); do
      echo "    server actions-$i 127.0.0.1:$((SCALE_ACTIONS_PORT0 + i)) check"
    done
  } > "$conf"
  haproxy -c -q -f "$conf"
}

up() {
  for file in "$SCALE_DIR"/*.pid; do
    if alive "$file"; then echo "Already running ($file): make scale-down first" >&2; exit 1; fi
  done
  command -v haproxy >/dev/null || { echo "haproxy is missing: make haproxy-deps" >&2; exit 1; }
  [ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL 15 is missing: make postgres-deps" >&2; exit 1; }
  trap 'echo "Start-up failed: stopping what started" >&2; down' ERR

  start_postgres
  start_redis
  export DATABASE_URL="postgresql+psycopg2://postgres@127.0.0.1:$SCALE_PG_PORT/qx"
  export REDIS_URL="redis://127.0.0.1:$SCALE_REDIS_PORT/0"
  export TRUSTED_PROXIES=${TRUSTED_PROXIES:-127.0.0.1}  # haproxy's X-Forwarded-For
  # Migrations once, before any server starts (the servers only check the revision).
  $PY -m bot.cli migrate
  $PY -m bot.cli seed >/dev/null
  DEMO_LOGIN=$($PY -m bot.cli demo-agent)

  generated=()
  for name in RASA_API_TOKEN REST_API_TOKEN ACTION_SERVER_TOKEN; do
    if [ -z "${!name:-}" ]; then
      export "$name=$($PY -c 'import secrets; print(secrets.token_urlsafe(32))')"
      generated+=("$name")
    else
      export "$name"
    fi
  done

  write_haproxy_conf
  # Rasa reaches the action servers through haproxy (endpoints.yml reads these).
  export ACTIONS_HOST=127.0.0.1 ACTIONS_PORT=$SCALE_ACTIONS_PORT
  export MODEL SCALE_DIR
  write_supervisord_conf
  spawn "$SCALE_DIR/supervisord.pid.start" "$LOG/supervisord.out" .venv/bin/supervisord -c "$SCALE_DIR/supervisord.conf"
  rm -f "$SCALE_DIR/supervisord.pid.start"  # supervisord writes its own pid file
  local i
  for ((i = 1; i <= ACTIONS; i++)); do
    wait_url "http://127.0.0.1:$((SCALE_ACTIONS_PORT0 + i))/health" "actions-$i"
  done
  for ((i = 1; i <= SERVERS; i++)); do
    wait_url "http://127.0.0.1:$((SCALE_RASA_PORT0 + i))/" "rasa-$i"
  done
  wait_url "http://127.0.0.1:$SCALE_PORT/" haproxy
  trap - ERR

  local secrets_info="" name
  for name in RASA_API_TOKEN REST_API_TOKEN ACTION_SERVER_TOKEN; do
    if [[ " ${generated[*]:-} " == *" $name "* ]]; then
      secrets_info+=" $(printf '%-20s' "$name") ${!name}   (generated for this run)"$'\n'
    else
      secrets_info+=" $(printf '%-20s' "$name") (from the environment)"$'\n'
    fi
  done
  cat <<INFO

==================================================================
 haproxy         http://localhost:$SCALE_PORT   (every route of \`make run\`; leastconn, sticky socket.io)
 Rasa servers    $SERVERS on 127.0.0.1:$((SCALE_RASA_PORT0 + 1))..$((SCALE_RASA_PORT0 + SERVERS))   (pid files $SCALE_DIR/rasa-<i>.pid)
 Action servers  $ACTIONS on 127.0.0.1:$((SCALE_ACTIONS_PORT0 + 1))..$((SCALE_ACTIONS_PORT0 + ACTIONS)), behind 127.0.0.1:$SCALE_ACTIONS_PORT
 PostgreSQL 15   $DATABASE_URL   (cluster $SCALE_DIR/pg/data)
 Redis           $REDIS_URL
 Agent desk      http://localhost:$SCALE_PORT/agent/   ($DEMO_LOGIN)
 Web chat demo   http://localhost:$SCALE_PORT/chat/
 Logs            $LOG/
 Processes       supervised (restarted when they die):  .venv/bin/supervisorctl -c $SCALE_DIR/supervisord.conf status
 Secrets (keep them; set them in the environment to reuse them):
${secrets_info} Stop with:  make scale-down
==================================================================
INFO
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
