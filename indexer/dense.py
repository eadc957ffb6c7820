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

from indexer.retriever import Query, Selection


STATIC_VECTORS = "static_vectors.npy"     # the trained model's word vectors, row i = vocab[i]
STATIC_VOCAB = "static_vocab.json"
ENCODE_BATCH = 512


class Encoder(Protocol):
    name: str
    presegmented: bool   # True: takes indexer/tokenize.py tokens (encode_tokens), as the build has them

    def encode(self, texts: list[str]) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""

    def encode_tokens(self, token_lists: list[list[str]]) -> np.ndarray:
        """The same, from tokens; only for presegmented encoders."""


def segment_for_vocab(tokens: list[str], vocab: dict[str, int] | set[str]) -> list[str]:
    """The tokens the model knows; an unknown word falls back to its characters."""
    out = []
    for token in tokens:
        out.extend([token] if token in vocab else [c for c in token if c in vocab])
    return out


def _normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.ascontiguousarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)


class StaticVectorsEncoder:
    """The corpus-trained StaticEmbedding, read as a plain matrix: a text's vector is the mean
    of its tokens' rows, exactly what StaticEmbedding's mean EmbeddingBag computes. Serving
    this way skips importing torch and sentence-transformers (~6 s and ~300 MB per process)."""

    presegmented = True

    def __init__(self, model_dir: Path, tokenizer):
        self.name = Path(model_dir).name
        self._weights = np.load(Path(model_dir) / STATIC_VECTORS, mmap_mode="r")
        self._words = json.loads((Path(model_dir) / STATIC_VOCAB).read_text(encoding="utf-8"))
        self.vocab = {token: i for i, token in enumerate(self._words)}
        self._tokenizer = tokenizer

    def encode(self, texts: list[str]) -> np.ndarray:
        return self.encode_tokens([self._tokenizer.tokens(t) for t in texts])

    def encode_tokens(self, token_lists: list[list[str]]) -> np.ndarray:
        out = np.zeros((len(token_lists), self._weights.shape[1]), dtype=np.float32)
        for row, tokens in enumerate(token_lists):
            ids = [self.vocab[t] for t in segment_for_vocab(tokens, self.vocab)]
            if ids:
                out[row] = self._weights[ids].mean(axis=0)
        return _normalise(out)

    def row(self, token: str) -> np.ndarray:
        return self._weights[self.vocab[token]]

    def rows_of(self, ids: list[int]) -> np.ndarray:
        return np.asarray(self._weights[ids], dtype=np.float32)

    def word(self, i: int) -> str:
        return self._words[i]


class SentenceTransformerEncoder:
    """Any local sentence-transformers directory (LEIAN_EMBEDDING_MODEL), reading raw text."""

    presegmented = False

    def __init__(self, model_dir: Path):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")   # never reach for a hub; the dir must be complete
        from sentence_transformers import SentenceTransformer

        model_dir = Path(model_dir)
        if not (model_dir / "modules.json").exists() and not (model_dir / "config.json").exists():
            raise FileNotFoundError(f"{model_dir} is not a sentence-transformers model directory")
        self.model = SentenceTransformer(str(model_dir), device="cpu")
        self.name = model_dir.name

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = self.model.encode(texts, batch_size=ENCODE_BATCH, normalize_embeddings=True,
                                    convert_to_numpy=True, show_progress_bar=False)
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def encode_tokens(self, token_lists: list[list[str]]) -> np.ndarray:
        raise TypeError("a sentence-transformers model reads raw text, not tokens")


def load_encoder(model_dir: Path, tokenizer) -> Encoder:
    """The trained model's vectors when the dir has them, else the directory as a sentence-transformers model."""
    if (Path(model_dir) / STATIC_VECTORS).exists():
        return StaticVectorsEncoder(model_dir, tokenizer)
    return SentenceTransformerEncoder(model_dir)


def export_static_vectors(model_dir: Path, weights: np.ndarray, vocab: list[str]) -> None:
    np.save(Path(model_dir) / STATIC_VECTORS, np.ascontiguousarray(weights, dtype=np.float32))
    (Path(model_dir) / STATIC_VOCAB).write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")


class DenseIndex:
    """The in-process SemanticRetriever (indexer/retriever.py): faiss, exact inner product."""

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
        """Memory-mapped, read-only: several server workers share one copy of the vectors."""
        return cls(faiss.read_index(str(path), faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY))

    @property
    def size(self) -> int:
        return self.index.ntotal

    def vectors(self, rows: np.ndarray) -> np.ndarray:
        """The stored vectors of some rows (case-to-case search compares a few hundred exactly)."""
        return self.index.reconstruct_batch(np.asarray(rows, dtype=np.int64))

    def search(self, query: Query, k: int, selection: Selection) -> tuple[np.ndarray, np.ndarray]:
        """(rows, cosine) of the k nearest units the selection keeps, best first."""
        return self._nearest(query.vector, k, selection.mask)

    def _nearest(self, query: np.ndarray, k: int, mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        faiss.omp_set_num_threads(1)   # one query: threads cost more to start than they save (5 ms vs 24 ms here)
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        allowed = self.size if mask is None else int(mask.sum())
        if allowed == 0 or k <= 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        params = None
        if mask is not None:
            # the filter inside the scan: fetching 4× as many and filtering after cost 9.8 ms a question
            # (1,600 wanted), this 7.9 ms, and the fallback for a narrow filter is gone
            bits = np.packbits(mask, bitorder="little")   # referenced until the search returns
            params = faiss.SearchParameters(sel=faiss.IDSelectorBitmap(len(mask), faiss.swig_ptr(bits)))
        scores, rows = self.index.search(q, min(k, allowed), params=params)
        keep = rows[0] >= 0
        return rows[0][keep].astype(np.int64), scores[0][keep]
