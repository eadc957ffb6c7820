"""Training pairs mined from the corpus alone (no hub, no benchmark queries).

Kinds of (anchor, positive), as token lists:
  * inverse cloze: a sentence of an article ↔ the article with that sentence's tokens
    removed (half the time), so the model learns what a provision is about rather than
    to spot copied text;
  * law title + chapter heading ↔ article;
  * for training-split cases only (corpus/split.py): facts ↔ each article in its
    相关规定, facts ↔ holding, holding ↔ cited article, keywords ↔ holding;
  * for every judgment (up to MAX_JUDGMENT_PAIRS): facts ↔ the court's reasoning (本院认为). Not split: no benchmark is
    mined from judgments (LeCaRD's labels and queries never reach the trainer), and the
    articles a judgment applies are mostly general ones (自首, 罚金) that would teach noise.

Units arrive already tokenized by the build (`unit_tokens`); only the short anchors
(sentences, headings) are tokenized here.
"""
from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Callable

from corpus.model import Document
from corpus.split import is_test_case

_SENTENCE_RE = re.compile(r"[^。；;！？\n]+[。；;！？]?")
MIN_SENTENCE = 8
CASE_PAIR_REPEAT = 3   # case pairs are few and closest to real queries: seen three times
# judgments' facts ↔ reasoning pairs, drawn evenly beyond this many: a million judgments would hold a
# million pairs and, three times over, crowd every article pair out of the trainer's budget
MAX_JUDGMENT_PAIRS = 10_000

Pair = tuple[list[str], list[str]]


def _without(tokens: list[str], removed: list[str]) -> list[str]:
    left = Counter(removed)
    out = []
    for token in tokens:
        if left[token] > 0:
            left[token] -= 1
        else:
            out.append(token)
    return out


def mine_pairs(docs: Iterable[Document], edges: Iterable[dict], unit_tokens: Mapping[str, list[str]],
               tokenize: Callable[[str], list[str]], max_pairs: int = 100_000, seed: int = 13) -> list[Pair]:
    rng = random.Random(seed)
    # Draw the article pairs as (anchor text, unit id, cloze?) first and tokenize only the
    # anchors that make the cut: most of the corpus's 150k articles do not.
    drafts: list[tuple[str, str, bool]] = []
    for doc in docs:
        if doc.validity == "superseded" or not doc.law_key:
            continue
        for unit in doc.units:
            sentences = [s for s in _SENTENCE_RE.findall(unit.text) if len(s) >= MIN_SENTENCE]
            if sentences:
                drafts.append((rng.choice(sentences), unit.unit_id, len(sentences) > 1 and rng.random() < 0.5))
            if unit.heading:
                drafts.append((f"{doc.law_key} {unit.heading}", unit.unit_id, False))
    case_pairs = _case_pairs(docs, edges, unit_tokens, tokenize, seed)
    rng.shuffle(drafts)
    budget = max(0, max_pairs - len(case_pairs) * CASE_PAIR_REPEAT)
    anchors: dict[str, list[str]] = {}
    article_pairs: list[Pair] = []
    for text, unit_id, cloze in drafts[:budget]:
        anchor = anchors.get(text) or anchors.setdefault(text, tokenize(text))
        body = unit_tokens[unit_id]
        article_pairs.append((anchor, _without(body, anchor) if cloze else body))
    pairs = article_pairs + case_pairs * CASE_PAIR_REPEAT
    rng.shuffle(pairs)
    return [(a, p) for a, p in pairs if a and p]


def _case_pairs(docs: Iterable[Document], edges: Iterable[dict], unit_tokens: Mapping[str, list[str]],
                tokenize: Callable[[str], list[str]], seed: int) -> list[Pair]:
    cases: list[Document] = []
    judgments: list[tuple[str, str]] = []   # (facts, reasoning) unit ids
    draw, seen = random.Random(seed), 0
    for doc in docs:
        if doc.doc_type == "judgment":   # its facts ↔ the court's reasoning on them (charges, circumstances)
            facts, reasoning = doc.unit("facts"), doc.unit("reasoning")
            if facts and reasoning:
                _keep_some(judgments, (facts.unit_id, reasoning.unit_id), seen, MAX_JUDGMENT_PAIRS, draw)
                seen += 1
        elif not (doc.law_key or doc.stub or is_test_case(doc.doc_id)):
            cases.append(doc)
    wanted = {doc.doc_id for doc in cases}
    cited: dict[str, list[str]] = {}
    for edge in edges:
        target = edge.get("to_current_unit") or edge.get("to_unit")
        if target and edge["from_doc"] in wanted:
            cited.setdefault(edge["from_doc"], []).append(target)
    pairs: list[Pair] = []
    for doc in cases:
        facts, holding = doc.unit("facts"), doc.unit("holding")
        facts_tokens = unit_tokens[facts.unit_id] if facts else []
        holding_tokens = unit_tokens[holding.unit_id] if holding else []
        if facts and holding:
            pairs.append((facts_tokens, holding_tokens))
        if holding and doc.keywords:
            pairs.append((tokenize(" ".join(doc.keywords)), holding_tokens))
        for target in dict.fromkeys(cited.get(doc.doc_id, [])):
            article = unit_tokens.get(target)
            if article is None:
                continue
            if facts:
                pairs.append((facts_tokens, article))
            if holding:
                pairs.append((holding_tokens, article))
    return pairs + [(unit_tokens[facts], unit_tokens[reasoning]) for facts, reasoning in judgments]


def _keep_some(kept: list, item, seen: int, limit: int, draw: random.Random) -> None:
    """A uniform draw of `limit` items from a stream, `seen` items into it (reservoir sampling):
    all of them, in order, while there are no more than `limit`."""
    if seen < limit:
        kept.append(item)
    else:
        j = draw.randrange(seen + 1)
        if j < limit:
            kept[j] = item
