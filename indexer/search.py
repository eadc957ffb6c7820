"""The one search entry point: rank units for a query over an opened index (indexer/index.py),
through whatever retrievers it names (indexer/retriever.py), rendered by indexer/present.py.

Order of a result list: units the query cites outright (矿产资源法第七十四条, 检例第28号),
then the 刑法 articles of charges it names (罪名：盗窃), then the lexical and semantic hits fused
(indexer/fusion.py); hits of one case, or of one article across versions, collapse into one result.
"""
from __future__ import annotations

import re
import time
from functools import lru_cache
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from corpus.citations import Citation, parse_citation, parse_citations
from corpus.errors import BadInput
from corpus.judgments import DOC_TYPE as JUDGMENT
from corpus.model import DOC_TYPES, Document
from corpus.resolve import Resolution, article_suffix
from indexer.filters import Filters
from indexer.fusion import FusionConfig, keep_agreed_head, minmax, normalised, normalised_by_top, rrf
from indexer.hits import Hit
from indexer.index import Index
from indexer.layout import current_build
from indexer.learned import Learned
from indexer.rerank import RERANK_DEPTH
from indexer.ordering import SORTS, facets, sort_rows
from indexer.present import Presenter, Ranked
from indexer.retriever import Query, Selection, retrieve
from indexer.similar import SimilarConfig, is_judgment_type, score_judgments
from indexer.terms import charges_in
from indexer.termstats import LONG_QUERY_TERMS, SINGLE_CHAR_WEIGHT

MAX_QUERY_CHARS = 10_000
DEFAULT_DEPTH = 200          # candidates each retriever contributes before fusion
SHORT_QUERY_CHARS = 60       # citations inside a query this short are pinned first
QUESTION_CHARS = 50          # up to this a query is a question or keywords; beyond, case facts
SYSTEMS = ("bm25", "dense", "questions", "evidence")   # questions: indexer/learned.py; evidence: for judgments


@dataclass(frozen=True)
class RelevanceFloor:
    """What a unit must reach to be shown for a short query (a question, a few keywords), unless
    it was cited or named by its charge: a share of the query's weighted idf
    (TermStats.coverage), or a dense score. A long facts text is matched in small
    parts by every relevant unit and its deep hits come from the embedding alone, so it has no
    per-unit floor (a 1% top-10 floor for it cost 6 points of recall@100 on the SPP benchmark).
    Measured with `python -m eval.floor`: the highest floor that keeps 99% of the gold units the
    hybrid ranks in its top 10 on the dev queries (README, "How search works", step 7)."""
    lexical: float = 0.125
    dense: float = 0.8

    def keeps(self, query_chars: int, coverage: float, dense: float) -> bool:
        return query_chars > QUESTION_CHARS or coverage >= self.lexical or dense >= self.dense


RELEVANCE_FLOOR = RelevanceFloor()


_LAY_QUESTION = re.compile(r"[？?吗呢咋我俺咱]|怎么")


def asked_in_lay_words(query: str) -> bool:
    """A question as a layperson asks it (？, 吗, 我, 怎么办), not a statement in legal words (a
    procurator's keywords, a report's 争议焦点). After the reranker such a question keeps its order:
    what BM25 and dense agree on there is mostly incidental words (STARD 5-fold MRR@10 .462 → .506),
    while legal wording keeps the agreed head (矿产资源法第三十九条 for its own words; `leian cite`)."""
    return bool(_LAY_QUESTION.search(query))


def single_char_weight(query: str) -> float:
    """In a question a single character is mostly a surname or a piece of a word (钱 of 钱某); in
    case facts the measurements were split (README), so facts keep plain BM25 weights."""
    return SINGLE_CHAR_WEIGHT if len(query) <= QUESTION_CHARS else 1.0


@lru_cache(maxsize=256)
def _whole(query: str) -> Citation | None:
    return parse_citation(query)


@lru_cache(maxsize=256)
def cited(query: str) -> tuple[Citation, ...]:
    """The citations a query is taken to make: all of it, or those in a short query. Cached: pinning,
    the lookup shortcut and the notices of one search all ask."""
    whole = _whole(query)
    return (whole,) if whole else (tuple(parse_citations(query)) if len(query) <= SHORT_QUERY_CHARS else ())


def highlight_terms(tokens: list[str]) -> list[str]:
    """The query words worth marking in a passage: single characters and bare numbers light up
    everywhere (检, 3), so they are marked only when the query has nothing longer."""
    words = [t for t in tokens if len(t) > 1 and not t.isdigit()]
    return words or tokens


def whole_citation(query: str) -> bool:
    return _whole(query) is not None


class BadQuery(BadInput):
    """A query that cannot be run; the message says why."""

    code = "bad_query"


def validate_query(query: str) -> str:
    if query is None or not str(query).strip():
        raise BadQuery("empty query: type a few words, a citation (矿产资源法第七十四条) or case facts",
                       code="empty_query")
    if len(query) > MAX_QUERY_CHARS:
        raise BadQuery(f"query is {len(query)} characters; the limit is {MAX_QUERY_CHARS}",
                       code="too_long", http_status=413)
    return str(query).strip()


@dataclass
class SearchResult:
    query: str
    took_ms: float
    results: list[Hit]
    notes: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)   # for the procurator, in Chinese: 检例第999号：本库未收录
    facets: dict[str, dict[str, int]] = field(default_factory=dict)   # counts over all results, not one page

    def to_json(self) -> dict:
        return {"query": self.query, "took_ms": round(self.took_ms, 2),
                "results": [h.to_json() for h in self.results], "notes": self.notes, "notices": self.notices,
                "facets": self.facets}


class Searcher:
    """Ranking over an opened index, and the facade api/, eval/ and prep/ use: the index's
    tables and lookups are read through it, never through a raw connection."""

    def __init__(self, build: Path):
        self.index = Index(build)
        self.build, self.manifest = build, self.index.manifest
        self.table, self.docs, self.resolver = self.index.table, self.index.docs, self.index.resolver
        self.corpus, self.tokenizer, self.judgments = self.index.corpus, self.index.tokenizer, self.index.judgments
        self.lexical, self.semantic, self.encoder = self.index.lexical, self.index.semantic, self.index.encoder
        self.presenter = Presenter(self.index)
        self.learned = Learned.load(build, self)   # None for an index built without question pairs
        self.similar = SimilarConfig()
        self._tokens = lru_cache(maxsize=4)(lambda query: tuple(self.tokenizer.tokens(query)))

    def tokens(self, query: str) -> list[str]:
        """The query's tokens, cached for the few latest queries: one search's ranking, embedding and
        highlights all need them, and jieba over 2,000 characters costs ~15 ms each time."""
        return list(self._tokens(query))

    @classmethod
    def open(cls, index_root: Path) -> "Searcher":
        return cls(current_build(index_root))

    def query(self, text: str, semantic: bool = True) -> Query:
        """The query as the retrievers take it; its vector is computed only if a retriever asks."""
        tokens = self.tokens(text)
        encode = None
        if semantic and self.semantic is not None:   # a presegmented model reads the tokens we have
            encoder = self.encoder
            encode = ((lambda: encoder.encode_tokens([tokens])[0]) if encoder.presegmented
                      else (lambda: encoder.encode([text])[0]))
        return Query(text, tokens, single_char_weight(text), LONG_QUERY_TERMS, encode)

    # -- ranking ----------------------------------------------------------------------------
    def rank(self, query: str, filters: Filters | None = None, systems: tuple[str, ...] = SYSTEMS,
             depth: int = DEFAULT_DEPTH, fusion: FusionConfig = FusionConfig(), pin: bool = True,
             floor: RelevanceFloor | None = RELEVANCE_FLOOR) -> list[Ranked]:
        """Collapsed ranking (one entry per case / per article) without rendering; eval uses this.
        Units below the relevance floor are left out: an empty list means nothing in the corpus answers."""
        query = validate_query(query)
        filters = (filters or Filters()).validate()
        selection = Selection.of(filters, self.table)
        if selection.empty:
            return []
        pinned = self._pinned(query, filters) if pin else []
        if pinned:   # a cited unit obeys every filter but validity: a cited old version is still shown
            pin_mask = self.table.mask(replace(filters, all_versions=True, validity=None))
            pinned = [p for p in pinned if pin_mask is None or pin_mask[p[0]]]
        if pin and whole_citation(query):   # a lookup: the cited unit(s), never fillers around them
            return self._collapse(pinned, {})
        rankings: dict[str, list[int]] = {}
        scores: dict[str, dict[int, float]] = {}
        q = self.query(query, semantic=fusion.semantic in systems)
        if floor is not None and not self.lexical.stats.answerable(q.tokens):
            return self._collapse(pinned, {})
        judged: list[tuple[int, float]] = []
        if len(query) > QUESTION_CHARS and self.judgments.any and is_judgment_type(filters.doc_types):
            # case facts against judgments: case-to-case search (indexer/similar.py); the rest as usual
            judged, evidence = self._similar(q, filters, systems)
            scores.update(evidence)
            others = tuple(t for t in (filters.doc_types or DOC_TYPES) if t != JUDGMENT)
            selection = Selection.of(replace(filters, doc_types=others), self.table) if others else None
        fused: list[tuple[int, float]] = []
        if selection is not None and not selection.empty:
            fused = self._fused(q, selection, systems, depth, fusion, floor, pinned, rankings, scores)
        if judged:   # two lists, each scaled by its best: a mixed list interleaves them
            ordered = sorted(normalised_by_top(fused) + normalised_by_top(judged), key=lambda kv: -kv[1])
        else:
            ordered = fused
        return self._collapse(pinned + [(row, score, []) for row, score in ordered], scores)

    def _fused(self, q: Query, selection: Selection, systems: tuple[str, ...], depth: int, fusion: FusionConfig,
               floor: RelevanceFloor | None, pinned: list[tuple[int, float, list[str]]],
               rankings: dict[str, list[int]], scores: dict[str, dict[int, float]]) -> list[tuple[int, float]]:
        """The lexical and semantic retrievers over the selection, fused, above the relevance floor."""
        lexical, semantic = fusion.lexical, fusion.semantic
        reranks = "questions" in systems and self.learned is not None and self.learned.reranks(q)
        if reranks:   # the reranker, not the fusion, picks what reaches the top 100: it sees deeper
            depth = max(depth, RERANK_DEPTH)
        if lexical in systems:   # scores may already hold the judgments' (other rows): added to, not replaced
            rows, vals = retrieve(self.lexical, q, depth, selection, self.index.prior)
            rankings[lexical] = rows.tolist()
            scores.setdefault(lexical, {}).update(zip(rows.tolist(), vals.tolist()))
        if q.encode is not None:   # a question searches with its own word vectors (indexer/question_vectors.py)
            dense_query = self.learned.dense_query(q) if "questions" in systems and self.learned is not None else q
            rows, vals = retrieve(self.semantic, dense_query, depth, selection, self.index.prior)
            rankings[semantic] = rows.tolist()
            scores.setdefault(semantic, {}).update(zip(rows.tolist(), vals.tolist()))
        if "questions" in systems and self.learned is not None:
            self.learned.retrieve(q, selection, rankings, scores)
        config = replace(fusion, depth=depth)
        if not rankings:
            return []
        if len(rankings) == 1:   # one retriever: its own order, no fusion weights
            name, rows = next(iter(rankings.items()))
            fused = normalised([(row, scores[name][row]) for row in rows])
        elif fusion.method == "minmax":
            fused = minmax({name: [(row, scores[name][row]) for row in rows] for name, rows in rankings.items()},
                           config, self.index.is_case)
        else:
            fused = rrf(rankings, config, self.index.is_case)
        if "questions" in rankings:   # before the head rule: what words and meaning agree on stays first
            fused = self.learned.rerank(q, fused, scores)
        if lexical in rankings and semantic in rankings and not (reranks and asked_in_lay_words(q.text)):
            placed = frozenset(self.table.groups[row] for row, _, _ in pinned)
            fused = keep_agreed_head(fused, rankings[lexical], rankings[semantic], self.table.groups,
                                     config.keep_head, placed)
        if floor is not None and fused and len(q.text) <= QUESTION_CHARS:   # facts have no per-unit floor
            # the floor needs the lexical coverage even for dense alone; what earlier questions cite is
            # evidence enough
            rows = np.asarray([row for row, _ in fused], dtype=np.int64)
            coverage = self.lexical.coverage(q, rows)
            dense, asked = scores.get(semantic, {}), scores.get("questions", {})
            fused = [(row, score) for (row, score), share in zip(fused, coverage.tolist())
                     if row in asked or floor.keeps(len(q.text), share, dense.get(row, 0.0))]
        return fused

    def _similar(self, q: Query, filters: Filters, systems: tuple[str, ...]
                 ) -> tuple[list[tuple[int, float]], dict[str, dict[int, float]]]:
        """Judgments ranked against case facts: candidates are the best facts units by BM25 over the
        whole text and by the embedding, scored by indexer/similar.py. Returns (facts unit row,
        score) best first and each feature per row (bm25, dense, charges, articles)."""
        facts = Selection.of(replace(filters, doc_types=(JUDGMENT,), facts_only=True), self.table)
        if facts.empty:
            return [], {}
        config = self.similar
        if "evidence" not in systems:
            config = replace(config, weights={k: v for k, v in config.weights.items() if k in ("lexical", "dense")})
        whole = q.with_terms(1.0, None)
        candidates = np.empty(0, dtype=np.int64)
        use_lexical = "bm25" in systems
        if use_lexical:
            candidates = self.lexical.search(whole, config.depth, facts)[0]
        if q.encode is not None:   # the embedding's own nearest compete too
            rows = self.semantic.search(q, config.depth // 2 if use_lexical else config.depth, facts)[0]
            candidates = np.union1d(candidates, rows)
        if not len(candidates):
            return [], {}
        dense = self.semantic.vectors(candidates) @ q.vector if q.encode is not None else None
        scored = score_judgments(q.text, self.table.a["doc_row"][candidates],
                                 self.lexical.scores_of(whole, candidates) if use_lexical else None, dense,
                                 self.table, self.judgments, config)
        facts_rows = self.judgments.facts_row[scored.doc_rows].tolist()
        names = {"lexical": "bm25", "dense": "dense", "charges": "charges", "articles": "articles"}
        evidence = {names[k]: dict(zip(facts_rows, v.tolist())) for k, v in scored.parts.items()}
        return list(zip(facts_rows, scored.scores.tolist())), evidence

    def _pinned(self, query: str, filters: Filters) -> list[tuple[int, float, list[str]]]:
        rows: list[tuple[int, float, list[str]]] = []
        for c in cited(query):
            res = self.resolver.resolve(c)
            # the version the query names comes first (marked superseded), the current article beside it
            for unit_id in dict.fromkeys(u for u in (res.unit_id, res.current_unit_id, *self._members(res)) if u):
                if unit_id in self.table.row_of:
                    rows.append((self.table.row_of[unit_id], 0.0, ["citation"]))
        for _, number in charges_in(query, self.index.charges):
            versions = self.resolver.versions("刑法")
            unit_id = self.resolver.unit(versions[-1].doc_id, article_suffix(number)) if versions else ""
            if unit_id:
                rows.append((self.table.row_of[unit_id], 0.0, ["charge"]))
        return rows

    def _members(self, res: Resolution) -> list[str]:
        """A batch citation (第八批指导性案例) stands for its cases' holdings."""
        return [self.resolver.unit(doc_id, "holding") or "" for doc_id in res.members]

    def _collapse(self, ordered: list[tuple[int, float, list[str]]], scores: dict[str, dict[int, float]]) -> list[Ranked]:
        out: list[Ranked] = []
        by_group: dict[str, Ranked] = {}
        groups, is_judgment, tables = self.table.groups, self.index.is_judgment, list(scores.items())
        for row, fused, matched in ordered:
            group = groups[row]
            entry = by_group.get(group)
            if entry is None:
                entry = Ranked(row, {"fused": fused}, list(matched))
                by_group[group] = entry
                out.append(entry)
            elif is_judgment[row] and self.table.doc_id(row) not in {
                    self.table.doc_id(r) for r in (entry.row, *entry.members)}:
                entry.members.append(row)   # another judgment of the case: linked, not listed apart
            for name, table in tables:
                value = table.get(row)
                if value is not None and name not in entry.scores:
                    entry.scores[name] = value
                    entry.matched_by.append(name)
        return out

    # -- results ----------------------------------------------------------------------------
    def search(self, query: str, k: int = 10, offset: int = 0, filters: Filters | None = None,
               systems: tuple[str, ...] = SYSTEMS, floor: RelevanceFloor | None = RELEVANCE_FLOOR,
               sort: str = "relevance") -> SearchResult:
        started = time.perf_counter()
        if not 1 <= k <= 100:
            raise BadQuery(f"k must be between 1 and 100, got {k}")
        if offset < 0:
            raise BadQuery(f"offset must be 0 or more, got {offset}")
        if sort not in SORTS:
            raise BadQuery(f"unknown sort {sort!r}; allowed: {', '.join(SORTS)}")
        ranked = self.rank(query, filters, systems, depth=max(DEFAULT_DEPTH, offset + k), floor=floor)
        by_row = {r.row: r for r in ranked}
        pinned = sum(1 for r in ranked if {"citation", "charge"} & set(r.matched_by))
        rows = sort_rows([r.row for r in ranked], pinned, sort, self.table,
                         lambda row: self.docs[self.table.doc_id(row)].version_date)
        terms = highlight_terms(self.tokens(query)[:200])
        hits = [self.presenter.hit(by_row[row], terms, query) for row in rows[offset:offset + k]]
        notes = [] if self.semantic is not None or "dense" not in systems else ["dense retrieval is off in this index"]
        return SearchResult(query.strip(), (time.perf_counter() - started) * 1000, hits, notes,
                            self.notices(query, bool(ranked), filters), facets(rows, self.table))

    def notices(self, query: str, found: bool, filters: Filters | None) -> list[str]:
        """Say plainly what the corpus does not hold: a cited case or article it lacks, a named
        version it lacks, or a query nothing in it answers. Never leave an empty list unexplained."""
        filters = (filters or Filters()).validate()
        pin_mask = self.table.mask(replace(filters, all_versions=True, validity=None))
        out = []
        for c in cited(query):
            res = self.resolver.resolve(c)
            if res.status == "stub":
                out.append(f"{c.render()}：本库仅有目录信息，未收录全文")
            elif res.status == "unknown_article":
                out.append(f"{c.render()}：本库所收版本没有该条，本库未收录")
            elif res.status == "unknown_law" and (series := self.resolver.series(c.law)):
                out.append(f"{c.render()}：请注明是哪一件（本库收有{'、'.join(series)}）")
            elif not res.found:
                out.append(f"{c.render()}：本库未收录")
            elif pin_mask is not None and res.unit_id in self.table.row_of and not pin_mask[self.table.row_of[res.unit_id]]:
                out.append(f"{c.render()}：本库已收录，但不符合当前筛选条件")
            elif c.version_year and (doc := self.docs.get(res.doc_id)) and doc.year and doc.year != c.version_year:
                label = f"（{doc.version_label}）" if doc.version_label else f"（{doc.version_date}）"
                out.append(f"所引{c.version_year}年版本本库未收录，显示的是{label}版本，条文可能不同，请核对")
        if not found and not out:
            narrowed = self.table.mask(filters) is not None and not np.array_equal(
                self.table.mask(filters), self.table.mask(Filters()))
            out.append("未找到与查询相关的内容：本库未收录" + ("，或被当前筛选条件排除" if narrowed else "")
                       + "。可换用法律用语、更具体的关键词，或直接输入法条、案例编号。")
        return out


    # -- lookups (indexer/present.py renders) --------------------------------------------------
    def hit_for(self, unit_id: str, matched_by: str) -> Hit | None:
        return self.presenter.hit_for(unit_id, matched_by)

    def current_article(self, doc: Document, unit_id: str) -> dict | None:
        return self.presenter.current_article(doc, unit_id)

    def document(self, doc_id: str) -> dict | None:
        return self.presenter.document(doc_id)

    def unit(self, unit_id: str) -> dict | None:
        return self.presenter.unit(unit_id)

    def resolve(self, ref: str) -> Resolution | None:
        return self.resolver.resolve_text(ref)
