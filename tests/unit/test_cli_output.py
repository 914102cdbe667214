"""What `python -m bot.cli` prints never holds the database password (make scale-up prints it)."""
from bot.cli import shown_url


def test_a_database_url_is_printed_without_its_password():
    shown = shown_url("postgresql+psycopg2://postgres:s3cr%40t-Pw@127.0.0.1:5433/qx")
    assert shown == "postgresql+psycopg2://postgres:***@127.0.0.1:5433/qx"
    assert "s3cr" not in shown
    assert shown_url("sqlite:///var/qx.db") == "sqlite:///var/qx.db"


def test_migrate_prints_the_url_without_its_password(tmp_path, monkeypatch, capsys):
    import bot.cli as cli

    url = "postgresql+psycopg2://postgres:s3cr%40t-Pw@127.0.0.1:1/qx"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setattr("bot.storage.schema.upgrade", lambda database_url, *a, **k: "head")
    cli.get_settings.cache_clear() if hasattr(cli.get_settings, "cache_clear") else None
    cli.main(["migrate"])
    printed = capsys.readouterr().out
    assert "127.0.0.1:1/qx" in printed and "s3cr" not in printed
