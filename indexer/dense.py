"""Dense retrieval: an encoder behind a small interface, vectors in a faiss exact index.

Backends (txtai-style, chosen by configuration):
  * a local sentence-transformers directory named by LEIAN_EMBEDDING_MODEL / --embedding-model;
  * otherwise the model `leian build` trains from the corpus (see indexer/training.py),
    a word-level StaticEmbedding that reads jieba-segmented text.
Exact inner product (IndexFlatIP) is used below ~1M vectors: it is fast enough here and
gives the evaluator true nearest neighbours rather than an approximation.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Protocol

import faiss
import numpy as np


PRESEGMENT_MARKER = "leian_presegment.json"   # in a model dir: the model reads jieba-segmented text
ENCODE_BATCH = 512


class Encoder(Protocol):
    name: str

    def encode(self, texts: list[str]) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""


class SentenceTransformerEncoder:
    def __init__(self, model_dir: Path, userdict: Path | None = None):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")   # never reach for a hub; the dir must be complete
        from sentence_transformers import SentenceTransformer

        self.model_dir = Path(model_dir)
        if not (self.model_dir / "modules.json").exists() and not (self.model_dir / "config.json").exists():
            raise FileNotFoundError(f"{self.model_dir} is not a sentence-transformers model directory")
        self.model = SentenceTransformer(str(self.model_dir), device="cpu")
        self.name = self.model_dir.name
        self._tokenizer = self._vocab = None
        if (self.model_dir / PRESEGMENT_MARKER).exists():
            from indexer.tokenize import Tokenizer

            self._tokenizer = Tokenizer(userdict)
            self._vocab = set(self.model[0].tokenizer.get_vocab())

    def encode(self, texts: list[str]) -> np.ndarray:
        if self._tokenizer is not None:
            return self.encode_tokens([self._tokenizer.tokens(t) for t in texts])
        return self._encode(texts)

    @property
    def presegmented(self) -> bool:
        return self._vocab is not None

    def encode_tokens(self, token_lists: list[list[str]]) -> np.ndarray:
        """Encode text already split by indexer/tokenize.py (what the build has at hand)."""
        assert self._vocab is not None, "only a model that reads segmented text takes tokens"
        return self._encode([segment_for_vocab(tokens, self._vocab) for tokens in token_lists])

    def _encode(self, texts: list[str]) -> np.ndarray:
        vectors = self.model.encode(texts, batch_size=ENCODE_BATCH, normalize_embeddings=True,
                                    convert_to_numpy=True, show_progress_bar=False)
        return np.ascontiguousarray(vectors, dtype=np.float32)


def segment_for_vocab(tokens: list[str], vocab: set[str]) -> str:
    """Whitespace-joined tokens the model knows; an unknown word falls back to its characters."""
    out = []
    for token in tokens:
        out.extend([token] if token in vocab else [c for c in token if c in vocab])
    return " ".join(out)


def mark_presegmented(model_dir: Path) -> None:
    (model_dir / PRESEGMENT_MARKER).write_text(json.dumps({"segmenter": "jieba cut_for_search, leian stopwords"}))


class DenseIndex:
    def __init__(self, index: faiss.Index):
        self.index = index

    @classmethod
    def build(cls, vectors: np.ndarray) -> "DenseIndex":
        index = faiss.IndexFlatIP(vectors.shape[1])
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        return cls(index)

    def save(self, path: Path) -> None:
        faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, path: Path) -> "DenseIndex":
        return cls(faiss.read_index(str(path)))

    def add(self, vectors: np.ndarray) -> None:
        self.index.add(np.ascontiguousarray(vectors, dtype=np.float32))

    @property
    def size(self) -> int:
        return self.index.ntotal

    def search(self, query: np.ndarray, k: int, mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(rows, cosine scores) of the k nearest units the mask keeps, best first."""
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        if mask is None:
            scores, rows = self.index.search(q, min(k, self.size))
            keep = rows[0] >= 0
            return rows[0][keep].astype(np.int64), scores[0][keep]
        # Over-fetch, then filter: cheap when the mask keeps most rows (the default current-only view).
        scores, rows = self.index.search(q, min(k * 4, self.size))
        keep = (rows[0] >= 0) & mask[np.clip(rows[0], 0, None)]
        if keep.sum() >= k or k * 4 >= self.size:
            return rows[0][keep][:k].astype(np.int64), scores[0][keep][:k]
        selector = faiss.IDSelectorBatch(np.flatnonzero(mask).astype(np.int64))
        scores, rows = self.index.search(q, min(k, int(mask.sum())), params=faiss.SearchParameters(sel=selector))
        keep = rows[0] >= 0
        return rows[0][keep].astype(np.int64), scores[0][keep]

