"""Infrastructure: tables and engine, migrations, the unit of work and its fake, Rasa's tracker and lock stores, answer stores, idempotent turns, rate limits, demo seed, Rasa speed-ups."""
