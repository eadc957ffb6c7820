from indexer.fusion import RRF_K, FusionConfig, rrf


def test_rrf_matches_formula():
    fused = dict(rrf({"bm25": [1, 2, 3], "dense": [3, 1]}))
    assert fused[1] == 1 / (RRF_K + 1) + 1 / (RRF_K + 2)
    assert fused[3] == 1 / (RRF_K + 3) + 1 / (RRF_K + 1)
    assert fused[2] == 1 / (RRF_K + 2)


def test_rrf_orders_and_weights():
    order = [i for i, _ in rrf({"bm25": [1, 2], "dense": [2, 3]})]
    assert order[0] == 2   # found by both
    weighted = [i for i, _ in rrf({"bm25": [1, 2], "dense": [3, 2]}, FusionConfig(weights={"bm25": 1.0, "dense": 0.0}))]
    assert weighted == [1, 2]


def test_rrf_depth_and_ties_are_deterministic():
    config = FusionConfig(depth=1)
    assert [i for i, _ in rrf({"bm25": [5, 6], "dense": [7, 8]}, config)] == [5, 7]
