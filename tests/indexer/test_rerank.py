"""The reranker: features of a question's candidates, statute slots refilled, a model that learns."""
import numpy as np

from indexer.rerank import FEATURES, Candidates, Reranker, UnitFacts, candidates, into_slots


def _facts() -> UnitFacts:
    law = ["law:民法典@2021", "law:民法典@2021", "law:劳动合同法@2012", ""]
    chapter = ["law:民法典@2021 第十二章 借款合同", "law:民法典@2021 第十二章 借款合同", "law:劳动合同法@2012 第四章 劳动合同的解除和终止", ""]
    return UnitFacts(np.array([3, 0, 1, 0], dtype=np.float32), np.array([50, 80, 60, 900], dtype=np.float32), law, chapter)


def test_candidates_hold_fused_statutes_and_the_memory_s():
    is_statute = np.array([True, True, True, False])
    fused = [(3, 1.0), (0, 0.9)]
    scores = {"bm25": {0: 5.0, 3: 7.0}, "questions": {0: 0.5, 2: 1.5}}
    found = candidates("劳动合同法 辞退 借款合同", {"辞退", "借款合同", "劳动合同法"}, fused, scores, is_statute,
                       np.ones(4, dtype=np.float32), _facts(), np.array([2, 0, 1, 0], dtype=np.float32),
                       lambda text: frozenset(text.split()))
    assert found.rows == [0, 2]   # the case (row 3) is not reordered; row 2 comes from the memory alone
    assert found.matrix.shape == (2, len(FEATURES))
    feature = dict(zip(FEATURES, found.matrix[1]))
    assert feature["questions_share"] == 1.0 and feature["bm25_rank"] == 1000 and feature["law_named"] == 1.0
    assert dict(zip(FEATURES, found.matrix[0]))["chapter_overlap"] == 0.5   # 借款合同 of 第十二章 借款合同


def test_into_slots_keeps_cases_in_place():
    is_statute = np.array([True, True, False, True, True])
    fused = [(0, 1.0), (2, 0.8), (1, 0.5), (3, 0.2)]
    assert into_slots(fused, [4, 1], is_statute) == [(4, 1.0), (2, 0.8), (1, 0.5), (0, 0.2), (3, 0.2)]


def test_reranker_learns_which_feature_marks_the_answer(tmp_path):
    rng = np.random.default_rng(0)
    groups, labels = [], []
    for _ in range(60):
        matrix = rng.random((10, len(FEATURES))).astype(np.float32)
        gold = int(rng.integers(10))
        matrix[gold, FEATURES.index("questions_share")] = 2.0
        groups.append(Candidates(list(range(10)), matrix))
        labels.append(np.eye(10, dtype=np.float32)[gold])
    model = Reranker.train(groups, labels, rounds=20)
    model.save(tmp_path)
    loaded = Reranker.load(tmp_path)
    test = rng.random((5, len(FEATURES))).astype(np.float32)
    test[3, FEATURES.index("questions_share")] = 2.0
    assert loaded.order(Candidates([10, 11, 12, 13, 14], test))[0] == 13
    assert Reranker.load(tmp_path / "none") is None


def test_candidates_without_memory_or_statutes():
    """No memory: its features are zero and its rank missing; nothing to reorder: an empty matrix."""
    is_statute = np.array([True, True, True, False])
    facts, cites, words = _facts(), np.zeros(4, dtype=np.float32), (lambda text: frozenset(text.split()))
    found = candidates("借款合同", {"借款合同"}, [(1, 0.9), (0, 0.5)], {"bm25": {1: 4.0, 0: 2.0}}, is_statute,
                       np.ones(4, dtype=np.float32), facts, cites, words)
    feature = [dict(zip(FEATURES, row)) for row in found.matrix]
    assert found.rows == [1, 0] and [f["bm25_rank"] for f in feature] == [0, 1] and feature[1]["bm25_share"] == 0.5
    assert feature[0]["questions_rank"] == 1000 and feature[0]["law_questions"] == 0.0
    assert feature[0]["law_head"] == 1.0 and feature[0]["chapter_head"] == 1.0   # both leaders: 民法典 第十二章
    none = candidates("借款合同", {"借款合同"}, [(3, 1.0)], {}, is_statute, np.ones(4, dtype=np.float32), facts,
                      cites, words)
    assert none.rows == [] and none.matrix.shape == (0, len(FEATURES))
