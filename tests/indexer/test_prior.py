import numpy as np

from corpus.model import LEVELS
from indexer.lexical import LexicalIndex
from indexer.prior import LEVEL_WEIGHTS, level_prior


def test_prior_maps_level_codes():
    codes = np.array([LEVELS.index("law"), LEVELS.index("local_regulation")])
    assert list(level_prior(codes)) == [LEVEL_WEIGHTS["law"], LEVEL_WEIGHTS["local_regulation"]]


def test_prior_demotes_local_regulations_in_bm25():
    docs = [["采矿", "许可", "地方"], ["采矿", "许可", "国家"]]
    index = LexicalIndex.build(docs)
    prior = level_prior(np.array([LEVELS.index("local_regulation"), LEVELS.index("law")]))
    rows, _, _ = index.search(["采矿", "许可"], k=2, prior=prior)
    assert list(rows) == [1, 0]
