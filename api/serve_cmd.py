"""`leian serve`: the HTTP API and search page.

Loopback by default; any other address exposes the corpus to the network, so it is
refused unless LEIAN_API_TOKEN is set (clients then send `Authorization: Bearer <token>`).
"""
from __future__ import annotations

import argparse
import ipaddress
import os

from api.cli import CliError, _add_index_args, _index_root, console


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:          # a host name: it may resolve to anything
        return False


def cmd_serve(args: argparse.Namespace) -> int:
    token = os.environ.get("LEIAN_API_TOKEN") or None
    if not is_loopback(args.host) and token is None:
        raise CliError(f"refusing to listen on {args.host} without a token: set LEIAN_API_TOKEN "
                       "(clients send Authorization: Bearer <token>) or bind 127.0.0.1")
    if not 0 <= args.port <= 65535:
        raise CliError(f"port must be between 0 and 65535, got {args.port}")
    import uvicorn

    from api.server import MAX_REQUEST_HEAD, create_app

    app = create_app(_index_root(args), token)      # IndexUnavailable → exit 1 before binding
    console.print(f"leian: serving http://{args.host}:{args.port}/ (API docs at /docs)"
                  + ("; API token required" if token else ""), markup=False)
    uvicorn.run(app, host=args.host, port=args.port, h11_max_incomplete_event_size=MAX_REQUEST_HEAD)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="HTTP API and search page (127.0.0.1 unless LEIAN_API_TOKEN is set)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000)
    _add_index_args(p)
    p.set_defaults(fn=cmd_serve)
