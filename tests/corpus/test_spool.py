"""Judgments wait on disk during an ingest (corpus/spool.py), and come back whole, in order, merged."""
from __future__ import annotations

import json
import random
import sys
from concurrent.futures import Future
from dataclasses import asdict
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from judgments_written import CRIMINAL_LAW, drunk_driving  # noqa: E402

from corpus.ingest import ingest
from corpus.judgments import record_to_judgment
from corpus.parallel import ordered_map
from corpus.reader import CorpusReader, DocumentMetadata
from corpus.spool import DocumentSet, Spool
from corpus.store import Store
from indexer.pairs import _keep_some


def _judgment(name: str, seq: int, **parts):
    record = {**drunk_driving(name, seq), **parts}
    return record_to_judgment(record, f"{name}.json", "", "json")


def test_judgments_come_back_in_the_order_first_seen_with_copies_merged(tmp_path):
    spool = Spool(tmp_path)
    first, second = _judgment("甲", 1), _judgment("乙", 2)
    short = _judgment("甲", 1, cpfxgc="本院认为，构成危险驾驶罪。")   # the same judgment from another file
    short.sources[0].path = "甲-copy.json"
    for doc in (first, second, short):
        spool.add_judgment(doc)
    back = list(spool.judgments())
    assert [d.doc_id for d in back] == [first.doc_id, second.doc_id] and spool.judgment_count == 2
    assert [s.path for s in back[0].sources] == ["甲.json", "甲-copy.json"]
    assert back[0].unit("reasoning").text == first.unit("reasoning").text   # the fuller text of the part is kept
    assert asdict(back[1]) == asdict(second)


def test_a_document_set_reads_as_a_sequence_held_documents_first(tmp_path):
    spool = Spool(tmp_path)
    for i, name in enumerate("甲乙丙"):
        spool.add_judgment(_judgment(name, i))
    held = [_judgment("丁", 9)]
    held[0].doc_type = "typical_case"
    docs = DocumentSet(held, spool)
    ids = [d.doc_id for d in docs]
    assert len(docs) == 4 and ids == [d.doc_id for d in docs]   # every pass reads the same, in the same order
    assert docs[0].doc_type == "typical_case" and docs[-1].doc_id == ids[3] and docs[2].doc_id == ids[2]
    assert [d.doc_id for d in docs[1:3]] == ids[1:3]
    with pytest.raises(IndexError):
        docs[4]


def test_the_scratch_file_is_beside_the_index_and_deleted_on_close(tmp_path):
    spool = Spool(tmp_path)
    spool.add_judgment(_judgment("甲", 1))
    assert len(list(tmp_path.iterdir())) == 1
    spool.close()
    assert list(tmp_path.iterdir()) == []


def test_ingest_keeps_judgments_out_of_memory_and_the_store_gives_them_back(tmp_path):
    folder = tmp_path / "corpus"
    (folder / "judgments").mkdir(parents=True)
    (folder / "中华人民共和国刑法.md").write_text(CRIMINAL_LAW, encoding="utf-8")
    for i, name in enumerate(["甲", "乙", "丙"]):
        (folder / "judgments" / f"{i}.json").write_text(json.dumps(drunk_driving(name, i), ensure_ascii=False),
                                                        encoding="utf-8")
    result = ingest([folder], workers=1, spool_dir=tmp_path)
    assert isinstance(result.documents, DocumentSet)
    assert [d.title for d in result.documents.held] == ["中华人民共和国刑法"]   # the judgments are on disk
    assert result.summary()["documents"]["judgment"] == 3
    assert {e["to_key"] for e in result.edges} == {"刑法#133.1", "刑法#67"}
    store = Store(tmp_path / "corpus.db")
    store.write(result.documents, result.edges, result.files, result.skipped, result.warnings)
    assert [asdict(d) for d in store.judgments()] == [asdict(d) for d in result.documents
                                                      if d.doc_type == "judgment"]
    assert all(d.doc_type != "judgment" for d in store.documents(judgments=False))
    result.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "corpus.db"]

    metadata = DocumentMetadata(CorpusReader(tmp_path / "corpus.db"))   # what a searcher holds
    judgment_id = store.documents()[1].doc_id
    assert list(metadata.held) == [store.documents()[0].doc_id]   # the law only
    assert len(metadata) == 4 and list(metadata) == [d.doc_id for d in store.documents()]
    assert metadata[judgment_id].charges == ["危险驾驶罪"] and not metadata[judgment_id].units
    assert metadata.get("judgment:no such") is None
    assert CorpusReader(tmp_path / "corpus.db").same_case(metadata[judgment_id].case_id) == [judgment_id]


class _CountingPool:
    """Runs each task at once, and records how many were submitted and not yet taken."""

    def __init__(self):
        self.waiting, self.most = 0, 0

    def submit(self, fn, item):
        self.waiting += 1
        self.most = max(self.most, self.waiting)
        future = Future()
        future.set_result(fn(item))
        return future


def test_ordered_map_keeps_order_and_a_bounded_queue():
    pool = _CountingPool()
    out = []
    for value in ordered_map(pool, lambda x: x * x, range(100), ahead=3):
        pool.waiting -= 1
        out.append(value)
    assert out == [x * x for x in range(100)] and pool.most == 3


def test_judgment_pairs_are_a_bounded_even_draw():
    kept, draw = [], random.Random(0)
    for seen in range(5):
        _keep_some(kept, seen, seen, 10, draw)
    assert kept == [0, 1, 2, 3, 4]   # all, in order, under the limit
    kept, draw = [], random.Random(0)
    for seen in range(10_000):
        _keep_some(kept, seen, seen, 100, draw)
    assert len(kept) == 100 and len(set(kept)) == 100
    assert 3_000 < sum(kept) / len(kept) < 7_000   # drawn from the whole stream, not its head
