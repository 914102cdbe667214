# supervisord configuration shared by scripts/run.sh (make run) and scripts/scale.sh (make scale-up).
# Sourced from the project root. Arguments are absolute paths with '%' already doubled
# (supervisord expands %(...)s in its configuration).

# supervisord_header RUN_DIR LOG_DIR ROOT: the [supervisord] section and a 0700 control socket in RUN_DIR.
supervisord_header() {
  cat <<CONF
[supervisord]
nodaemon=true
logfile=$2/supervisord.log
pidfile=$1/supervisord.pid
directory=$3
[unix_http_server]
file=$1/supervisor.sock
chmod=0700
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
[supervisorctl]
serverurl=unix://$1/supervisor.sock
CONF
}

# supervisord_program NAME LOG_DIR ROOT STOP_WAIT_S LOG_MAX_BYTES START_RETRIES SHELL_LINE [COMMENT]:
# one restarted program; SHELL_LINE runs under `bash -c` when supervisord starts it, so its
# variables come from the environment then (secrets are never written to the file).
supervisord_program() {
  cat <<PROGRAM

[program:$1]${8:+
$8}
command=bash -c '$7'
directory=$3
autorestart=true
startsecs=2
startretries=$6
stopasgroup=true
killasgroup=true
stopwaitsecs=$4
redirect_stderr=true
stdout_logfile=$2/$1.log
stdout_logfile_maxbytes=$5
stdout_logfile_backups=2
PROGRAM
}
