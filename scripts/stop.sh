#!/usr/bin/env bash
# Stop what `make run` (scripts/run.sh) started: `make stop` calls it.
#
# run.sh writes its pid to $RUN_DIR/run.pid (default var/run/rasa-$RASA_PORT/run.pid) and, on SIGTERM,
# stops supervisord (which stops the Rasa server and the action server), its log followers, removes the
# file and the supervisord.conf it wrote, and exits 0. This script sends that SIGTERM and waits until run.sh
# and supervisord are gone.
#   RUN_DIR=…     the one run whose files are there
#   RASA_PORT=…   the run on that port (var/run/rasa-$RASA_PORT)
#   neither       every `make run` of this checkout (var/run/rasa-*/)
# A pid file whose process is no longer this checkout's run.sh (a crash, a reboot: the pid may belong to
# another process now) is removed and that process left alone; a supervisord left behind by a run.sh that
# was killed with SIGKILL is stopped through its own pid file. Nothing running: says so, status 0.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd -P)
STOP_TIMEOUT_S=${STOP_TIMEOUT_S:-120}  # supervisord gives Rasa 30 s and the action server 20 s to stop

if [ -n "${RUN_DIR:-}" ]; then
  dirs=("$RUN_DIR")
elif [ -n "${RASA_PORT:-}" ]; then
  dirs=("var/run/rasa-$RASA_PORT")
else
  shopt -s nullglob
  dirs=(var/run/rasa-*)
fi

# A process that runs (a zombie, waiting for its parent to reap it, does not).
running() { local state; state=$(ps -o stat= -p "$1" 2>/dev/null) && [ -n "$state" ] && [[ $state != Z* ]]; }

# Whether pid $1 runs in this checkout and its command line contains $2.
ours() {
  [ -r "/proc/$1/cmdline" ] || return 1
  tr '\0' ' ' < "/proc/$1/cmdline" | grep -F -- "$2" >/dev/null || return 1
  [ "$(readlink -f "/proc/$1/cwd" 2>/dev/null)" = "$root" ]
}

# Wait up to $2 seconds for pid $1 to end; whether it did.
ended() {
  local pid=$1
  for _ in $(seq 1 $(($2 * 10))); do running "$pid" || return 0; sleep 0.1; done
  ! running "$pid"
}

# supervisord of run dir $1 when run.sh is gone (killed with SIGKILL): TERM it, wait.
stop_orphan_supervisord() {
  local file="$1/supervisord.pid" pid conf
  [ -f "$file" ] || return 1
  pid=$(cat "$file" 2>/dev/null || true)
  conf=$(cd "$1" && pwd -P)/supervisord.conf
  [ -n "$pid" ] && running "$pid" && ours "$pid" "$conf" || return 1
  echo "supervisord (pid $pid) of $1 runs without its run.sh: stopping it"
  kill -TERM "$pid" 2>/dev/null || true
  ended "$pid" "$STOP_TIMEOUT_S" || { echo "supervisord (pid $pid) did not stop within $STOP_TIMEOUT_S s" >&2; return 2; }
  rm -f "$conf"  # its configuration, which the killed run.sh did not get to remove
}

stopped=0
failed=0
for dir in "${dirs[@]}"; do
  [ -d "$dir" ] || continue
  file="$dir/run.pid"
  pid=$(cat "$file" 2>/dev/null || true)
  if [ -n "$pid" ] && running "$pid" && ours "$pid" "scripts/run.sh"; then
    echo "Stopping make run (pid $pid, $dir)..."
    kill -TERM "$pid"
    if ended "$pid" "$STOP_TIMEOUT_S"; then
      stopped=$((stopped + 1))
      echo "Stopped (pid $pid): the Rasa server and the action server are down."
    else
      echo "make run (pid $pid) did not stop within $STOP_TIMEOUT_S s; see $dir and the logs" >&2
      failed=1
    fi
    continue
  fi
  if [ -f "$file" ]; then
    echo "$file names pid ${pid:-?}, which is not a running make run of this checkout: removed, nothing killed"
    rm -f "$file"
  fi
  status=0
  stop_orphan_supervisord "$dir" || status=$?
  if [ "$status" = 0 ]; then stopped=$((stopped + 1)); elif [ "$status" = 2 ]; then failed=1; fi
done

if [ "$failed" = 1 ]; then exit 1; fi
if [ "$stopped" = 0 ]; then
  where=${RUN_DIR:-${RASA_PORT:+var/run/rasa-$RASA_PORT}}
  echo "Nothing to stop: no make run is running${where:+ in $where} (no live run.pid)."
fi
exit 0
