"""Persistence, incremental add, atomic publish and damaged-index detection."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from judgments_written import CRIMINAL_LAW, drunk_driving  # noqa: E402

from indexer.lexical import LexicalIndex
from indexer.local import DENSE_FILE
from indexer.build import BuildConfig, add, build
from indexer.layout import IndexUnavailable, current_build
from indexer.search import Searcher

NEW_LAW = """# 中华人民共和国长城保护法

2024年1月1日 通过

<!-- INFO END -->

第一条 为了加强长城保护，传承长城文化，制定本法。

第二条 在长城保护范围内取土、采石、开矿的，由文物主管部门责令改正。
"""


def _bm25_only(corpus: Path, root: Path) -> BuildConfig:
    return BuildConfig(corpus_roots=[corpus], index_root=root, dense="none", workers=1)


def test_add_documents_without_rebuild(tiny_corpus, tmp_path):
    config = _bm25_only(tiny_corpus, tmp_path / "index")
    first = build(config)
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "长城保护法(2024-01-01).md").write_text(NEW_LAW, encoding="utf-8")
    info = add(config, [extra])
    assert info["units"] == first["units"] + 2
    assert info["corpus_roots"] == [str(tiny_corpus), str(extra)]   # what it was built from, and what was added
    searcher = Searcher.open(config.index_root)
    assert searcher.search("长城保护范围内开矿", k=1).results[0].unit_id == "law:长城保护法@2024-01-01#a2"
    assert searcher.search("矿产资源法第七十四条", k=1).results[0].unit_id.endswith("#a74")


def test_add_keeps_the_index_as_it_was_built(tiny_corpus, tmp_path):
    """Adding to a BM25-only index trains no model; adding with --no-dense to one with vectors keeps them."""
    root = tmp_path / "index"
    build(_bm25_only(tiny_corpus, root))
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "长城保护法(2024-01-01).md").write_text(NEW_LAW, encoding="utf-8")
    info = add(BuildConfig(corpus_roots=[extra], index_root=root, workers=1), [extra])   # dense="train" by default
    assert info["dense"] is None and not (current_build(root) / "model").exists()
    with_vectors = tmp_path / "dense-index"
    build(BuildConfig(corpus_roots=[tiny_corpus], index_root=with_vectors, workers=1, pairs=[]))
    info = add(_bm25_only(extra, with_vectors), [extra])
    assert info["dense"]["reused"] > 0 and (current_build(with_vectors) / DENSE_FILE).exists()


def test_add_reuses_vectors_of_existing_units(tiny_index, tmp_path):
    root = tmp_path / "index"
    shutil.copytree(tiny_index, root, symlinks=True)
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "长城保护法(2024-01-01).md").write_text(NEW_LAW, encoding="utf-8")
    info = add(BuildConfig(corpus_roots=[], index_root=root, workers=1), [extra])
    expanded = json.loads((current_build(tiny_index) / "expanded.json").read_text(encoding="utf-8"))
    assert expanded, "the tiny corpus has a training-split case citing articles"
    # expanded articles are encoded again rather than reused, so they are not expanded twice
    assert info["dense"]["encoded"] == 2 + len(expanded)
    assert info["dense"]["reused"] == info["units"] - 2 - len(expanded)
    before, after = _vectors(current_build(tiny_index)), _vectors(current_build(root))
    for unit_id in expanded:
        np.testing.assert_allclose(after[unit_id], before[unit_id], rtol=1e-5, atol=1e-6)


def _vectors(build_dir: Path) -> dict:
    from indexer.dense import DenseIndex
    from indexer.filters import UnitTable

    index = DenseIndex.load(build_dir / DENSE_FILE).index
    matrix = index.reconstruct_n(0, index.ntotal)
    return dict(zip(UnitTable.load(build_dir).unit_ids, matrix))


def test_failed_build_keeps_previous_index(tiny_corpus, tmp_path, monkeypatch):
    config = _bm25_only(tiny_corpus, tmp_path / "index")
    build(config)
    published = current_build(config.index_root)

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(LexicalIndex, "build", explode)
    with pytest.raises(RuntimeError):
        build(config)
    assert current_build(config.index_root) == published
    assert [p for p in (config.index_root / "builds").iterdir()] == [published]
    assert Searcher.open(config.index_root).search("矿产资源", k=1).results


def test_repeated_builds_keep_the_last_two_and_serve_the_newest(tiny_corpus, tmp_path):
    """Pruning a third build's predecessors once deleted the build it had just published."""
    config = _bm25_only(tiny_corpus, tmp_path / "index")
    for _ in range(4):
        build(config)
    builds = sorted((config.index_root / "builds").iterdir())
    assert len(builds) == 2 and current_build(config.index_root) == builds[-1]
    assert Searcher.open(config.index_root).search("矿产资源", k=1).results


def test_kill_9_mid_build_leaves_old_index_serving(tiny_corpus, tmp_path):
    root = tmp_path / "index"
    build(_bm25_only(tiny_corpus, root))
    published = current_build(root)
    env = {**os.environ, "LEIAN_INDEX": str(root)}
    proc = subprocess.Popen([sys.executable, "-m", "api.cli", "build", "--corpus", str(tiny_corpus)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            cwd=Path(__file__).resolve().parents[2])
    deadline = time.time() + 60
    while time.time() < deadline:   # wait until the new build directory exists, then kill it
        if len(list((root / "builds").iterdir())) > 1:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert current_build(root) == published
    assert Searcher.open(root).search("矿产资源法第七十四条", k=1).results[0].unit_id.endswith("#a74")


def test_damaged_index_is_reported_plainly(tiny_corpus, tmp_path):
    root = tmp_path / "index"
    with pytest.raises(IndexUnavailable, match="leian build"):
        current_build(root)
    build(_bm25_only(tiny_corpus, root))
    published = current_build(root)
    shutil.rmtree(published / "lexical")
    with pytest.raises(IndexUnavailable, match="missing lexical"):
        Searcher.open(root)
    (published / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexUnavailable, match="corrupted"):
        Searcher.open(root)


def test_truncated_store_is_reported_plainly(tiny_corpus, tmp_path):
    root = tmp_path / "index"
    build(_bm25_only(tiny_corpus, root))
    db = current_build(root) / "corpus.db"
    db.write_bytes(db.read_bytes()[:1000])
    with pytest.raises(IndexUnavailable):
        Searcher.open(root)


def test_manifest_records_build_figures(tiny_index):
    manifest = json.loads((current_build(tiny_index) / "manifest.json").read_text(encoding="utf-8"))
    assert {"ingest", "tokenize", "index", "train", "encode"} <= set(manifest["build_s"])
    assert manifest["dense"]["backend"] == "trained" and manifest["dense"]["init"] in ("cnsyn", "random")


def test_readers_keep_answering_while_a_build_runs(tiny_corpus, tmp_path):
    import threading

    config = _bm25_only(tiny_corpus, tmp_path / "index")
    build(config)
    reader = Searcher.open(config.index_root)
    rebuilding = threading.Thread(target=build, args=(config,))
    rebuilding.start()
    answered = 0
    while rebuilding.is_alive() or answered == 0:
        assert reader.search("矿产资源法第七十四条", k=1).results[0].unit_id.endswith("#a74")
        answered += 1
    rebuilding.join()
    assert answered > 1
    assert Searcher.open(config.index_root).build != reader.build   # new readers see the new build
    assert reader.search("盗窃", k=1).results                       # the old reader still works


def test_add_joins_a_second_file_of_a_stored_judgment_and_leaves_no_scratch_file(tmp_path):
    """The stored judgments are read back one at a time and the new file of one of them joins it there."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "中华人民共和国刑法.md").write_text(CRIMINAL_LAW, encoding="utf-8")
    for i, name in enumerate(["甲", "乙"]):
        (corpus / f"{i}.json").write_text(json.dumps(drunk_driving(name, i), ensure_ascii=False), encoding="utf-8")
    root = tmp_path / "index"
    first = build(_bm25_only(corpus, root))
    extra = tmp_path / "extra"
    extra.mkdir()
    copy = drunk_driving("甲", 0)
    copy["cpfxgc"] += "被告人甲认罪认罚，依法可以从宽处理。"   # the fuller reasoning of the same judgment
    (extra / "甲-另一来源.json").write_text(json.dumps(copy, ensure_ascii=False), encoding="utf-8")
    info = add(_bm25_only(extra, root), [extra])
    assert (info["documents"], info["units"]) == (first["documents"], first["units"])
    searcher = Searcher.open(root)
    doc_id = searcher.table.doc_id(searcher.table.row_of[next(u for u in searcher.table.unit_ids
                                                              if "刑初0号" in u and u.endswith("#reasoning"))])
    assert [s["path"] for s in searcher.corpus.sources_of(doc_id)] == ["corpus/0.json", "extra/甲-另一来源.json"]
    assert "认罪认罚" in searcher.corpus.unit(f"{doc_id}#reasoning")["text"]
    assert sorted(p.name for p in root.iterdir()) == ["builds", "current"]   # the spools are gone
