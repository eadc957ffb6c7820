"""Article vectors expanded with the facts of the training-split cases that cite them."""
import numpy as np

from corpus.model import Document, Unit
from corpus.split import is_test_case
from indexer.expansion import citing_facts, expand

TRAIN_CASE, TEST_CASE = "spp:28", "spp:30"   # is_test_case: False, True


def _case(doc_id: str) -> Document:
    return Document(doc_id=doc_id, title=doc_id, doc_type="guiding_case", level="spp",
                    units=[Unit(unit_id=f"{doc_id}#facts", doc_id=doc_id, kind="facts", label="基本案情", text="…")])


def test_only_training_cases_lend_their_facts():
    assert not is_test_case(TRAIN_CASE) and is_test_case(TEST_CASE)
    edges = [{"from_doc": TRAIN_CASE, "to_unit": "law:a@1#a1", "to_current_unit": "law:a@2#a1"},
             {"from_doc": TRAIN_CASE, "to_unit": "law:a@2#a1", "to_current_unit": ""},     # same article twice
             {"from_doc": TEST_CASE, "to_unit": "law:a@2#a2", "to_current_unit": ""},
             {"from_doc": TRAIN_CASE, "to_unit": "", "to_current_unit": ""}]               # unresolved citation
    cited = citing_facts([_case(TRAIN_CASE), _case(TEST_CASE)], edges)
    assert cited == {"law:a@2#a1": [f"{TRAIN_CASE}#facts"]}


def test_expand_moves_the_article_towards_its_citing_facts():
    ids = ["art", "other", "facts1", "facts2"]
    vectors = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 0]], dtype=np.float32)
    changed = expand(vectors, ids, {"art": ["facts1", "facts2"], "missing": ["facts1"], "other": ["nowhere"]}, beta=1.0)
    assert changed == ["art"]
    expected = np.array([1, 0.5, 0.5]) / np.linalg.norm([1, 0.5, 0.5])
    np.testing.assert_allclose(vectors[0], expected, rtol=1e-6)
    np.testing.assert_array_equal(vectors[1:], [[0, 1, 0], [0, 0, 1], [0, 1, 0]])   # nothing else moves
