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
