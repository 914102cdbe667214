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


def test_the_support_hours_line_says_open_closed_or_always_open(tmp_path, monkeypatch, capsys):
    """make run's banner line (a new user's report, session 40: every hand-over was a call-back at 06:30 China time
    and nothing at start-up said why)."""
    from datetime import datetime, timezone
    from pathlib import Path

    import bot.cli as cli

    monkeypatch.delenv("ESCALATION_CONFIG", raising=False)
    monday_10_shanghai = datetime(2026, 12, 7, 2, 0, tzinfo=timezone.utc)
    monday_0630_shanghai = datetime(2026, 12, 6, 22, 30, tzinfo=timezone.utc)
    assert cli.support_hours_line(monday_10_shanghai).startswith("open now (Asia/Shanghai; ")
    closed = cli.support_hours_line(monday_0630_shanghai)
    assert closed.startswith("closed now: hand-overs become call-backs until Mon 2026-12-07 09:00 Asia/Shanghai")
    assert closed.endswith("escalation.yml)")

    always = tmp_path / "open.yml"
    text = (Path(cli.__file__).resolve().parents[1] / "escalation.yml").read_text()
    always.write_text(text.replace("always_open: false", "always_open: true"))
    monkeypatch.setenv("ESCALATION_CONFIG", str(always))
    assert cli.support_hours_line(monday_0630_shanghai) == f"always open ({always})"
    assert cli.main(["support-hours"]) == 0
    assert capsys.readouterr().out == f"always open ({always})\n"

    never = tmp_path / "never.yml"  # weekly: {} passes validation; a fresh reviewer saw "closed now … until" now
    import yaml

    data = yaml.safe_load(text)
    data["support_hours"]["weekly"] = {}
    never.write_text(yaml.safe_dump(data, allow_unicode=True))
    monkeypatch.setenv("ESCALATION_CONFIG", str(never))
    assert cli.support_hours_line(monday_0630_shanghai).startswith("never open: every hand-over becomes a call-back")
