"""The one search entry point: load a built index, answer queries with cited holdings.

Order of a result list: units the query cites outright (矿产资源法第七十四条, 检例第28号),
then the 刑法 articles of charges it names (罪名：盗窃), then BM25 and dense hits fused
(indexer/fusion.py); hits of one case, or of one article across versions, collapse into one result.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from functools import lru_cache
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from corpus.citations import Citation, parse_citation, parse_citations, render_key
from corpus.errors import BadInput
from corpus.judgments import COURT_LEVEL_NAMES, DOC_TYPE as JUDGMENT
from corpus.model import CASE_TYPES, DOC_TYPES, Document
from corpus.resolve import Resolution, Resolver, article_suffix
from corpus.standing import holding_label
from corpus.store import LIST_FIELDS
from indexer.dense import DenseIndex, load_encoder
from indexer.filters import Filters, UnitTable
from indexer.fusion import FusionConfig, keep_agreed_head, minmax, normalised, normalised_by_top, rrf
from indexer.hits import SAME_ARTICLE, Hit, best_window, bigram_overlap, citation_string
from indexer.layout import IndexUnavailable, current_build, read_manifest
from indexer.learned import Learned
from indexer.lexical import SINGLE_CHAR_WEIGHT, LexicalIndex, top_k
from indexer.ordering import SORTS, facets, sort_rows
from indexer.prior import level_prior
from indexer.similar import JudgmentTable, SimilarConfig, is_judgment_type, score_judgments, shared_evidence
from indexer.terms import charges_in
from indexer.tokenize import Tokenizer

MAX_QUERY_CHARS = 10_000
DEFAULT_DEPTH = 200          # candidates each retriever contributes before fusion
SHORT_QUERY_CHARS = 60       # citations inside a query this short are pinned first
QUESTION_CHARS = 50          # up to this a query is a question or keywords; beyond, case facts
SYSTEMS = ("bm25", "dense", "questions", "evidence")   # questions: indexer/learned.py; evidence: for judgments


@dataclass(frozen=True)
class RelevanceFloor:
    """What a unit must reach to be shown for a short query (a question, a few keywords), unless
    it was cited or named by its charge: a share of the query's weighted idf
    (LexicalIndex.scores_and_coverage), or a dense score. A long facts text is matched in small
    parts by every relevant unit and its deep hits come from the embedding alone, so it has no
    per-unit floor (a 1% top-10 floor for it cost 6 points of recall@100 on the SPP benchmark).
    Measured with `python -m eval.floor`: the highest floor that keeps 99% of the gold units the
    hybrid ranks in its top 10 on the dev queries (README, "How search works", step 7)."""
    lexical: float = 0.125
    dense: float = 0.8

    def keeps(self, query_chars: int, coverage: float, dense: float) -> bool:
        return query_chars > QUESTION_CHARS or coverage >= self.lexical or dense >= self.dense


RELEVANCE_FLOOR = RelevanceFloor()


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
class Ranked:
    row: int
    scores: dict[str, float]
    matched_by: list[str]
    members: list[int] = field(default_factory=list)   # a case's other judgments found, best first


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
    def __init__(self, build: Path):
        self.build = build
        self.manifest = read_manifest(build)
        try:
            self.table = UnitTable.load(build)
            self.lexical = LexicalIndex.load(build / "lexical")
            self.tokenizer = Tokenizer(build / "userdict.txt")
            self.charges: dict[str, int] = json.loads((build / "charges.json").read_text(encoding="utf-8"))
            self.judgments = JudgmentTable.load(build)
            self.dense = self.encoder = None
            if self.manifest.get("dense"):
                self.dense = DenseIndex.load(build / "dense.faiss")
                self.encoder = load_encoder(build / "model", self.tokenizer)
        except (OSError, ValueError, KeyError, RuntimeError) as exc:
            raise IndexUnavailable(f"index at {build} cannot be loaded ({type(exc).__name__}: {exc}); "
                                   "run `leian build` again") from None
        self.prior = level_prior(self.table.a["level"])
        self.learned = Learned.load(build, self)   # None for an index built without question pairs
        self.is_case = np.isin(self.table.a["doc_type"], [DOC_TYPES.index(t) for t in CASE_TYPES])
        self.is_judgment = self.table.a["doc_type"] == DOC_TYPES.index(JUDGMENT)
        self.is_judgment_facts = np.zeros(len(self.table), dtype=bool)
        self.is_judgment_facts[self.judgments.facts_row[self.judgments.facts_row >= 0]] = True
        self.similar = SimilarConfig()
        self._local = threading.local()
        self._tokens = lru_cache(maxsize=4)(lambda query: tuple(self.tokenizer.tokens(query)))
        self.docs = self._load_documents()
        units_of: dict[str, list[str]] = {}
        for row, unit_id in enumerate(self.table.unit_ids):
            units_of.setdefault(self.table.doc_id(row), []).append(unit_id)
        self.resolver = Resolver(list(self.docs.values()), units_of)
        by_case: dict[str, list[str]] = {}
        for doc in self.docs.values():
            if doc.doc_type == JUDGMENT:
                by_case.setdefault(doc.case_id, []).append(doc.doc_id)
        self.case_judgments = {case: ids for case, ids in by_case.items() if len(ids) > 1}
        if len(self.table) != self.lexical.size or (self.dense and self.dense.size != len(self.table)):
            raise IndexUnavailable(f"index at {build} is inconsistent (unit counts differ): run `leian build` again")

    def tokens(self, query: str) -> list[str]:
        """The query's tokens, cached for the few latest queries: one search's ranking, embedding and
        highlights all need them, and jieba over 2,000 characters costs ~15 ms each time."""
        return list(self._tokens(query))

    @classmethod
    def open(cls, index_root: Path) -> "Searcher":
        return cls(current_build(index_root))

    # -- storage ----------------------------------------------------------------------------
    @property
    def db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(f"file:{self.build / 'corpus.db'}?mode=ro", uri=True, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            self._local.conn = conn
        return conn

    def _load_documents(self) -> dict[str, Document]:
        conn = sqlite3.connect(f"file:{self.build / 'corpus.db'}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        try:
            docs = {}
            for row in conn.execute("select * from documents"):
                data = dict(row)
                for name in LIST_FIELDS:
                    data[name] = json.loads(data.get(name) or "[]")
                data["stub"] = bool(data["stub"])
                docs[data["doc_id"]] = Document(**data)
            return docs
        except sqlite3.DatabaseError as exc:
            raise IndexUnavailable(f"corpus.db in {self.build} is unreadable ({exc}): run `leian build` again") from None
        finally:
            conn.close()

    def unit_row(self, unit_id: str) -> dict | None:
        row = self.db.execute("select * from units where unit_id = ?", (unit_id,)).fetchone()
        return dict(row) if row else None

    def cited_by(self, unit_id: str) -> list[dict]:
        rows = self.db.execute("select distinct from_doc from edges where to_unit = ? or to_current_unit = ?",
                               (unit_id, unit_id)).fetchall()
        out = []
        for (doc_id,) in rows:
            doc = self.docs.get(doc_id)
            if doc:
                out.append({"doc_id": doc_id, "case_no": doc.case_no, "title": doc.title})
        return sorted(out, key=lambda c: (c["case_no"] == "", c["case_no"], c["title"]))

    # -- ranking ----------------------------------------------------------------------------
    def rank(self, query: str, filters: Filters | None = None, systems: tuple[str, ...] = SYSTEMS,
             depth: int = DEFAULT_DEPTH, fusion: FusionConfig = FusionConfig(), pin: bool = True,
             floor: RelevanceFloor | None = RELEVANCE_FLOOR) -> list[Ranked]:
        """Collapsed ranking (one entry per case / per article) without rendering; eval uses this.
        Units below the relevance floor are left out: an empty list means nothing in the corpus answers."""
        query = validate_query(query)
        filters = (filters or Filters()).validate()
        mask = self.table.mask(filters)
        if mask is not None and not mask.any():
            return []
        pinned = self._pinned(query, filters) if pin else []
        if pinned:   # a cited unit obeys every filter but validity: a cited old version is still shown
            pin_mask = self.table.mask(replace(filters, all_versions=True, validity=None))
            pinned = [p for p in pinned if pin_mask is None or pin_mask[p[0]]]
        if pin and whole_citation(query):   # a lookup: the cited unit(s), never fillers around them
            return self._collapse(pinned, {})
        rankings: dict[str, list[int]] = {}
        scores: dict[str, dict[int, float]] = {}
        tokens = self.tokens(query)
        if floor is not None and not self.lexical.answerable(tokens):
            return self._collapse(pinned, {})
        query_vector = None
        if "dense" in systems and self.dense is not None:   # a presegmented model reads the tokens we have
            query_vector = (self.encoder.encode_tokens([tokens]) if self.encoder.presegmented
                            else self.encoder.encode([query]))[0]
        judged: list[tuple[int, float]] = []
        if len(query) > QUESTION_CHARS and self.judgments.any and is_judgment_type(filters.doc_types):
            # case facts against judgments: case-to-case search (indexer/similar.py); the rest as usual
            judged, evidence = self._similar(query, tokens, query_vector, mask, systems)
            scores.update(evidence)
            mask = ~self.is_judgment if mask is None else mask & ~self.is_judgment
        fused: list[tuple[int, float]] = []
        if mask is None or mask.any():
            fused = self._fused(query, tokens, query_vector, mask, systems, depth, fusion, floor, pinned,
                                rankings, scores)
        if judged:   # two lists, each scaled by its best: a mixed list interleaves them
            ordered = sorted(normalised_by_top(fused) + normalised_by_top(judged), key=lambda kv: -kv[1])
        else:
            ordered = fused
        return self._collapse(pinned + [(row, score, []) for row, score in ordered], scores)

    def _fused(self, query: str, tokens: list[str], query_vector: np.ndarray | None, mask: np.ndarray | None,
               systems: tuple[str, ...], depth: int, fusion: FusionConfig, floor: RelevanceFloor | None,
               pinned: list[tuple[int, float, list[str]]], rankings: dict[str, list[int]],
               scores: dict[str, dict[int, float]]) -> list[tuple[int, float]]:
        """BM25 and dense over the units the mask keeps, fused, above the relevance floor."""
        if "bm25" in systems or floor is not None:   # the floor needs BM25's coverage even for dense alone
            rows, vals, coverage = self.lexical.search(tokens, depth, mask, self.prior, single_char_weight(query))
        if "bm25" in systems:   # scores may already hold the judgments' (other rows): added to, not replaced
            rankings["bm25"] = rows.tolist()
            scores.setdefault("bm25", {}).update(zip(rows.tolist(), vals.tolist()))
        if query_vector is not None:
            rows, vals = self.dense.search(query_vector, depth, mask, self.prior)
            rankings["dense"] = rows.tolist()
            scores.setdefault("dense", {}).update(zip(rows.tolist(), vals.tolist()))
        if "questions" in systems and self.learned is not None:
            self.learned.retrieve(query, tokens, query_vector, mask, rankings, scores)
        config = replace(fusion, depth=depth)
        if not rankings:
            return []
        if len(rankings) == 1:   # one retriever: its own order, no fusion weights
            name, rows = next(iter(rankings.items()))
            fused = normalised([(row, scores[name][row]) for row in rows])
        elif fusion.method == "minmax":
            fused = minmax({name: [(row, scores[name][row]) for row in rows] for name, rows in rankings.items()},
                           config, self.is_case)
        else:
            fused = rrf(rankings, config, self.is_case)
        if "bm25" in rankings and "dense" in rankings:
            placed = frozenset(self.table.groups[row] for row, _, _ in pinned)
            fused = keep_agreed_head(fused, rankings["bm25"], rankings["dense"], self.table.groups,
                                     config.keep_head, placed)
        if "questions" in rankings:
            fused = self.learned.rerank(query, tokens, fused, scores)
        if floor is not None:   # what earlier questions cite is evidence enough
            asked = scores.get("questions", {})
            fused = [(row, score) for row, score in fused if row in asked
                     or floor.keeps(len(query), float(coverage[row]), scores.get("dense", {}).get(row, 0.0))]
        return fused

    def _similar(self, query: str, tokens: list[str], query_vector: np.ndarray | None, mask: np.ndarray | None,
                 systems: tuple[str, ...]) -> tuple[list[tuple[int, float]], dict[str, dict[int, float]]]:
        """Judgments ranked against case facts: candidates are the best facts units by BM25 over the
        whole text and by the embedding, scored by indexer/similar.py. Returns (facts unit row,
        score) best first and each feature per row (bm25, dense, charges, articles)."""
        keep = self.is_judgment_facts if mask is None else self.is_judgment_facts & mask
        config = self.similar
        if "evidence" not in systems:
            config = replace(config, weights={k: v for k, v in config.weights.items() if k in ("lexical", "dense")})
        candidates = np.empty(0, dtype=np.int64)
        lexical = None
        if "bm25" in systems:
            lexical = self.lexical.scores_and_coverage(tokens, 1.0, limit=None)[0]
            candidates = top_k(np.where(keep, lexical, 0.0), config.depth)[0]
        if query_vector is not None:   # the embedding's own nearest compete too
            rows = self.dense.search(query_vector, config.depth // 2 if lexical is not None else config.depth, keep)[0]
            candidates = np.union1d(candidates, rows)
        if not len(candidates):
            return [], {}
        dense = self.dense.vectors(candidates) @ query_vector if query_vector is not None else None
        scored = score_judgments(query, self.table.a["doc_row"][candidates],
                                 lexical[candidates] if lexical is not None else None, dense,
                                 self.table, self.judgments, config)
        facts = self.judgments.facts_row[scored.doc_rows].tolist()
        names = {"lexical": "bm25", "dense": "dense", "charges": "charges", "articles": "articles"}
        evidence = {names[k]: dict(zip(facts, v.tolist())) for k, v in scored.parts.items()}
        return list(zip(facts, scored.scores.tolist())), evidence

    def _pinned(self, query: str, filters: Filters) -> list[tuple[int, float, list[str]]]:
        rows: list[tuple[int, float, list[str]]] = []
        for c in cited(query):
            res = self.resolver.resolve(c)
            # the version the query names comes first (marked superseded), the current article beside it
            for unit_id in dict.fromkeys(u for u in (res.unit_id, res.current_unit_id, *self._members(res)) if u):
                if unit_id in self.table.row_of:
                    rows.append((self.table.row_of[unit_id], 0.0, ["citation"]))
        for _, number in charges_in(query, self.charges):
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
        for row, fused, matched in ordered:
            group = self.table.groups[row]
            entry = by_group.get(group)
            if entry is None:
                entry = Ranked(row, {"fused": round(fused, 6)}, list(matched))
                by_group[group] = entry
                out.append(entry)
            elif self.is_judgment[row] and self.table.doc_id(row) not in {
                    self.table.doc_id(r) for r in (entry.row, *entry.members)}:
                entry.members.append(row)   # another judgment of the case: linked, not listed apart
            for name, table in scores.items():
                if row in table and name not in entry.scores:
                    entry.scores[name] = round(float(table[row]), 4)
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
        hits = [self._hit(by_row[row], terms, query) for row in rows[offset:offset + k]]
        notes = [] if self.dense is not None or "dense" not in systems else ["dense retrieval is off in this index"]
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

    def _hit(self, ranked: Ranked, terms: list[str], query: str = "") -> Hit:
        unit_id = self.table.unit_ids[ranked.row]
        unit = self.unit_row(unit_id) or {"label": "", "text": "", "kind": ""}
        doc = self.docs[self.table.doc_id(ranked.row)]
        holding = ""
        if doc.doc_type in CASE_TYPES:
            h = self.unit_row(f"{doc.doc_id}#holding")
            holding = h["text"] if h else ""
        passage, spans = best_window(unit["text"], terms)
        is_case = doc.doc_type in CASE_TYPES
        return Hit(citation=citation_string(doc, unit["label"]), title=doc.title, doc_type=doc.doc_type,
                   unit_label=unit["label"], holding=holding, passage=passage, highlights=spans,
                   validity=doc.validity, scores=ranked.scores, doc_id=doc.doc_id, unit_id=unit_id,
                   cited_by=self.cited_by(unit_id) if unit["kind"] == "article" else [],
                   level=doc.level, version_date=doc.version_date, case_no=doc.case_no, url=doc.url,
                   matched_by=ranked.matched_by, holding_label=holding_label(doc.court) if is_case else "",
                   holding_missing=is_case and not holding, standing=doc.standing, standing_basis=doc.standing_basis,
                   current=self.current_article(doc, unit_id), batch=doc.batch,
                   judgment=self.judgment_card(doc, query) if doc.doc_type == JUDGMENT else None)

    def judgment_card(self, doc: Document, query: str = "") -> dict:
        """What a procurator reads about a judgment beside its passage: who decided what, under
        which articles, the case's other judgments, and the circumstances it shares with the facts."""
        applied = [{"citation": self._citation_of(r["to_unit"]) if r["to_unit"] else render_key(r["to_key"]),
                    "unit_id": r["to_unit"] or ""}
                   for r in self.db.execute("select to_unit, to_key from edges where from_doc = ?", (doc.doc_id,))]
        others = [{"doc_id": d, "citation": citation_string(self.docs[d], "")}
                  for d in self.case_judgments.get(doc.case_id, []) if d != doc.doc_id]
        shared = shared_evidence(query, self.table.doc_row[doc.doc_id], self.table, self.judgments) if query \
            else {"circumstances": []}
        return {"court": doc.court, "court_level": COURT_LEVEL_NAMES.get(doc.level, ""), "case_no": doc.case_no,
                "writ": doc.writ, "procedures": doc.procedures, "date": doc.version_date, "charges": doc.charges,
                "parties": doc.parties, "applied": applied, "same_case": others, **shared}

    def _citation_of(self, unit_id: str) -> str:
        """A unit's citation alone (self.unit also gathers versions and citing cases: too slow per line)."""
        row = self.unit_row(unit_id)
        return citation_string(self.docs[row["doc_id"]], row["label"]) if row else unit_id

    def hit_for(self, unit_id: str, matched_by: str) -> Hit | None:
        """The hit for a unit reached by a link rather than by a search (a case citing an article)."""
        row = self.table.row_of.get(unit_id)
        return None if row is None else self._hit(Ranked(row, {}, [matched_by]), [])

    def current_article(self, doc: Document, unit_id: str) -> dict | None:
        """For an article of a superseded version: where that article stands in the current one."""
        if doc.validity != "superseded" or not doc.law_key:
            return None
        current = self.resolver.versions(doc.law_key)[-1]
        now = self.resolver.unit(current.doc_id, unit_id.split("#", 1)[1])
        row = self.unit_row(now) if now and current.doc_id != doc.doc_id else None
        old = self.unit_row(unit_id)
        if row is None or old is None:
            return None
        # a revision that renumbered the law leaves another article under the same number
        same = bigram_overlap(old["text"], row["text"]) >= SAME_ARTICLE
        return {"unit_id": now, "citation": citation_string(current, row["label"]), "text": row["text"],
                "same_article": same, "note": "" if same else "现行版本同号条文内容已不同，请核对现行规定"}

    # -- lookups ----------------------------------------------------------------------------
    def resolve(self, ref: str) -> Resolution | None:
        return self.resolver.resolve_text(ref)

    def version_chain(self, doc: Document, suffix: str = "") -> list[dict]:
        if not doc.law_key:
            return []
        chain = []
        for v in self.resolver.versions(doc.law_key):
            chain.append({"doc_id": v.doc_id, "version_date": v.version_date, "version_label": v.version_label,
                          "validity": v.validity, "unit_id": self.resolver.unit(v.doc_id, suffix) if suffix else ""})
        return chain

    def document(self, doc_id: str) -> dict | None:
        doc = self.docs.get(doc_id)
        if doc is None:
            return None
        units = [dict(r) for r in self.db.execute(
            "select unit_id, kind, label, heading, text from units where doc_id = ? order by position", (doc_id,))]
        sources = [dict(r) for r in self.db.execute("select path, format, url, record from sources where doc_id = ?",
                                                    (doc_id,))]
        meta = {k: v for k, v in doc.__dict__.items() if k not in ("units", "sources")}
        if doc.doc_type in CASE_TYPES:
            meta["holding_label"] = holding_label(doc.court)
            meta["holding_missing"] = not any(u["kind"] == "holding" for u in units)
        return {**meta, "units": units, "sources": sources, "versions": self.version_chain(doc)}

    def unit(self, unit_id: str) -> dict | None:
        unit = self.unit_row(unit_id)
        if unit is None:
            return None
        doc = self.docs[unit["doc_id"]]
        suffix = unit_id.split("#", 1)[1]
        return {**unit, "citation": citation_string(doc, unit["label"]), "title": doc.title,
                "doc_type": doc.doc_type, "validity": doc.validity, "version_date": doc.version_date,
                "superseded_by": doc.superseded_by, "versions": self.version_chain(doc, suffix),
                "standing": doc.standing, "standing_basis": doc.standing_basis,
                "current": self.current_article(doc, unit_id),
                "cited_by": self.cited_by(unit_id) if unit["kind"] == "article" else []}

