# Entry points: setup, train, run, test, lint, bench-nlu. CI calls `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV    := .venv
PY      := $(VENV)/bin/python
RASA    := $(VENV)/bin/rasa
MODEL   := models/current.tar.gz
export PYTHONPATH := $(CURDIR)
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export DATABASE_URL ?= sqlite:///var/bot.db
RASA_PORT    ?= 5005
ACTIONS_PORT ?= 5055

# Python 3.10: `python3.10` on PATH, else pyenv's newest 3.10 build.
PYTHON310 := $(shell scripts/find-python310.sh)

TRAIN_INPUTS := config.yml $(wildcard domain/*.yml) $(shell find data -name '*.yml' 2>/dev/null) \
	$(wildcard data/emotion/*.csv) $(wildcard data/sentiment/*.csv) $(wildcard data/requests/*.csv) $(wildcard bot/nlu/*.py) bot/nlu/emotion_lexicon.py \
	bot/privacy/scanner.py bot/text.py bot/orders/model.py

.PHONY: help setup train run test lint bench-nlu bench-emotion bench-sentiment-writers bench-escalation bench-webchat seed clean browser-deps migrate bench-hostile bench-held-loop
.PHONY: help setup train run test lint bench-nlu bench-emotion bench-escalation bench-webchat bench-serving seed clean browser-deps

help:
	@echo "make run        set up, train if needed, start Rasa (port $(RASA_PORT)) + action server (127.0.0.1:$(ACTIONS_PORT)); prints the generated secrets"
	@echo "make stop       stop the servers make run started (RASA_PORT=… for one run; else every run of this checkout)"
	@echo "make test       set up, train if needed, validate data, run rasa test and pytest"
	@echo "make train      retrain the model when data, domain or config changed"
	@echo "make bench-nlu  NLU benchmark on ../shared/bench-data (see README)"
	@echo "make bench-emotion  emotion benchmark on ../shared/bench-data"
	@echo "make bench-sentiment-writers  sentiment heads scored on a writer left out (own data only)"
	@echo "make bench-escalation  escalation F1, anger recall, pair priority agreement on the blind set (whole system)"
	@echo "make bench-hostile     how long each reading takes on messages built to make its patterns backtrack"
	@echo "make bench-held-loop   what a server does while it reads long messages: NLU worker thread vs event loop"
	@echo "make bench-webchat  web chat latency, push and memory beside a plain Rasa server"
	@echo "make bench-voice  spoken callers (espeak-ng + pocketsphinx) through the IVR bridge: WER, task success, latency"
	@echo "make bench-desk  agent desk queue/search/metrics p50/p95 with 1,000,000 past tickets, SQLite and PostgreSQL"
	@echo "make bench-serving  REST turn time, throughput, 500-turn growth and a py-spy profile beside plain Rasa and rasa init's bot"
	@echo "make scale-up SERVERS=N ACTIONS=M  PostgreSQL, Redis, N Rasa + M action servers behind haproxy on SCALE_PORT (8080), supervised; make scale-down stops them"
	@echo "make bench-scale  throughput for 1, 2, 4 Rasa servers behind haproxy beside plain Rasa, and the kill -9 test (BENCH_SCALE_SECONDS=20)"
	@echo "make screenshots  regenerate docs/screenshots/*.png (widget, desk, supervisor view) with chromium"

$(VENV)/.installed: requirements.txt requirements.lock
	@if [ -z "$(PYTHON310)" ]; then \
	  echo "Python 3.10 is required (Rasa 3.6 runs on 3.8-3.10)." >&2; \
	  echo "Install it, e.g. 'pyenv install 3.10.13' or 'apt-get install python3.10 python3.10-venv'." >&2; \
	  exit 1; fi
	@echo "Creating $(VENV) with $(PYTHON310)"
	@test -x $(PY) || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade "pip==24.0"
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -c requirements.lock
	$(PY) -m pip check
	@touch $@

setup: $(VENV)/.installed

# The venv is order-only (it must exist; its pip step touching .installed on a first `make run` must not
# retrain a current model, rev14c #3): what changes training is the locked packages and the inputs.
# The list of training inputs, rewritten only when it changes: a removed or added file (a deleted
# data/nlu/*.yml, a new emotion CSV) makes the model out of date, which timestamps alone do not.
TRAIN_LIST := models/.train-inputs
$(shell mkdir -p models; echo '$(sort $(TRAIN_INPUTS))' | cmp -s - $(TRAIN_LIST) || echo '$(sort $(TRAIN_INPUTS))' > $(TRAIN_LIST))

$(MODEL): requirements.lock $(TRAIN_INPUTS) $(TRAIN_LIST) | $(VENV)/.installed
	@# Rasa's training cache sees data/ and config, not the emotion CSV the
	@# EmotionClassifier reads nor the intake code the tokenizer and
	@# featurizer use: retrain without the cache when those changed (or the list of inputs did).
	$(RASA) train --config config.yml --domain domain --data data --out models --fixed-model-name current \
	  $(if $(filter data/emotion/% data/sentiment/% data/requests/% bot/nlu/% bot/nlu/emotion_lexicon.py bot/privacy/scanner.py bot/text.py bot/orders/model.py $(TRAIN_LIST),$?),--force)
	@touch $@

train: $(MODEL)

# Schema migrations (bot/storage/migrations, Alembic) on DATABASE_URL, applied once
# before any server starts; servers only check the revision (bot/storage/schema.py).
migrate: setup
	$(PY) -m bot.cli migrate

seed: migrate
	$(PY) -m bot.cli seed

# Secrets (RASA_API_TOKEN, REST_API_TOKEN, ACTION_SERVER_TOKEN) come from the
# environment, else run.sh generates them and prints them; the action server
# listens on ACTIONS_HOST (default 127.0.0.1).
# `run.sh --check` first: a second `make run` on a port in use (or a RUN_DIR whose run is alive) stops
# before the model is retrained and the live database migrated and seeded; then those, then the servers.
run:
	@RASA_PORT=$(RASA_PORT) ACTIONS_PORT=$(ACTIONS_PORT) bash scripts/run.sh --check
	@$(MAKE) --no-print-directory $(MODEL) seed
	@RASA_PORT=$(RASA_PORT) ACTIONS_PORT=$(ACTIONS_PORT) bash scripts/run.sh

# Stop what `make run` started (scripts/stop.sh: SIGTERM to run.sh by var/run/rasa-<port>/run.pid, which
# stops both servers): `RASA_PORT=… make stop` that run only, plain `make stop` every run of this checkout.
.PHONY: stop
stop:
	@RASA_PORT=$(if $(filter file default,$(origin RASA_PORT)),,$(RASA_PORT)) bash scripts/stop.sh

# Browser tests drive Debian's chromium (never a downloaded browser build).
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

test: $(MODEL) browser-deps
	$(PY) -m pytest -p no:cacheprovider

lint: setup
	$(PY) -m compileall -q bot actions connectors tests bench
	$(VENV)/bin/lint-imports

bench-nlu: setup
	$(PY) -m bench.nlu $(BENCH_ARGS)

bench-emotion: setup
	$(PY) -m bench.emotion

bench-sentiment-writers: setup
	$(PY) -m bench.sentiment_writers

bench-escalation: $(MODEL)
	$(PY) -m bench.escalation $(BENCH_ARGS)

# Messages built to make the readings backtrack (issue 11, session 39): bench/results/hostile_text.json
bench-hostile: $(MODEL)
	$(PY) -m bench.hostile_text $(BENCH_ARGS)

# What a server does while it reads long messages, the NLU on its worker thread beside the event loop
# (session 43, bot/nlu_worker.py): bench/results/held_loop.json
bench-held-loop: $(MODEL)
	$(PY) -m bench.held_loop $(BENCH_ARGS)

bench-webchat: $(MODEL)
	$(PY) -m bench.webchat $(BENCH_ARGS)

# Agent desk at scale (issue 16): seeds DESK_SIZE past tickets and their Rasa events
# on SQLite and on a private PostgreSQL 15 cluster, measures the agent API over HTTP;
# bench/results/desk.json. `make bench-desk DESK_SIZE=100000` for a shorter run.
DESK_SIZE ?= 1000000
.PHONY: bench-desk postgres-deps
postgres-deps:
	@if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then \
	  echo "Installing Debian's PostgreSQL 15 for bench-desk"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql-15 >/dev/null; \
	fi

bench-desk: $(MODEL) postgres-deps
	$(PY) -m bench.desk --size $(DESK_SIZE) $(BENCH_ARGS)
# Serving speed (issue 16): bench/results/serving.json; trains `rasa init`'s bot
# once (cached in var/bench/), profile command in bench/profile.sh.
bench-serving: $(MODEL)
	$(PY) -m bench.serving $(BENCH_ARGS)

clean:
	rm -rf models results .rasa

# IVR: espeak-ng renders the SSML the caller would hear (tests and `make call`).
.PHONY: espeak-deps call
espeak-deps:
	@if ! command -v espeak-ng >/dev/null 2>&1; then \
	  echo "Installing espeak-ng for the IVR tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq espeak-ng >/dev/null; \
	fi
test: espeak-deps

# Redis: the shared state store and lock store tests start their own redis-server (issue 13).
.PHONY: redis-deps
redis-deps:
	@if ! command -v redis-server >/dev/null 2>&1; then \
	  echo "Installing Debian's redis-server for the state store tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq redis-server >/dev/null; \
	fi
test: redis-deps

# A demo phone call against a running `make run` (IVR_SECRET must match the server's).
call: setup espeak-deps
	$(PY) -m connectors.ivr.call --url http://localhost:$(RASA_PORT) --script connectors/ivr/demo_call.txt --lang en-US

# Fuzzing (issue 10): generated inputs on every route of every connector and the
# agent API, with checks; results in bench/results/fuzz.json (see README, Fuzzing).
# `make fuzz FUZZ_ARGS="--inputs 20000 --turns 2000"` for a shorter run.
# The bounded run (a few hundred inputs per connector) is tests/fuzz, part of `make test`.
.PHONY: fuzz fuzz-bounded
fuzz: $(MODEL)
	$(PY) -m bench.fuzz $(FUZZ_ARGS)

fuzz-bounded: $(MODEL)
	$(PY) -m pytest -p no:cacheprovider tests/fuzz -q

# Speech loop (issue 15): scripted callers spoken by espeak-ng, transcribed by
# pocketsphinx (PyPI, its en-us model and general language model), through the
# IVR bridge and the real servers; results in bench/results/voice.json (README, Voice).
.PHONY: bench-voice
bench-voice: $(MODEL) espeak-deps
	$(PY) -m bench.voice $(BENCH_ARGS)

# Several servers on one machine (issue 13): PostgreSQL 15 under var/scale/, Redis, ACTIONS
# action servers and SERVERS Rasa servers behind Debian's haproxy on SCALE_PORT (README, Scale).
SERVERS ?= 2
ACTIONS ?= 1
.PHONY: haproxy-deps scale-up scale-down
haproxy-deps:
	@if ! command -v haproxy >/dev/null 2>&1; then \
	  echo "Installing Debian's haproxy for make scale-up"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq haproxy >/dev/null; \
	fi
test: haproxy-deps postgres-deps

scale-up: $(MODEL) postgres-deps redis-deps haproxy-deps
	@SERVERS=$(SERVERS) ACTIONS=$(ACTIONS) bash scripts/scale.sh up

scale-down:
	@bash scripts/scale.sh down

# Several servers, measured (issue 13): REST and socket.io throughput and p50/p95 through haproxy
# for 1, 2 and 4 Rasa servers beside a plain Rasa server, then the kill test (kill -9 the busiest
# Rasa server while every channel talks and agents reply); bench/results/scale.json (README, Scale).
# BENCH_SCALE_SECONDS: length of each load phase (default 20).
.PHONY: bench-scale
bench-scale: $(MODEL) postgres-deps redis-deps haproxy-deps
	$(PY) -m bench.scale $(if $(BENCH_SCALE_SECONDS),--seconds $(BENCH_SCALE_SECONDS)) $(BENCH_ARGS)

# Screenshots for the README (issue 14): real servers on a fresh database with seeded tickets,
# Debian's chromium through Playwright; writes docs/screenshots/*.png.
.PHONY: screenshots
screenshots: $(MODEL) browser-deps
	$(PY) scripts/screenshots.py
