"""Load test: many concurrent clients against a real `leian serve` process.

    python -m eval.load --index DIR [--clients 50] [--seconds 60] [--workers 1] [--max-inflight N]

The server runs in a subprocess on 127.0.0.1 and a free port, exactly as deployed
(`leian serve`: uvicorn, N worker processes, a Searcher each), so the numbers include HTTP
and JSON, not just ranking. A client that gets 503 waits its Retry-After and goes on, as a
browser or script should. Prints requests, throughput, latency, status codes per endpoint,
dropped connections; exits 1 if a connection was dropped or a request failed other than 503.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import httpx

FACTS = ("2021年3月至2022年5月间，被告人张某在未取得采矿许可证的情况下，雇佣挖掘机等机械设备，在某县某镇某村集体山林内"
         "擅自开采建筑用石料，共计非法开采石料三万余吨，价值人民币一百二十余万元，造成山体破坏、植被毁损、水土流失，"
         "矿区周边林地和耕地受到严重损害。经鉴定，生态环境修复费用为人民币八十余万元。县自然资源局曾两次责令其停止开采，"
         "张某拒不停止。检察机关在审查起诉过程中发现，非法采矿行为破坏矿产资源和生态环境，损害社会公共利益，"
         "依法提起刑事附带民事公益诉讼，请求判令被告人承担生态环境修复费用、赔偿生态环境服务功能损失并公开赔礼道歉。"
         "案件审理中，被告人对指控的犯罪事实无异议，但辩称其开采行为已取得村委会同意，不应承担民事赔偿责任。") * 2

# Fixed and mixed, so runs compare: short terms, citations, filters, a second page, long facts.
REQUESTS: list[tuple[str, dict]] = [
    ("/api/search", {"q": "非法采矿"}),
    ("/api/search", {"q": "公益诉讼 生态修复"}),
    ("/api/search", {"q": "入户盗窃"}),
    ("/api/search", {"q": "食品安全 惩罚性赔偿"}),
    ("/api/search", {"q": "矿产资源法第七十四条"}),
    ("/api/search", {"q": "刑法第二百六十四条"}),
    ("/api/search", {"q": "检例第28号"}),
    ("/api/search", {"q": "指导案例215号"}),
    ("/api/search", {"q": "行政公益诉讼 检察建议", "type": ["guiding_case", "typical_case"]}),
    ("/api/search", {"q": "污染环境", "domain": "生态环境和资源保护", "offset": 10}),
    ("/api/search", {"q": "矿产资源", "all_versions": "true", "year_from": 2000}),
    ("/api/search", {"q": FACTS}),
    ("/api/resolve", {"ref": "矿产资源法第七十四条"}),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(index: Path, port: int, log, workers: int = 1, max_inflight: int | None = None) -> subprocess.Popen:
    code = "import sys; from api.cli import main; sys.exit(main(sys.argv[1:]))"
    extra = ["--max-inflight", str(max_inflight)] if max_inflight else []
    return subprocess.Popen([sys.executable, "-c", code, "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--index", str(index), "--workers", str(workers), *extra], stdout=log,
                            stderr=subprocess.STDOUT, cwd=Path(__file__).resolve().parents[1])


def wait_ready(proc: subprocess.Popen, base: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before it was ready")
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"server not ready after {timeout:.0f} s")


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


async def drive(base: str, clients: int, seconds: float, headers: dict[str, str]) -> dict:
    latencies: list[float] = []      # answered requests (200 or otherwise), not the 503s
    errors: list[str] = []
    statuses: dict[str, Counter] = defaultdict(Counter)   # endpoint → status code (or "dropped") → count
    deadline = time.monotonic() + seconds

    async def client_loop(http: httpx.AsyncClient, n: int) -> None:
        i = n
        while time.monotonic() < deadline:
            path, params = REQUESTS[i % len(REQUESTS)]
            i += 1
            started = time.perf_counter()
            try:
                r = await http.get(path, params=params)
            except httpx.HTTPError as exc:
                statuses[path]["dropped"] += 1
                errors.append(f"{path}: {type(exc).__name__}: {exc}")
                continue
            statuses[path][str(r.status_code)] += 1
            if r.status_code == 503:   # shed by the server: wait as told, then go on
                await asyncio.sleep(float(r.headers.get("Retry-After", "1")))
                continue
            latencies.append((time.perf_counter() - started) * 1000)
            try:
                ok = r.status_code == 200 and isinstance(r.json(), dict)
            except ValueError:
                ok = False
            if not ok:
                errors.append(f"{path} {params.get('q', params.get('ref', ''))[:20]}: HTTP {r.status_code}")

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60, headers=headers) as http:
        await asyncio.gather(*(client_loop(http, n) for n in range(clients)))
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {"clients": clients, "seconds": round(elapsed, 2), "requests": len(latencies), "errors": len(errors),
            "dropped": sum(c["dropped"] for c in statuses.values()),
            "shed_503": sum(c["503"] for c in statuses.values()),
            "status_by_endpoint": {path: dict(sorted(c.items())) for path, c in sorted(statuses.items())},
            "throughput_rps": round(len(latencies) / elapsed, 1),
            "latency_ms": {"p50": round(percentile(ordered, 0.50), 1), "p95": round(percentile(ordered, 0.95), 1),
                           "max": round(ordered[-1], 1) if ordered else 0.0},
            "error_samples": sorted(set(errors))[:10]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.load", description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", required=True, help="index directory to serve")
    ap.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    ap.add_argument("--seconds", type=float, default=60, help="how long to drive load (default 60)")
    ap.add_argument("--workers", type=int, default=1, help="server worker processes (default 1)")
    ap.add_argument("--max-inflight", type=int, default=None, help="requests in work per worker before 503")
    ap.add_argument("--startup-timeout", type=float, default=600, help="seconds to wait for the server to load the index")
    args = ap.parse_args(argv)
    if args.clients < 1 or not 0 < args.seconds <= 3600:
        ap.error("--clients must be ≥ 1 and --seconds in (0, 3600]")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    token = os.environ.get("LEIAN_API_TOKEN")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with tempfile.TemporaryFile() as log:
        proc = start_server(Path(args.index), port, log, args.workers, args.max_inflight)
        try:
            wait_ready(proc, base, args.startup_timeout)
            report = asyncio.run(drive(base, args.clients, args.seconds, headers))
        except RuntimeError as exc:
            log.seek(0)
            sys.stderr.write(f"load: {exc}\n{log.read().decode(errors='replace')[-4000:]}")
            return 1
        finally:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 1 if report["errors"] or not report["requests"] else 0


if __name__ == "__main__":
    sys.exit(main())
