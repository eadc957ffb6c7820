"""Training pairs mined from the corpus alone (no hub, no benchmark queries).

Kinds of (anchor, positive):
  * inverse cloze: a sentence of an article ↔ the article with that sentence removed, so
    the model learns what a provision is about rather than to spot copied text;
  * law title + chapter heading ↔ article;
  * for training-split cases only (corpus/split.py): facts ↔ each article in its
    相关规定, facts ↔ holding, holding ↔ cited article, keywords ↔ holding.
"""
from __future__ import annotations

import random
import re

from corpus.model import Document
from corpus.split import is_test_case

_SENTENCE_RE = re.compile(r"[^。；;！？\n]+[。；;！？]?")
MIN_SENTENCE = 8
CASE_PAIR_REPEAT = 3   # case pairs are few and closest to real queries: seen three times


def unit_text(doc: Document, unit) -> str:
    return f"{doc.title} {unit.label} {unit.text}"


def mine_pairs(docs: list[Document], edges: list[dict], max_pairs: int = 100_000, seed: int = 13) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    article_pairs: list[tuple[str, str]] = []
    units_by_id = {}
    for doc in docs:
        for unit in doc.units:
            units_by_id[unit.unit_id] = (doc, unit)
        if doc.validity == "superseded" or not doc.law_key:
            continue
        for unit in doc.units:
            sentences = [s for s in _SENTENCE_RE.findall(unit.text) if len(s) >= MIN_SENTENCE]
            if sentences:
                pick = rng.choice(sentences)
                rest = unit.text.replace(pick, "") if len(sentences) > 1 and rng.random() < 0.5 else unit.text
                article_pairs.append((pick, f"{doc.title} {unit.label} {rest}"))
            if unit.heading or rng.random() < 0.3:
                article_pairs.append((f"{doc.law_key} {unit.heading}".strip(), unit.text))
    case_pairs = _case_pairs(docs, edges, units_by_id)
    rng.shuffle(article_pairs)
    budget = max(0, max_pairs - len(case_pairs) * CASE_PAIR_REPEAT)
    pairs = article_pairs[:budget] + case_pairs * CASE_PAIR_REPEAT
    rng.shuffle(pairs)
    return [(a, p) for a, p in pairs if a.strip() and p.strip()]


def _case_pairs(docs: list[Document], edges: list[dict], units_by_id: dict) -> list[tuple[str, str]]:
    cited: dict[str, list[str]] = {}
    for edge in edges:
        target = edge.get("to_current_unit") or edge.get("to_unit")
        if target:
            cited.setdefault(edge["from_doc"], []).append(target)
    pairs = []
    for doc in docs:
        if doc.law_key or doc.stub or is_test_case(doc.doc_id):
            continue
        facts, holding = doc.unit("facts"), doc.unit("holding")
        if facts and holding:
            pairs.append((facts.text, holding.text))
        if holding and doc.keywords:
            pairs.append((" ".join(doc.keywords), holding.text))
        for target in dict.fromkeys(cited.get(doc.doc_id, [])):
            if target not in units_by_id:
                continue
            article = unit_text(*units_by_id[target])
            if facts:
                pairs.append((facts.text, article))
            if holding:
                pairs.append((holding.text, article))
    return pairs
