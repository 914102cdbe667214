"""Command line: `python -m bot.cli seed`."""
from __future__ import annotations

import argparse
import sys

from bot.seed import seed_demo_orders
from bot.settings import get_settings
from bot.uow import SqlAlchemyUnitOfWork


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.cli")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("seed", help="create the tables and insert the demo orders")
    args = parser.parse_args(argv)

    if args.command == "seed":
        added = seed_demo_orders(SqlAlchemyUnitOfWork())
        print(f"database: {get_settings().database_url} (demo orders added: {added})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
