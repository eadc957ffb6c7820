"""Subcommands that live in their own modules; each entry adds its parser to `leian`."""
from __future__ import annotations

REGISTRARS: list = []
