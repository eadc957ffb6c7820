"""Every `leian` subcommand, in the order `leian --help` lists them; each module registers its own."""
from __future__ import annotations

from api.bench_cmd import register as register_bench
from api.cite_cmd import register as register_cite
from api.index_cmd import register as register_index
from api.search_cmd import register as register_search
from api.serve_cmd import register as register_serve
from eval.eval_cmd import register as register_eval

REGISTRARS = [register_index, register_search, register_serve, register_cite, register_eval, register_bench]
