import numpy as np

from indexer.dense import DenseIndex, segment_for_vocab
from indexer.filters import Filters
from indexer.retriever import Query, Selection


def _unit(v):
    v = np.asarray(v, dtype=np.float32)
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def test_faiss_matches_numpy_and_filters(tmp_path):
    rng = np.random.default_rng(0)
    vectors = _unit(rng.normal(size=(500, 16)))
    query = _unit(rng.normal(size=16))
    index = DenseIndex.build(vectors)
    q = Query("", [], encode=lambda: query)
    rows, scores = index.search(q, 10, Selection(Filters(), None))
    expected = np.argsort(-(vectors @ query))[:10]
    assert list(rows) == list(expected)
    np.testing.assert_allclose(scores, (vectors @ query)[expected], rtol=1e-5)

    mask = np.zeros(500, dtype=bool)
    mask[::50] = True          # a narrow filter: only 10 rows may come back, however many are asked for
    rows, _ = index.search(q, 50, Selection(Filters(), mask))
    allowed = np.flatnonzero(mask)
    assert list(rows) == list(allowed[np.argsort(-(vectors[allowed] @ query))])
    assert len(index.search(q, 5, Selection(Filters(), np.zeros(500, dtype=bool)))[0]) == 0

    index.save(tmp_path / "d.faiss")
    assert DenseIndex.load(tmp_path / "d.faiss").size == 500


def test_segment_falls_back_to_characters():
    assert segment_for_vocab(["矿产资源", "开矿"], {"矿产资源", "开", "矿"}) == ["矿产资源", "开", "矿"]


def test_static_vectors_match_sentence_transformers(tiny_index):
    """The numpy encoder used for serving must give the trained model's own vectors."""
    from indexer.dense import SentenceTransformerEncoder, StaticVectorsEncoder
    from indexer.layout import current_build
    from indexer.tokenize import Tokenizer

    build = current_build(tiny_index)
    tokenizer = Tokenizer(build / "userdict.txt")
    fast = StaticVectorsEncoder(build / "model", tokenizer)
    texts = ["非法采矿 破坏生态", "盗窃公私财物", "检察机关提起民事公益诉讼"]
    segmented = [" ".join(segment_for_vocab(tokenizer.tokens(t), fast.vocab)) for t in texts]
    reference = SentenceTransformerEncoder(build / "model").encode(segmented)
    np.testing.assert_allclose(fast.encode(texts), reference, rtol=1e-4, atol=1e-5)
