"""`make fuzz`: generated inputs on every route of every connector (issue 10, DESIGN §7-§8).

bench/fuzz/strategies.py (hypothesis strategies), targets.py (one target per
connector), harness.py (servers, checks, results), gen.py (fast seeded draws).
"""
