"""The Milvus backend's own promises (Milvus Lite): publishing by alias, old collections dropped,
`leian add` against it, a killed build leaving the previous collection serving, plain errors."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("milvus_lite", reason="Milvus Lite is a test extra: pip install -e '.[test]'")

from indexer.build import BuildConfig, add, build  # noqa: E402
from indexer.layout import IndexUnavailable, current_build, read_manifest  # noqa: E402
from indexer.milvus import ALIAS, PREFIX, connect  # noqa: E402
from indexer.search import Searcher  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


def _config(corpus: Path, root: Path, uri: Path) -> BuildConfig:
    return BuildConfig(corpus_roots=[corpus], index_root=root, dense="none", workers=1, backend="milvus",
                       backend_options={"uri": str(uri)})


def _collections(uri: Path) -> list[str]:
    client = connect(str(uri))
    try:
        return sorted(n for n in client.list_collections() if n.startswith(PREFIX))
    finally:
        client.close()


def test_builds_publish_by_alias_and_drop_collections_no_build_keeps(tiny_corpus, tmp_path):
    uri, root = tmp_path / "milvus.db", tmp_path / "index"
    names = [build(_config(tiny_corpus, root, uri))["retrievers"]["collection"] for _ in range(3)]
    assert len(set(names)) == 3
    kept = [read_manifest(b)["retrievers"]["collection"] for b in sorted((root / "builds").iterdir())]
    assert _collections(uri) == sorted(kept) == sorted(names[1:])   # two builds kept, as on disk
    client = connect(str(uri))
    assert client.describe_alias(ALIAS)["collection_name"] == names[-1]
    client.close()
    assert Searcher.open(root).search("矿产资源法第七十四条", k=1).results[0].unit_id.endswith("#a74")


def test_add_writes_to_the_backend_the_index_was_built_on(tiny_corpus, tmp_path):
    uri, root = tmp_path / "milvus.db", tmp_path / "index"
    build(_config(tiny_corpus, root, uri))
    extra = tmp_path / "extra"
    (extra / "statutes").mkdir(parents=True)
    (extra / "statutes" / "测试采砂条例(2025-01-01).md").write_text(
        "# 河道采砂管理测试条例\n\n2025年1月1日 通过\n\n<!-- INFO END -->\n\n"
        "第一条 禁止在禁采区、禁采期从事河道采砂活动。\n", encoding="utf-8")
    info = add(BuildConfig(corpus_roots=[], index_root=root, workers=1), [extra])
    assert info["retrievers"]["backend"] == "milvus"
    result = Searcher.open(root).search("禁采区 河道采砂", k=3).results
    assert result and result[0].title == "河道采砂管理测试条例"


_SLOW_CHILD = """
import sys, time
from pathlib import Path
import indexer.milvus as milvus
from indexer.build import BuildConfig, build

real_connect = milvus.connect

class Slow:   # the collection exists; its rows are being written when the build is killed
    def __init__(self, client):
        self.client = client
    def __getattr__(self, name):
        return getattr(self.client, name)
    def insert(self, *args, **kwargs):
        Path(sys.argv[3]).touch()
        time.sleep(60)

milvus.connect = lambda uri: Slow(real_connect(uri))
build(BuildConfig([Path(sys.argv[1])], Path(sys.argv[2]), dense="none", workers=1, backend="milvus",
                  backend_options={"uri": sys.argv[4]}))
"""


def _run(args: list[str], **kwargs) -> subprocess.Popen:
    # own process group: Milvus Lite's server process dies with the build that started it
    return subprocess.Popen([sys.executable, *args], cwd=REPO, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(REPO)}, **kwargs)


def test_kill_9_during_a_milvus_build_leaves_the_previous_collection_serving(tiny_corpus, tmp_path):
    uri, root, marker = tmp_path / "milvus.db", tmp_path / "index", tmp_path / "writing"
    first = _run(["-m", "api.cli", "build", "--corpus", str(tiny_corpus), "--no-dense", "--backend", "milvus",
                  "--milvus-uri", str(uri), "--index", str(root)])
    assert first.wait(timeout=300) == 0, first.stderr.read().decode()
    published = current_build(root)
    served = read_manifest(published)["retrievers"]["collection"]

    child = _run(["-c", _SLOW_CHILD, str(tiny_corpus), str(root), str(marker), str(uri)])
    deadline = time.time() + 300
    while not marker.exists() and child.poll() is None and time.time() < deadline:
        time.sleep(0.1)
    assert marker.exists(), child.stderr.read().decode()
    os.killpg(child.pid, signal.SIGKILL)
    child.wait()

    assert current_build(root) == published
    assert served in _collections(uri) and len(_collections(uri)) == 2   # the half-written one is there …
    assert Searcher.open(root).search("矿产资源法第七十四条", k=1).results[0].unit_id.endswith("#a74")
    build(_config(tiny_corpus, root, uri))                               # … until the next build drops it
    assert len(_collections(uri)) == 2 and served in _collections(uri)


def test_a_missing_collection_is_reported_plainly(tiny_corpus, tmp_path):
    uri, root = tmp_path / "milvus.db", tmp_path / "index"
    info = build(_config(tiny_corpus, root, uri))
    client = connect(str(uri))
    client.drop_collection(info["retrievers"]["collection"])
    client.close()
    with pytest.raises(IndexUnavailable, match="no collection"):
        Searcher.open(root)


def test_the_api_serves_from_a_milvus_index(tiny_corpus, tmp_path):
    from fastapi.testclient import TestClient

    from api.server import create_app

    uri, root = tmp_path / "milvus.db", tmp_path / "index"
    build(_config(tiny_corpus, root, uri))
    with TestClient(create_app(root)) as client:
        assert client.get("/health").json()["backend"] == "milvus"
        hits = client.get("/api/search", params={"q": "未取得采矿许可证擅自采矿", "all_versions": "true"}).json()
        assert hits["results"] and hits["results"][0]["citation"].endswith("第三十九条")
