"""NLU: the Rasa components of the project (referenced by module path in config.yml) and their vocabulary (emotion_lexicon, language, spoken)."""
