from indexer.fusion import RRF_K, FusionConfig, rrf

EQUAL = FusionConfig(weights={"bm25": 1.0, "dense": 1.0}, method="rrf")


def test_rrf_matches_formula():
    fused = dict(rrf({"bm25": [1, 2, 3], "dense": [3, 1]}, EQUAL))
    assert fused[1] == 1 / (RRF_K + 1) + 1 / (RRF_K + 2)
    assert fused[3] == 1 / (RRF_K + 3) + 1 / (RRF_K + 1)
    assert fused[2] == 1 / (RRF_K + 2)


def test_rrf_orders_and_weights():
    order = [i for i, _ in rrf({"bm25": [1, 2], "dense": [2, 3]}, EQUAL)]
    assert order[0] == 2   # found by both
    weighted = [i for i, _ in rrf({"bm25": [1, 2], "dense": [3, 2]}, FusionConfig(weights={"bm25": 1.0, "dense": 0.0}))]
    assert weighted == [1, 2]


def test_rrf_depth_and_ties_are_deterministic():
    config = FusionConfig(weights=EQUAL.weights, depth=1)
    assert [i for i, _ in rrf({"bm25": [5, 6], "dense": [7, 8]}, config)] == [5, 7]


def test_minmax_keeps_a_strong_bm25_peak():
    from indexer.fusion import minmax

    scored = {"bm25": [(1, 30.0), (2, 5.0), (3, 4.5), (4, 4.0)],
              "dense": [(2, 0.91), (3, 0.90), (4, 0.89), (1, 0.80)]}
    config = FusionConfig(weights={"bm25": 1.0, "dense": 0.5}, method="minmax")
    assert [i for i, _ in minmax(scored, config)][0] == 1
    # RRF sees only ranks: 2 (2nd and 1st) beats 1 (1st and 4th) whatever the score gap.
    assert [i for i, _ in rrf({"bm25": [1, 2, 3, 4], "dense": [2, 3, 4, 1]}, config)][0] == 2


def test_minmax_weights_and_constant_scores():
    from indexer.fusion import minmax

    fused = dict(minmax({"bm25": [(1, 2.0), (2, 2.0)], "dense": [(2, 0.5)]},
                        FusionConfig(weights={"bm25": 1.0, "dense": 0.5}, method="minmax")))
    assert fused == {1: 0.0, 2: 0.0}   # no spread, no signal: nothing is invented


def test_case_weights_apply_to_case_units_only():
    import numpy as np
    from indexer.fusion import minmax

    scored = {"bm25": [(0, 1.0), (1, 1.0), (2, 0.0)], "dense": [(0, 1.0), (1, 1.0), (2, 0.0)]}
    is_case = np.array([False, True, False])
    config = FusionConfig(weights={"bm25": 1.0, "dense": 0.5}, case_weights={"bm25": 1.0, "dense": 0.25})
    fused = dict(minmax(scored, config, is_case))
    assert fused == {0: 1.5, 1: 1.25, 2: 0.0}
    assert dict(minmax(scored, config)) == {0: 1.5, 1: 1.5, 2: 0.0}   # no flags: every unit takes `weights`
    ranked = dict(rrf({"dense": [0, 1]}, config, is_case))
    assert ranked == {0: 0.5 / (RRF_K + 1), 1: 0.25 / (RRF_K + 2)}


def test_case_weight_falls_back_to_the_retrievers_weight():
    config = FusionConfig(weights={"bm25": 1.0, "dense": 0.5, "other": 0.7}, case_weights={"dense": 0.3})
    assert config.weight("other", is_case=True) == 0.7
    assert config.weight("dense", is_case=True) == 0.3
    assert config.weight("dense", is_case=False) == 0.5


def test_agreed_head_keeps_bm25_leaders_dense_also_found():
    from indexer.fusion import keep_agreed_head

    fused = [(9, 1.4), (2, 1.2), (1, 1.1), (3, 0.5), (4, 0.2)]
    group = {1: "a", 2: "b", 3: "c", 4: "d", 9: "z"}
    out = keep_agreed_head(fused, lexical=[1, 2, 3, 4], dense=[2, 1, 9], groups=group, size=3)
    assert [i for i, _ in out] == [1, 2, 9, 3, 4]          # 3 was not retrieved by dense: the head stops there
    assert [s for _, s in out][:2] == [1.4, 1.4]           # the head takes the top score, so scores stay sorted
    assert keep_agreed_head(fused, [1, 2], [2, 1], group, size=0) == fused
    assert keep_agreed_head(fused, [1, 2], [], group, size=3) == fused
    assert keep_agreed_head(fused, [3, 1], [1, 2], group, size=3) == fused   # BM25's first was not agreed on


def test_agreed_head_counts_one_entry_per_group():
    from indexer.fusion import keep_agreed_head

    fused = [(5, 2.0), (1, 1.0), (2, 0.9), (3, 0.8)]
    group = {1: "case", 2: "case", 3: "law", 4: "cited", 5: "other"}   # 1 and 2 are units of one case
    out = keep_agreed_head(fused, lexical=[1, 2, 3], dense=[2, 3], groups=group, size=2)
    assert [i for i, _ in out] == [1, 3, 5, 2]          # dense found the case through unit 2: that agrees
    # a group already placed ahead (a cited unit) is passed over without using up a place
    out = keep_agreed_head(fused, lexical=[4, 1, 3], dense=[4, 2, 3], groups=group, size=2, placed=frozenset({"cited"}))
    assert [i for i, _ in out] == [1, 3, 5, 2]
