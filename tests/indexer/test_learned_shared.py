"""The learned side over the real shared corpus, when the index was built with question pairs
(`leian build` finds ../shared/training and STARD's train split beside ../shared/corpus)."""
import os
from pathlib import Path

import pytest

from indexer.layout import IndexUnavailable, current_build, read_manifest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def learned_searcher():
    from indexer.search import Searcher

    root = Path(os.environ.get("LEIAN_INDEX") or Path(__file__).resolve().parents[2] / "var" / "index")
    try:
        build = current_build(root)
    except IndexUnavailable as exc:
        pytest.skip(f"no full-corpus index ({exc})")
    if not (read_manifest(build).get("questions") or {}).get("reranker"):
        pytest.skip(f"index at {root} was built without question pairs (no ../shared/training)")
    return Searcher.open(root)


def test_a_layperson_loan_question_reaches_the_repayment_article(learned_searcher):
    results = learned_searcher.search("朋友借了我五万块钱一直不还怎么办", k=10).results
    assert any(h.unit_id.startswith("law:民法典@") and h.unit_id.endswith("#a675") for h in results)


def test_case_facts_are_left_to_bm25_and_the_embedding(learned_searcher):
    facts = "被告人张某于2020年5月至8月间，未取得采矿许可证，在某河道内使用挖掘机非法开采河砂，" * 4
    ranked = learned_searcher.rank(facts)
    assert ranked and all("questions" not in r.matched_by for r in ranked)
