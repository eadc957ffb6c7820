"""Case-to-case search: the judgments most like a facts text (类案).

A procurator's facts (基本案情, often 2,000+ characters) are compared with each judgment's facts
unit, and the evidence a judgment carries beyond its wording is weighed in:

  * lexical: BM25 of the whole facts text (every distinct term, not the 48 a mixed search keeps)
    against the judgment's facts, scaled by the best candidate's score;
  * dense: cosine of the facts vectors;
  * charges: the share of the charges the facts name (构成盗窃罪, 涉嫌盗窃罪) that a judgment holds;
  * articles: the articles applied (依照《刑法》第…条) of the FEEDBACK judgments leading on
    lexical + dense stand for the query's (pseudo-relevance feedback); a judgment scores the
    idf-weighted cosine of its own with them;
  * circumstances (自首, 累犯, 数额巨大 … corpus/judgments.py) are shown as what a judgment shares
    with the facts, and not weighed: every weight tried lowered NDCG on LeCaRD.

The weights were chosen by leave-one-out over the 27 LeCaRD dev queries (README, "Judgments").
Per-judgment data lives in arrays (judgments.npz) aligned with the unit table's documents, so
scoring a few hundred candidates is a handful of vectorised gathers.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from corpus.judgments import CIRCUMSTANCES, DOC_TYPE, charges_in_text, circumstances
from corpus.model import Document
from indexer.filters import UnitTable

FEEDBACK = 3       # leading judgments whose applied articles stand for the query's
DEPTH = 300        # candidate judgments scored per query
FILE = "judgments.npz"
VOCAB_FILE = "judgments.json"


@dataclass(frozen=True)
class SimilarConfig:
    """Feature weights (README, "Judgments": chosen by leave-one-out over the LeCaRD dev queries).
    Circumstances are shown as evidence but weigh nothing: every weight tried cost NDCG."""
    weights: dict[str, float] = field(default_factory=lambda: {
        "lexical": 1.0, "dense": 0.5, "charges": 0.3, "articles": 0.15})
    feedback: int = FEEDBACK
    depth: int = DEPTH


class JudgmentTable:
    """Per document row of the unit table: its facts unit row (-1: none or not a judgment), the
    articles it applies (compressed rows over an article-key vocabulary) and its circumstances
    (bits in CIRCUMSTANCES order)."""

    def __init__(self, facts_row: np.ndarray, art_ptr: np.ndarray, art_ids: np.ndarray, circ: np.ndarray,
                 articles: list[str]):
        self.facts_row, self.art_ptr, self.art_ids, self.circ = facts_row, art_ptr, art_ids, circ
        self.articles = articles
        df = np.bincount(art_ids, minlength=len(articles)).astype(np.float32)
        n = max(int((facts_row >= 0).sum()), 1)
        self.art_idf = np.log(1 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)

    @classmethod
    def of(cls, docs: list[Document], table: UnitTable, edges: list[dict]) -> "JudgmentTable":
        applied: dict[str, list[str]] = {}
        for edge in edges:
            applied.setdefault(edge["from_doc"], []).append(edge["to_key"])
        index: dict[str, int] = {}
        facts_row = np.full(len(docs), -1, dtype=np.int64)
        circ = np.zeros(len(docs), dtype=np.int32)
        ptr, ids = [0], []
        for d_row, doc in enumerate(docs):
            if doc.doc_type == DOC_TYPE:
                facts = doc.unit("facts")
                if facts is not None:
                    facts_row[d_row] = table.row_of[facts.unit_id]
                text = " ".join(u.text for u in doc.units if u.kind in ("facts", "reasoning"))
                circ[d_row] = circumstance_bits(circumstances(text))
                ids.extend(index.setdefault(k, len(index)) for k in dict.fromkeys(applied.get(doc.doc_id, [])))
            ptr.append(len(ids))
        return cls(facts_row, np.asarray(ptr, dtype=np.int64), np.asarray(ids, dtype=np.int32), circ, list(index))

    def save(self, path: Path) -> None:
        np.savez(path / FILE, facts_row=self.facts_row, art_ptr=self.art_ptr, art_ids=self.art_ids, circ=self.circ)
        (path / VOCAB_FILE).write_text(json.dumps(self.articles, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "JudgmentTable":
        with np.load(path / FILE) as npz:
            arrays = {k: npz[k] for k in npz.files}
        return cls(arrays["facts_row"], arrays["art_ptr"], arrays["art_ids"], arrays["circ"],
                   json.loads((path / VOCAB_FILE).read_text(encoding="utf-8")))

    @property
    def any(self) -> bool:
        return bool((self.facts_row >= 0).any())

    def articles_of(self, doc_row: int) -> np.ndarray:
        return self.art_ids[self.art_ptr[doc_row]:self.art_ptr[doc_row + 1]]


def circumstance_bits(names: list[str]) -> int:
    order = [name for name, _ in CIRCUMSTANCES]
    return sum(1 << order.index(n) for n in names)


@dataclass
class Scored:
    doc_rows: np.ndarray          # candidate judgments (unit-table document rows), best first
    scores: np.ndarray
    parts: dict[str, np.ndarray]  # each feature, aligned with doc_rows


def score_judgments(query_text: str, doc_rows: np.ndarray, lexical: np.ndarray | None, dense: np.ndarray | None,
                    table: UnitTable, jt: JudgmentTable, config: SimilarConfig = SimilarConfig()) -> Scored:
    """Score candidate judgments (document rows) for a facts query from their facts' BM25 score
    and cosine (None: that retriever is off) and the evidence the judgments carry."""
    n = len(doc_rows)
    parts: dict[str, np.ndarray] = {}
    if lexical is not None:
        parts["lexical"] = lexical.astype(np.float32) / max(float(lexical.max(initial=0.0)), 1e-9)
    if dense is not None:
        parts["dense"] = np.maximum(dense, 0).astype(np.float32)
    base = sum((config.weights.get(name, 0.0) * v for name, v in parts.items()), np.zeros(n, dtype=np.float32))
    leaders = doc_rows[np.argsort(-base, kind="stable")[:config.feedback]]
    if "charges" in config.weights:
        parts["charges"] = _charge_match(query_text, doc_rows, table)
    if "articles" in config.weights:
        parts["articles"] = _article_match(leaders, doc_rows, jt)
    score = sum((config.weights.get(name, 0.0) * v for name, v in parts.items()), np.zeros(n, dtype=np.float32))
    order = np.argsort(-score, kind="stable")
    return Scored(doc_rows[order], score[order], {k: v[order] for k, v in parts.items()})


def _charge_match(query_text: str, doc_rows: np.ndarray, table: UnitTable) -> np.ndarray:
    """The share of the charges a query names (构成盗窃罪, 涉嫌盗窃罪) that each judgment holds;
    0 everywhere when it names none. Guessing them from the leading judgments was measured and
    left out: it pulls in judgments of the right charge but other facts (README)."""
    named = charges_in_text(query_text) + re.findall(r"涉嫌([\u4e00-\u9fff、]{2,30}?罪)", query_text)
    if not named:
        return np.zeros(len(doc_rows), dtype=np.float32)
    wanted = [table.charges.matching((name,)) for name in dict.fromkeys(named)]
    out = np.zeros(len(doc_rows), dtype=np.float32)
    for i, row in enumerate(doc_rows):
        held = set(table.charges.of_doc(int(row)))
        out[i] = sum(1 for ids in wanted if held & set(ids.tolist())) / len(wanted)
    return out


def shared_evidence(query_text: str, doc_row: int, table: UnitTable, jt: JudgmentTable) -> dict[str, list[str]]:
    """What a judgment shares with the facts, shown beside it: circumstances (自首, 累犯 …)."""
    wanted = circumstance_bits(circumstances(query_text)) & int(jt.circ[doc_row])
    return {"circumstances": [name for i, (name, _) in enumerate(CIRCUMSTANCES) if wanted >> i & 1]}


def _article_match(leaders: np.ndarray, doc_rows: np.ndarray, jt: JudgmentTable) -> np.ndarray:
    """Cosine of idf-weighted applied-article vectors: the leaders' mean against each judgment's."""
    profile = np.zeros(len(jt.articles) + 1, dtype=np.float32)
    for row in leaders:
        ids = jt.articles_of(int(row))
        profile[ids] += jt.art_idf[ids]
    norm = float(np.linalg.norm(profile))
    if norm == 0:
        return np.zeros(len(doc_rows), dtype=np.float32)
    out = np.zeros(len(doc_rows), dtype=np.float32)
    for i, row in enumerate(doc_rows):
        ids = jt.articles_of(int(row))
        if len(ids):
            w = jt.art_idf[ids]
            out[i] = float(profile[ids] @ w) / (norm * float(np.linalg.norm(w)))
    return out


def is_judgment_type(doc_types: tuple[str, ...]) -> bool:
    return not doc_types or DOC_TYPE in doc_types
