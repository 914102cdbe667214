"""Rasa NLU components of the project (referenced by module path in config.yml)."""
