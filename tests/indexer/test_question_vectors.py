"""Question vectors: a lay question's words move towards the articles that answer it; nothing else moves."""
import numpy as np

from indexer.dense import StaticVectorsEncoder, export_static_vectors
from indexer.question_vectors import QuestionVectors

WORDS = ["[UNK]", "[PAD]", "借钱", "不还", "借款", "合同", "辞退", "补偿", "解除", "劳动"]


def _encoder(tmp_path):
    rng = np.random.default_rng(1)
    model = tmp_path / "model"
    model.mkdir()
    export_static_vectors(model, rng.normal(size=(len(WORDS), 16)).astype(np.float32), WORDS)
    return StaticVectorsEncoder(model, tokenizer=None)


def _units(encoder):
    """Unit 0 reads 借款 合同, unit 1 解除 劳动; 30 random others."""
    rng = np.random.default_rng(2)
    units = [encoder.encode_tokens([["借款", "合同"], ["解除", "劳动"]])[i] for i in range(2)]
    units += list(rng.normal(size=(30, 16)))
    return np.asarray([u / np.linalg.norm(u) for u in units], dtype=np.float32)


def _nearest(vector, units):
    return int(np.argmax(units @ vector))


def test_training_moves_a_question_to_its_article_and_leaves_other_words(tmp_path):
    encoder = _encoder(tmp_path)
    units = _units(encoder)
    loan, dismissal = ["借钱", "不还"], ["辞退", "补偿"]
    assert _nearest(encoder.encode_tokens([loan])[0], units) != 0   # the model alone misses it
    trained = QuestionVectors.train(encoder, [loan, dismissal] * 20, [np.array([0]), np.array([1])] * 20, units,
                                    epochs=60)
    assert _nearest(trained.encode_tokens(loan), units) == 0
    assert _nearest(trained.encode_tokens(dismissal), units) == 1
    assert sorted(trained.words) == sorted(loan + dismissal)        # only the questions' words are tuned
    np.testing.assert_allclose(trained.encode_tokens(["借款", "合同"]), units[0], rtol=1e-5, atol=1e-6)
    assert not trained.encode_tokens(["没有的词"]).any()             # no known word: no direction


def test_saved_question_vectors_load_as_trained(tmp_path):
    encoder = _encoder(tmp_path)
    units = _units(encoder)
    trained = QuestionVectors.train(encoder, [["借钱"]], [np.array([0])], units, epochs=3)
    trained.save(tmp_path)
    loaded = QuestionVectors.load(tmp_path, encoder)
    np.testing.assert_array_equal(loaded.encode_tokens(["借钱", "合同"]), trained.encode_tokens(["借钱", "合同"]))
    assert QuestionVectors.load(tmp_path / "model", encoder) is None              # none saved there
    assert QuestionVectors.load(tmp_path, object()) is None                        # no word rows to tune


def test_nothing_to_learn_from_gives_none(tmp_path):
    encoder = _encoder(tmp_path)
    assert QuestionVectors.train(encoder, [["没有的词"]], [np.array([0])], _units(encoder)) is None
    assert QuestionVectors.train(encoder, [["借钱"]], [np.array([], dtype=np.int64)], _units(encoder)) is None
