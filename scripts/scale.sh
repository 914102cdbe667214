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
# Redis listens on a unix socket only ($SCALE_DIR/redis/redis.sock, 0600 in a 0700 folder): no TCP port.
SCALE_MAXCONN=${SCALE_MAXCONN:-4000}            # haproxy: connections at once on SCALE_PORT
SCALE_MAX_CONN_PER_SOURCE=${SCALE_MAX_CONN_PER_SOURCE:-200}  # ... from one address (an office NAT's sockets)
SCALE_ADMIN_SOURCES=${SCALE_ADMIN_SOURCES:-127.0.0.1}  # addresses that may use Rasa's HTTP API through haproxy
# Started by root: Redis, haproxy (after binding its ports) and the Rasa and action servers run as
# this unprivileged user, created when absent (SCALE_USER= keeps them root). Otherwise: the caller.
SCALE_USER=${SCALE_USER-qx}
if [ "$(id -u)" != 0 ]; then SCALE_USER=""; fi
MODEL=${MODEL:-models/current.tar.gz}
# Rasa's conversation lock lifetime (s): a server that dies holding a conversation stalls it at most this long.
export TICKET_LOCK_LIFETIME=${TICKET_LOCK_LIFETIME:-60}
PG_BIN=/usr/lib/postgresql/15/bin
PY=.venv/bin/python

mkdir -p "$SCALE_DIR/log"
SCALE_DIR=$(cd "$SCALE_DIR" && pwd)
LOG="$SCALE_DIR/log"
chmod 700 "$LOG"  # logs of servers that handle customers' data
REDIS_SOCKET="$SCALE_DIR/redis/redis.sock"
PG_PASSWORD_FILE="$SCALE_DIR/pg/password"

# PostgreSQL refuses to run as root: as root, its commands run as the postgres user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A process that runs (a zombie, waiting for its parent to reap it, does not).
running() { local state; state=$(ps -o stat= -p "$1" 2>/dev/null) && [ -n "$state" ] && [[ $state != Z* ]]; }
alive() { [ -f "$1" ] && running "$(cat "$1")"; }

# The command line of process $1 contains $2: a pid file left by a crash may name a pid the
# system has given to another process since, which must not be stopped.
# Whether pid $1 is this scale set's: its command line contains $2 and, for a server supervisord
# started (rasa-*, actions-*: $3 = cwd), it runs in this checkout — another checkout's make run
# on the same port, a second scale set or the system's redis-server are left alone.
ours() {
  [ -r "/proc/$1/cmdline" ] || return 1
  tr '\0' ' ' < "/proc/$1/cmdline" | grep -F -- "$2" >/dev/null || return 1  # no -q: tr never meets a closed pipe (pipefail)
  [ -z "${3:-}" ] || [ "$(readlink -f "/proc/$1/cwd" 2>/dev/null)" = "$3" ]
}

# What each pid file's process runs (its command line contains it).
# (paths under $SCALE_DIR and ports name this scale set, not just any redis-server or Rasa server)
pid_command() {
  local name
  name=$(basename "$1" .pid)
  case "$name" in
    redis) echo "$REDIS_SOCKET" ;;
    supervisord) echo "$SCALE_DIR/supervisord.conf" ;;
    haproxy) echo "$SCALE_DIR/haproxy.cfg" ;;
    rasa-*) echo "--port $((SCALE_RASA_PORT0 + ${name#rasa-}))" ;;
    actions-*) echo "--port $((SCALE_ACTIONS_PORT0 + ${name#actions-}))" ;;
    *) echo "$SCALE_DIR" ;;
  esac
}

# The working folder a pid file's process must have (servers supervisord starts run in the checkout).
pid_cwd() {
  case "$(basename "$1" .pid)" in
    rasa-*|actions-*) pwd -P ;;
    *) echo "" ;;
  esac
}

# Stop the process in pid file $1 (TERM, then KILL after $2 seconds), remove the file. A pid
# that is not ours any more (pid_command) is left alone.
stop_pid() {
  local file=$1 wait_s=${2:-20} pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if running "$pid" && ! ours "$pid" "$(pid_command "$file")" "$(pid_cwd "$file")"; then
    echo "$file names pid $pid, which is not $(pid_command "$file") any more: not stopped" >&2
  elif running "$pid"; then
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

# Wait for program $2 of the supervisord to answer $1 on port $3, and check that the process
# listening there is the program's (its pid file), not another one; fail when it cannot start
# (FATAL) or supervisord stopped. Prints progress every 30 s.
wait_url() {  # url program port
  local ctl=(.venv/bin/supervisorctl -c "$SCALE_DIR/supervisord.conf") n
  echo "  waiting for $2 (log: $LOG/$2.log)"
  for n in $(seq 1 900); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then
      listener_is "$3" "$SCALE_DIR/$2.pid" "$2" || return 1
      echo "  $2 is up (${n} s)"
      return 0
    fi
    if ! running "$SUPERVISORD_PID"; then
      echo "supervisord stopped during start-up: see $LOG/supervisord.log and $LOG/supervisord.out" >&2
      tail -n 20 "$LOG/supervisord.out" "$LOG/supervisord.log" >&2 2>/dev/null || true
      return 1
    fi
    if ((n % 30 == 0)); then echo "  still waiting for $2 after $n s (a Rasa server loads its model: minutes on a busy machine)"; fi
    if "${ctl[@]}" status "$2" 2>/dev/null | grep -q FATAL; then
      echo "$2 could not start: see $LOG/$2.log" >&2; tail -n 30 "$LOG/$2.log" >&2; return 1
    fi
    sleep 1
  done
  echo "$2 not up after 900 s: see $LOG/$2.log" >&2
  return 1
}

# The process listening on TCP port $1 is the one in pid file $2 (named $3): another server
# that answers on our port (started by someone else) must not pass for ours.
listener_is() {
  local port=$1 pid listeners
  command -v ss >/dev/null || return 0
  pid=$(cat "$2" 2>/dev/null || true)
  listeners=$(ss -Hltnp "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u) || true
  if [ -n "$pid" ] && grep -qx "$pid" <<<"$listeners"; then return 0; fi
  echo "port $port answers, but not from $3 (pid ${pid:-?}; listening: ${listeners:-unknown}): another server uses it" >&2
  return 1
}

# Every TCP port `up` will listen on is free (nothing started yet): else fail, naming the port
# and the variable that moves it. Arguments: NAME=PORT ...
check_ports_free() {
  local busy
  busy=$($PY - "$@" <<'PYCHECK'
import socket, sys
for pair in sys.argv[1:]:
    name, port = pair.split("=")
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is no conflict; a listener is
        try:
            s.bind(("0.0.0.0", int(port)))
        except OSError:
            print(f"{name}={port}")
PYCHECK
)
  [ -z "$busy" ] && return 0
  local pair
  for pair in $busy; do
    echo "port ${pair#*=} (${pair%%=*}) is already in use: stop what listens there, or choose another port," \
      "e.g. ${pair%%=*}=$(( ${pair#*=} + 1000 )) make scale-up" >&2
  done
  echo "Nothing was started. (A scale set left running from an earlier start? make scale-down stops it.)" >&2
  return 1
}

# One supervisord for the scale set: every action server, Rasa server and haproxy is started
# again when it dies (autorestart). Each program writes its own pid file ($SCALE_DIR/<name>.pid,
# rewritten at every start) and execs the server, so the file names the running server.
# Secrets stay in the environment, which the programs inherit from supervisord.
write_supervisord_conf() {
  local conf="$SCALE_DIR/supervisord.conf" root dir log i port
  : > "$conf"; chmod 600 "$conf"
  # absolute paths, '%' doubled: supervisord expands %(...)s in its configuration
  root=${PWD//%/%%}; dir=${SCALE_DIR//%/%%}; log=${LOG//%/%%}
  . scripts/supervisord.sh
  program() {  # name stopwaitsecs shell-command (run by bash; $VARS from the environment)
    supervisord_program "$1" "$log" "$root" "$2" 50MB 10 "echo \$\$ > \"\$SCALE_DIR/$1.pid\" && exec $3"
  }
  server() {  # the same, run as SERVER_USER (root otherwise)
    program "$@"
    if [ -n "$SERVER_USER" ]; then printf 'user=%s\nenvironment=HOME="%s"\n' "$SERVER_USER" "$dir/home"; fi
  }
  {
    supervisord_header "$dir" "$log" "$root"
    for ((i = 1; i <= ACTIONS; i++)); do
      port=$((SCALE_ACTIONS_PORT0 + i))
      server "actions-$i" 20 "env ACTIONS_PORT=$port $PY -m actions.server --actions actions --host 127.0.0.1 --port $port"
    done
    program haproxy 10 'haproxy -db -f "$SCALE_DIR/haproxy.cfg"'
    for ((i = 1; i <= SERVERS; i++)); do
      # the API token from the environment (scripts/rasa_launch.py): no secret on a command line
      server "rasa-$i" 30 "$PY scripts/rasa_launch.py --model \"\$MODEL\" --enable-api \
--interface 127.0.0.1 --port $((SCALE_RASA_PORT0 + i)) --credentials credentials.yml --endpoints endpoints.yml"
    done
  } > "$conf"
}

# Stop supervisord (it stops its programs: TERM to each process group, KILL after stopwaitsecs),
# then anything a pid file still names (a supervisord killed by hand leaves its programs running).
stop_supervised() {
  local file=$SCALE_DIR/supervisord.pid pid
  if alive "$file" && ! ours "$(cat "$file")" "$SCALE_DIR/supervisord.conf"; then
    echo "$file names pid $(cat "$file"), which is not supervisord any more: not stopped" >&2
  elif alive "$file"; then
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

# The PostgreSQL superuser's password: $SCALE_PG_PASSWORD when set at the cluster's creation,
# else generated; kept in $PG_PASSWORD_FILE (0600, the cluster owner's) since the cluster is.
pg_password() {
  if [ ! -s "$PG_PASSWORD_FILE" ]; then
    (umask 077; printf '%s' "${SCALE_PG_PASSWORD:-$($PY -c 'import secrets; print(secrets.token_urlsafe(32))')}" \
      > "$PG_PASSWORD_FILE")
  fi
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PG_PASSWORD_FILE"; fi
  chmod 600 "$PG_PASSWORD_FILE"
  cat "$PG_PASSWORD_FILE"
}

# psql/createdb over loopback with the password from a 0600 passfile (never on a command line).
pg_client() {
  PGPASSFILE="$SCALE_DIR/pg/pgpass" as_pg "$PG_BIN/$1" -h 127.0.0.1 -p "$SCALE_PG_PORT" -U postgres "${@:2}"
}

# The unprivileged user Redis and haproxy run as (SCALE_USER), created when absent; the Rasa and
# action servers too (SERVER_USER) when that user can run the project's Python and read the
# model — else they stay root, with a warning (e.g. a Python installed under /root). The servers
# get a home of their own under $SCALE_DIR (Rasa, TensorFlow and matplotlib write caches there);
# the pid files their programs write are made for them beforehand.
SERVER_USER=""
ensure_user() {
  [ -n "$SCALE_USER" ] || return 0
  if ! id -u "$SCALE_USER" >/dev/null 2>&1; then
    echo "Creating the system user $SCALE_USER the servers run as (SCALE_USER= keeps them root)"
    useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$SCALE_USER"
  fi
  if setpriv --reuid="$SCALE_USER" --regid="$SCALE_USER" --init-groups \
      bash -c 'test -r "$1" -a -r endpoints.yml && "$2" -c ""' _ "$MODEL" "$PY" >/dev/null 2>&1; then
    SERVER_USER=$SCALE_USER
  else
    echo "warning: user $SCALE_USER cannot run $PY or read $MODEL: the Rasa and action servers run as root" \
      "(Redis and haproxy as $SCALE_USER); make the project and its Python readable to run them as $SCALE_USER" >&2
    return 0
  fi
  mkdir -p "$SCALE_DIR/home"; chown "$SCALE_USER:" "$SCALE_DIR/home"; chmod 700 "$SCALE_DIR/home"
  local i
  for ((i = 1; i <= ACTIONS; i++)); do : > "$SCALE_DIR/actions-$i.pid"; chown "$SERVER_USER" "$SCALE_DIR/actions-$i.pid"; done
  for ((i = 1; i <= SERVERS; i++)); do : > "$SCALE_DIR/rasa-$i.pid"; chown "$SERVER_USER" "$SCALE_DIR/rasa-$i.pid"; done
}

start_postgres() {
  local data="$SCALE_DIR/pg/data" password escaped
  mkdir -p "$SCALE_DIR/pg"
  chmod 700 "$SCALE_DIR/pg"  # the cluster, its socket, password and log: the cluster owner's only
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$SCALE_DIR/pg"; chmod 755 "$SCALE_DIR"; fi
  password=$(pg_password)
  escaped=${password//\\/\\\\}; escaped=${escaped//:/\\:}
  (umask 077; printf '127.0.0.1:%s:*:postgres:%s\n' "$SCALE_PG_PORT" "$escaped" > "$SCALE_DIR/pg/pgpass")
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$SCALE_DIR/pg/pgpass"; fi
  if [ ! -f "$data/PG_VERSION" ]; then
    echo "PostgreSQL: creating the cluster $data"
    # the socket: peer (the cluster owner only); TCP on loopback: the password (SCRAM)
    as_pg "$PG_BIN/initdb" -D "$data" --auth-local=peer --auth-host=scram-sha-256 --pwfile="$PG_PASSWORD_FILE" \
      --encoding=UTF8 --locale=C.UTF-8 -U postgres >"$LOG/initdb.log"
  fi
  as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$SCALE_DIR/pg/pg.log" -w \
    -o "-p $SCALE_PG_PORT -k $SCALE_DIR/pg -c unix_socket_permissions=0700 -c listen_addresses=127.0.0.1 -c max_connections=300" \
    start >/dev/null
  if grep -qE '^[^#]*[[:space:]]trust([[:space:]]|$)' "$data/pg_hba.conf"; then
    # A cluster made by an earlier scale-up (initdb --auth=trust: any local user was superuser):
    # set the password (SQL on stdin, not the command line), then require it.
    echo "PostgreSQL: the cluster trusted every local user; it now requires the password in $PG_PASSWORD_FILE"
    printf "SET log_statement = 'none';\nALTER ROLE postgres PASSWORD '%s';\n" "${password//\'/\'\'}" |
      pg_client psql -q -v ON_ERROR_STOP=1 -d postgres >/dev/null
    (umask 077; printf '%s\n' "local all all peer" "host all all 127.0.0.1/32 scram-sha-256" \
      "host all all ::1/128 scram-sha-256" > "$data/pg_hba.conf")
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$data/pg_hba.conf"; fi
    as_pg "$PG_BIN/pg_ctl" -D "$data" reload >/dev/null
  fi
  pg_client psql -tAc "SELECT 1 FROM pg_database WHERE datname='qx'" -d postgres | grep -q 1 ||
    pg_client createdb qx
  # the servers get it from the environment only (supervisord passes its environment on)
  DATABASE_URL="postgresql+psycopg2://postgres:$(printf '%s' "$password" |
    $PY -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.stdin.read(), safe=""))')@127.0.0.1:$SCALE_PG_PORT/qx"
  export DATABASE_URL
}

# Redis on a unix socket only (no TCP port): 0600 in a 0700 folder, so no other local user can
# read the live chats' keys or PUBLISH on socket.io's channel. The process that answers must
# be ours (INFO's process_id is the pid in redis.pid).
start_redis() {
  mkdir -p "$SCALE_DIR/redis"; chmod 700 "$SCALE_DIR/redis"
  local user=()  # setpriv execs redis-server: the pid stays the one spawn records
  if [ -n "$SCALE_USER" ]; then
    chown "$SCALE_USER:" "$SCALE_DIR/redis"
    user=(setpriv --reuid="$SCALE_USER" --regid="$SCALE_USER" --init-groups)
  fi
  spawn "$SCALE_DIR/redis.pid" "$LOG/redis.log" "${user[@]}" redis-server --port 0 --unixsocket "$REDIS_SOCKET" \
    --unixsocketperm 600 --save "" --appendonly no --dir "$SCALE_DIR/redis"
  local pid answered
  pid=$(cat "$SCALE_DIR/redis.pid")
  for _ in $(seq 1 100); do
    # (|| true: not answering yet is no error under set -e and pipefail)
    answered=$(redis-cli -s "$REDIS_SOCKET" info server 2>/dev/null | tr -d '\r' | sed -n 's/^process_id://p') || true
    if [ -n "$answered" ]; then
      [ "$answered" = "$pid" ] && return 0
      echo "another redis-server (pid $answered) answers on $REDIS_SOCKET, not ours (pid $pid)" >&2
      return 1
    fi
    running "$pid" || break
    sleep 0.1
  done
  echo "redis-server did not start: see $LOG/redis.log" >&2
  tail -n 20 "$LOG/redis.log" >&2 || true
  return 1
}

# haproxy.cfg (0600): the front door on SCALE_PORT and the action servers' door on loopback.
write_haproxy_conf() {
  local conf="$SCALE_DIR/haproxy.cfg" i key admin_sources
  : > "$conf"; chmod 600 "$conf"
  # the sticky cookie's value per server: opaque (not the server's name), from a key of this run
  key=$($PY -c 'import secrets; print(secrets.token_hex(16))')
  admin_sources=${SCALE_ADMIN_SOURCES//,/ }
  local run_as=""  # haproxy binds its ports as root, then runs as the scale set's user
  if [ -n "$SCALE_USER" ]; then run_as=$'\n'"    user $SCALE_USER"$'\n'"    group $SCALE_USER"; fi
  {
    cat <<CONF
global
    maxconn $((SCALE_MAXCONN + 1000))$run_as
    # a port another process holds is an error, not shared (SO_REUSEPORT would split its traffic)
    noreuseport
    log stdout format raw local0 info
    # current connections per server (\`show stat\`): bench/scale.py kills the busiest
    stats socket $SCALE_DIR/haproxy.sock mode 600 level operator
defaults
    mode http
    log global
    # access log (var/scale/log/haproxy.log): the path only — tokens travel as ?token=
    log-format "%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq \\"%HM %HPO %HV\\""
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
    # a request's headers must arrive within 10 s (slowloris: connections that never finish them)
    timeout http-request 10s
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
    maxconn $SCALE_MAXCONN
    # the body too must arrive within timeout http-request (up to a buffer's worth): a body sent a
    # byte every few seconds no longer holds a connection open
    option http-buffer-request
    # at most SCALE_MAX_CONN_PER_SOURCE connections at once from one address
    stick-table type ip size 1m expire 10m store conn_cur
    tcp-request connection track-sc0 src
    tcp-request connection reject if { sc0_conn_cur gt $SCALE_MAX_CONN_PER_SOURCE }
    # Rasa's HTTP API (token-protected, /version too; PUT /model loads any model) only from
    # SCALE_ADMIN_SOURCES; the path decoded, so /%63onversations is refused too
    acl rasa_api path,url_dec -m reg -i ^/+(conversations|model|jobs|status|domain|version)(/|\$)
    acl admin_source src $admin_sources
    http-request deny deny_status 403 if rasa_api !admin_source
    default_backend rasa

backend rasa
    balance leastconn
    cookie QXSERVER insert indirect nocache httponly
    option httpchk GET /
    http-check expect status 200
    default-server inter 2s fastinter 500ms fall 3 rise 2 observe layer4 error-limit 1 on-error mark-down
CONF
    for ((i = 1; i <= SERVERS; i++)); do
      echo "    server rasa-$i 127.0.0.1:$((SCALE_RASA_PORT0 + i)) check cookie $(printf '%s' "$key:rasa-$i" | sha256sum | cut -c1-16)"
    done
    cat <<CONF

# The action servers, on loopback: the one action endpoint the Rasa servers call.
frontend actions
    bind 127.0.0.1:$SCALE_ACTIONS_PORT
    maxconn 1000
    option dontlog-normal
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
  } >> "$conf"
  haproxy -c -q -f "$conf"
}

# "a" or "a..b" (one port or a range).
port_range() { if [ "$1" = "$2" ]; then echo "$1"; else echo "$1..$2"; fi; }

up() {
  for file in "$SCALE_DIR"/*.pid; do
    if alive "$file"; then echo "Already running ($file): make scale-down first" >&2; exit 1; fi
  done
  command -v haproxy >/dev/null || { echo "haproxy is missing: make haproxy-deps" >&2; exit 1; }
  [ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL 15 is missing: make postgres-deps" >&2; exit 1; }
  local ports=("SCALE_PORT=$SCALE_PORT" "SCALE_ACTIONS_PORT=$SCALE_ACTIONS_PORT" "SCALE_PG_PORT=$SCALE_PG_PORT") i
  for ((i = 1; i <= SERVERS; i++)); do ports+=("SCALE_RASA_PORT0=$((SCALE_RASA_PORT0 + i))"); done
  for ((i = 1; i <= ACTIONS; i++)); do ports+=("SCALE_ACTIONS_PORT0=$((SCALE_ACTIONS_PORT0 + i))"); done
  check_ports_free "${ports[@]}" || exit 1
  trap 'echo "Start-up failed: stopping what started" >&2; down' ERR
  ensure_user

  start_postgres
  echo "PostgreSQL 15 on 127.0.0.1:$SCALE_PG_PORT (password in $PG_PASSWORD_FILE)"
  start_redis
  echo "Redis on $REDIS_SOCKET"
  export REDIS_URL="unix://$REDIS_SOCKET?db=0"
  export TRUSTED_PROXIES=${TRUSTED_PROXIES:-127.0.0.1}  # haproxy's X-Forwarded-For
  # Migrations once, before any server starts (the servers only check the revision).
  echo "Database: migrations and demo data"
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
  echo "Starting $ACTIONS action server(s), $SERVERS Rasa server(s) and haproxy under supervisord (logs: $LOG/)"
  spawn "$SCALE_DIR/supervisord.pid.start" "$LOG/supervisord.out" .venv/bin/supervisord -c "$SCALE_DIR/supervisord.conf"
  SUPERVISORD_PID=$(cat "$SCALE_DIR/supervisord.pid.start")
  rm -f "$SCALE_DIR/supervisord.pid.start"  # supervisord writes its own pid file
  for ((i = 1; i <= ACTIONS; i++)); do
    wait_url "http://127.0.0.1:$((SCALE_ACTIONS_PORT0 + i))/health" "actions-$i" $((SCALE_ACTIONS_PORT0 + i))
  done
  for ((i = 1; i <= SERVERS; i++)); do
    wait_url "http://127.0.0.1:$((SCALE_RASA_PORT0 + i))/" "rasa-$i" $((SCALE_RASA_PORT0 + i))
  done
  wait_url "http://127.0.0.1:$SCALE_PORT/" haproxy "$SCALE_PORT"
  trap - ERR

  local secrets_info="" name
  for name in RASA_API_TOKEN REST_API_TOKEN ACTION_SERVER_TOKEN; do
    if [[ " ${generated[*]:-} " == *" $name "* ]]; then
      secrets_info+=" $(printf '%-20s' "$name") ${!name}   (generated for this run)"$'\n'
    else
      secrets_info+=" $(printf '%-20s' "$name") (from the environment)"$'\n'
    fi
  done
  local base="http://localhost:$SCALE_PORT"
  cat <<INFO

==================================================================
 haproxy         $base   (every route of \`make run\`; leastconn, sticky socket.io)
                 at most $SCALE_MAX_CONN_PER_SOURCE connections per address; Rasa's HTTP API from $SCALE_ADMIN_SOURCES only
 REST channel    $base/webhooks/rest/webhook   (Authorization: Bearer \$REST_API_TOKEN)
 Rasa HTTP API   $base/status?token=\$RASA_API_TOKEN   (from $SCALE_ADMIN_SOURCES)
 Rasa servers    $SERVERS on 127.0.0.1:$(port_range $((SCALE_RASA_PORT0 + 1)) $((SCALE_RASA_PORT0 + SERVERS)))   (pid files $SCALE_DIR/rasa-<i>.pid)
 Action servers  $ACTIONS on 127.0.0.1:$(port_range $((SCALE_ACTIONS_PORT0 + 1)) $((SCALE_ACTIONS_PORT0 + ACTIONS))), behind 127.0.0.1:$SCALE_ACTIONS_PORT
 PostgreSQL 15   127.0.0.1:$SCALE_PG_PORT, database qx, user postgres, password in $PG_PASSWORD_FILE   (cluster $SCALE_DIR/pg/data)
 Redis           $REDIS_URL   (unix socket, 0600)
 Agent desk      $base/agent/   ($DEMO_LOGIN)
 Web chat demo   $base/chat/
 Logs            $LOG/   (haproxy.log: the access log)
 Processes       supervised (restarted when they die):  .venv/bin/supervisorctl -c $SCALE_DIR/supervisord.conf status
 Secrets (keep them; set them in the environment to reuse them):
${secrets_info} Try:  curl -s -H "Authorization: Bearer \$REST_API_TOKEN" -H 'Content-Type: application/json' \\
         -d '{"sender":"me","message":"where is QX-100002?"}' $base/webhooks/rest/webhook
 Stop with:  make scale-down
==================================================================
INFO
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  haproxy-config) write_haproxy_conf ;;  # only $SCALE_DIR/haproxy.cfg (tests/integration/test_scale_haproxy.py)
  *) echo "usage: $0 up|down|haproxy-config" >&2; exit 2 ;;
esac
