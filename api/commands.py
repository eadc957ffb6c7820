"""Subcommands that live in their own modules; each entry adds its parser to `leian`."""
from __future__ import annotations

from api.bench_cmd import register as register_bench
from api.cite_cmd import register as register_cite
from api.serve_cmd import register as register_serve
from eval.eval_cmd import register as register_eval

REGISTRARS = [register_serve, register_cite, register_eval, register_bench]
