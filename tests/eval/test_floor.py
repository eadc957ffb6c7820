"""The floor chooser: dense above every unanswerable hit, lexical at the KEEP share of gold hits."""
from eval.floor import KEEP, Signal, choose


def test_choose_keeps_the_share_of_gold_hits_and_clears_unanswerable_ones():
    # 100 short-query gold hits with coverage .01, .02, … 1.00 and weak dense scores
    gold = [Signal(20, round(i / 100, 2), 0.3) for i in range(1, 101)]
    gold.append(Signal(500, 0.0, 0.5))                 # a long facts query: reported apart
    junk = [Signal(10, 0.2, 0.61), Signal(10, 0.0, 0.7)]
    floors = choose(gold, junk)
    assert floors["dense"] == 0.75                      # 0.7 rounded up to the next 0.05
    assert floors["short"]["lexical"] == 0.02 and floors["short"]["kept"] >= KEEP
    assert floors["long"] == {"lexical": 0.0, "gold_hits": 1, "kept": 1.0}


def test_dense_hits_above_the_dense_floor_are_kept_whatever_their_coverage():
    gold = [Signal(20, 0.0, 0.9)] * 5 + [Signal(20, 0.5, 0.1)] * 95
    floors = choose(gold, [Signal(10, 0.0, 0.42)])
    assert floors["dense"] == 0.45 and floors["short"]["lexical"] == 0.5
