import numpy as np

from corpus.model import LEVELS
from indexer.filters import Filters
from indexer.lexical import LexicalIndex
from indexer.retriever import Query, Selection, retrieve
from indexer.prior import LEVEL_WEIGHTS, level_prior


def test_prior_maps_level_codes():
    codes = np.array([LEVELS.index("law"), LEVELS.index("local_regulation")])
    assert list(level_prior(codes)) == [LEVEL_WEIGHTS["law"], LEVEL_WEIGHTS["local_regulation"]]


def test_prior_demotes_local_regulations_whatever_the_retriever():
    docs = [["采矿", "许可", "地方", "采矿"], ["采矿", "许可", "国家"]]
    index = LexicalIndex.build(docs)
    prior = level_prior(np.array([LEVELS.index("local_regulation"), LEVELS.index("law")]))
    query, everything = Query("采矿 许可", ["采矿", "许可"]), Selection(Filters(), None)
    assert list(index.search(query, 2, everything)[0]) == [0, 1]   # more 采矿: first by BM25 alone
    rows, scores = retrieve(index, query, 1, everything, prior)
    assert list(rows) == [1]   # the top 1 is taken after the prior, from the over-fetched candidates
    assert scores[0] == np.float32(index.scores_and_coverage(query.tokens)[0][1] * prior[1])
