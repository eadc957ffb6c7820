"""`leian serve`: the HTTP API and search page.

Loopback by default; any other address exposes the corpus to the network, so it is
refused unless LEIAN_API_TOKEN is set (clients then send `Authorization: Bearer <token>`).
"""
from __future__ import annotations

import argparse
import ipaddress
import os

from api.common import CliError, add_index_args, console, index_root


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

    from api.server import DEFAULT_MAX_INFLIGHT, MAX_REQUEST_HEAD, create_app
    from indexer.layout import current_build

    if args.max_inflight is None:
        args.max_inflight = DEFAULT_MAX_INFLIGHT
    if args.workers < 1 or args.max_inflight < 1:
        raise CliError("--workers and --max-inflight must be 1 or more")

    root = index_root(args).resolve()
    served = (f"leian: serving http://{args.host}:{args.port}/ (API docs at /docs)"
              + ("; API token required" if token else "") + f"; {args.workers} worker(s), "
              f"{args.max_inflight} requests in work each, then 503 + Retry-After")
    options = {"host": args.host, "port": args.port, "h11_max_incomplete_event_size": MAX_REQUEST_HEAD}
    if args.workers == 1:
        app = create_app(root, token, args.max_inflight)      # IndexUnavailable → exit 1 before binding
        console.print(served, markup=False)
        uvicorn.run(app, **options)
        return 0
    current_build(root)   # fail before any worker starts; each worker then maps the same files
    os.environ.update(LEIAN_INDEX=str(root), LEIAN_MAX_INFLIGHT=str(args.max_inflight))
    console.print(served, markup=False)
    uvicorn.run("api.server:app_from_env", factory=True, workers=args.workers, **options)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="HTTP API and search page (127.0.0.1 unless LEIAN_API_TOKEN is set)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    p.add_argument("--workers", type=int, default=1,
                   help="worker processes sharing the memory-mapped index (default 1; about one per core)")
    p.add_argument("--max-inflight", type=int, default=None,
                   help="API requests in work per worker before it answers 503 + Retry-After "
                        "(default: api/server.py DEFAULT_MAX_INFLIGHT, 32)")
    add_index_args(p)
    p.set_defaults(fn=cmd_serve)
