"""A question's words, moved towards the articles that answer them.

A layperson asks in words the statutes do not use (借了钱一直不还, 辞退, 挖沙). The corpus-trained
embedding places the articles well but reads a question's words as the corpus uses them. Here a
copy of the embedding's rows for the words the training questions use is tuned on the question →
article pairs, so that a question's vector (the mean of its words' rows, as the embedding computes
it) lands near the articles its kind of question cites. The article vectors stay as built: one
dense index serves every query on every backend (Milvus too), and only a question (up to
RERANK_CHARS) is encoded with these rows. Words no training question used keep the model's rows.

Training: a softmax over the unit vectors, sampled (each batch's answers and NEGATIVES random
units), temperature TEMPERATURE, Adam, EPOCHS passes. Every version of a cited article counts as
its answer. Measured in README, "Real questions".
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from indexer.dense import StaticVectorsEncoder, segment_for_vocab

FILE = "question_vectors.npz"
EPOCHS = 2
LEARNING_RATE = 0.05
TEMPERATURE = 0.05     # the scale (20) of sentence-transformers' MultipleNegativesRankingLoss
NEGATIVES = 32_768     # random units per batch beside its answers: 12 s a pass instead of 45 s, same recall
BATCH = 256


class QuestionVectors:
    """The tuned rows of the question words; `encode_tokens` falls back to the model's rows."""

    def __init__(self, base: StaticVectorsEncoder, words: list[str], rows: np.ndarray):
        self.base, self.words, self.rows = base, words, rows
        self._index = {w: i for i, w in enumerate(words)}

    def encode_tokens(self, tokens: list[str]) -> np.ndarray:
        """The L2-normalised mean of the question's word rows (tuned where there is one)."""
        known = segment_for_vocab(tokens, self.base.vocab)
        if not known:
            return np.zeros(self.rows.shape[1], dtype=np.float32)
        vector = np.mean([self.rows[self._index[t]] if t in self._index else self.base.row(t) for t in known], axis=0)
        return (vector / max(float(np.linalg.norm(vector)), 1e-12)).astype(np.float32)

    def save(self, build: Path) -> None:
        np.savez(build / FILE, words=np.asarray(self.words), rows=self.rows)

    @classmethod
    def load(cls, build: Path, base: object) -> "QuestionVectors | None":
        if not (build / FILE).exists() or not isinstance(base, StaticVectorsEncoder):
            return None
        with np.load(build / FILE) as npz:
            return cls(base, npz["words"].tolist(), npz["rows"])

    @classmethod
    def train(cls, base: StaticVectorsEncoder, questions: list[list[str]], answers: list[np.ndarray],
              unit_vectors: np.ndarray, epochs: int = EPOCHS, seed: int = 0) -> "QuestionVectors | None":
        """`questions`: token lists; `answers`: for each, the unit rows (any version) that answer it;
        `unit_vectors`: every unit's stored vector (row-aligned with the unit table)."""
        import torch

        examples = [([base.vocab[t] for t in segment_for_vocab(q, base.vocab)], a) for q, a in zip(questions, answers)]
        examples = [(ids, a) for ids, a in examples if ids and len(a)]
        if not examples:
            return None
        used = sorted({i for ids, _ in examples for i in ids})
        local = {i: k for k, i in enumerate(used)}
        start = torch.tensor(base.rows_of(used))
        delta = torch.zeros_like(start, requires_grad=True)
        units = torch.from_numpy(np.ascontiguousarray(unit_vectors, dtype=np.float32))
        answers_t = [torch.as_tensor(a, dtype=torch.int64) for _, a in examples]
        generator = torch.Generator().manual_seed(seed)
        optimiser = torch.optim.Adam([delta], lr=LEARNING_RATE)
        for _ in range(epochs):
            order = torch.randperm(len(examples), generator=generator).tolist()
            for at in range(0, len(order), BATCH):
                batch = order[at:at + BATCH]
                flat = torch.tensor([local[i] for k in batch for i in examples[k][0]])
                offsets = torch.tensor(np.cumsum([0] + [len(examples[k][0]) for k in batch[:-1]]))
                queries = torch.nn.functional.normalize(
                    torch.nn.functional.embedding_bag(flat, start + delta, offsets, mode="mean"), dim=1)
                columns = torch.unique(torch.cat([*(answers_t[k] for k in batch),
                                                  torch.randint(0, len(units), (NEGATIVES,), generator=generator)]))
                logits = queries @ units[columns].T / TEMPERATURE
                is_answer = torch.zeros_like(logits, dtype=torch.bool)
                for j, k in enumerate(batch):
                    is_answer[j, torch.searchsorted(columns, answers_t[k])] = True
                loss = (torch.logsumexp(logits, 1)
                        - torch.logsumexp(logits.masked_fill(~is_answer, float("-inf")), 1)).mean()
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
        return cls(base, [base.word(i) for i in used], (start + delta).detach().numpy().astype(np.float32))
