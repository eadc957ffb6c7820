"""Folds: stable, and each query in exactly one."""
from collections import Counter

from eval.folds import fold_of


def test_folds_are_stable_and_balanced():
    ids = [f"stard-{i}" for i in range(1000)]
    folds = [fold_of(i, 5) for i in ids]
    assert folds == [fold_of(i, 5) for i in ids]
    assert all(150 < n < 250 for n in Counter(folds).values())
