"""Rasa custom channels (loaded by module path from credentials.yml)."""
