"""Serving under load: a bound on requests in work per process, and several workers on one index."""
import asyncio
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from api.server import InflightLimit


async def _slow_app(scope, receive, send):
    await asyncio.sleep(0.2)
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"ok"})


def test_past_the_bound_the_api_answers_503_with_retry_after():
    async def run():
        app = InflightLimit(_slow_app, limit=2)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
            answers = await asyncio.gather(*(http.get("/api/search") for _ in range(3)), http.get("/health"))
        return answers, app.inflight

    answers, inflight = asyncio.run(run())
    api = sorted(r.status_code for r in answers[:3])
    assert api == [200, 200, 503] and answers[3].status_code == 200   # pages and /health are never shed
    busy = next(r for r in answers if r.status_code == 503)
    assert busy.headers["Retry-After"] == "1" and busy.json()["code"] == "busy"
    assert inflight == 0


def test_two_workers_serve_one_index(tiny_index):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = "import sys; from api.cli import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.Popen([sys.executable, "-c", code, "serve", "--port", str(port), "--workers", "2",
                             "--index", str(tiny_index)], cwd=Path(__file__).resolve().parents[2],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "server did not come up"
            time.sleep(0.2)
        results = [httpx.get(f"http://127.0.0.1:{port}/api/search", params={"q": "非法采矿"}, timeout=30)
                   for _ in range(6)]
        assert all(r.status_code == 200 and r.json()["results"] for r in results)
    finally:
        proc.terminate()
        out = proc.communicate(timeout=30)[0].decode(errors="replace")
    assert "2 worker(s)" in out
