"""`leian` — one command, one subcommand per feature (the registry is api/commands.py).

Exit codes: 0 ok, 1 failure while working, 2 bad input (usage, query, filter, file); every
refusal is a LeianError (corpus/errors.py) that carries its own.
"""
from __future__ import annotations

import argparse
import sys

from api.common import EXIT_BAD_INPUT, console
from corpus.errors import LeianError


def parser() -> argparse.ArgumentParser:
    from api.commands import REGISTRARS

    ap = argparse.ArgumentParser(prog="leian", description="类案检索 — legal retrieval for procurators")
    # not required=True: argparse would then answer `leian --frobnicate` with "command is required"
    # instead of naming the option it does not know; main() asks for the command itself
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")
    for register in REGISTRARS:
        register(sub)
    return ap


def main(argv: list[str] | None = None) -> int:
    ap = parser()
    args = ap.parse_args(argv)
    if args.command is None:
        ap.print_usage(sys.stderr)
        console.print("leian: name a command (leian --help lists them)", markup=False)
        return EXIT_BAD_INPUT
    try:
        return args.fn(args)
    except LeianError as exc:
        console.print(f"leian: {exc}", markup=False)
        return exc.exit_code
    except KeyboardInterrupt:
        console.print("leian: interrupted")
        return 130


if __name__ == "__main__":   # `python -m api.cli`: run the imported module, so its exception classes are the ones raised
    from api.cli import main as imported_main

    sys.exit(imported_main())
