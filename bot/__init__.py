"""Framework core of the bilingual customer-service assistant.

Nothing here opens sockets or databases at import time; callers build what
they need from :mod:`bot.settings`.
"""
