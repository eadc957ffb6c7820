"""Pretrained Chinese word vectors from the PyPI package `cnsyn` (Apache-2.0), used to
initialise the trained embedding model so it starts knowing that 偷 ≈ 盗窃 and 开矿 ≈ 采矿.

The package stores 129,691 words × 75 dims inside an old scikit-learn BallTree pickle, and
its own import path is broken on Linux, so the file is read directly — once — and the
vectors are cached as plain .npy with a provenance note; no pickle is read at query time.
"""
from __future__ import annotations

import importlib.metadata
import importlib.util
import json
from pathlib import Path

import numpy as np

_PICKLE = Path("query") / "words_tree_mini.m"


def _package_dir() -> Path | None:
    spec = importlib.util.find_spec("cnsyn")   # finds the folder without running its broken __init__
    return Path(spec.origin).parent if spec and spec.origin else None


def load_word_vectors(cache_dir: Path) -> tuple[list[str], np.ndarray] | None:
    """(words, vectors) from the cache, extracting them from cnsyn the first time; None if
    cnsyn is not installed (training then starts from random vectors)."""
    words_file, vectors_file = cache_dir / "words.json", cache_dir / "vectors.npy"
    if words_file.exists() and vectors_file.exists():
        return json.loads(words_file.read_text(encoding="utf-8")), np.load(vectors_file)
    package = _package_dir()
    if package is None or not (package / _PICKLE).exists():
        return None
    import joblib
    import sklearn.metrics._dist_metrics as dist_metrics

    if not hasattr(dist_metrics, "EuclideanDistance"):   # the pickle names a class renamed in sklearn 1.3
        dist_metrics.EuclideanDistance = dist_metrics.EuclideanDistance64
    tree = joblib.load(package / _PICKLE)
    words = [str(w) for w in tree["words"]]
    vectors = np.asarray(tree["model"].get_arrays()[0], dtype=np.float32)
    cache_dir.mkdir(parents=True, exist_ok=True)
    np.save(vectors_file, vectors)
    words_file.write_text(json.dumps(words, ensure_ascii=False), encoding="utf-8")
    (cache_dir / "SOURCE.json").write_text(json.dumps({
        "package": "cnsyn", "version": importlib.metadata.version("cnsyn"), "license": "Apache-2.0",
        "file": str(_PICKLE), "words": len(words), "dims": int(vectors.shape[1])}, indent=1), encoding="utf-8")
    return words, vectors

