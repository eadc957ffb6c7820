"""Subcommands that live in their own modules; each entry adds its parser to `leian`."""
from __future__ import annotations

REGISTRARS: list = []
from api.serve_cmd import register as register_serve; REGISTRARS.append(register_serve)  # noqa: E402,E702
from eval.eval_cmd import register as register_eval; REGISTRARS.append(register_eval)  # noqa: E402,E702
from api.cite_cmd import register as register_cite; REGISTRARS.append(register_cite)  # noqa: E402,E702
from api.bench_cmd import register as register_bench; REGISTRARS.append(register_bench)  # noqa: E402,E702
