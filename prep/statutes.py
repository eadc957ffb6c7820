"""The statutes a committee record lists: national articles in the version in force on the
date that matters (the conduct, by default), ordered as 法释〔2009〕14号 says."""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from corpus.model import Document
from indexer.filters import Filters
from indexer.fusion import RRF_K
from indexer.hits import SAME_ARTICLE, Hit, bigram_overlap, citation_string
from indexer.search import MAX_QUERY_CHARS

STATUTE_TYPES = ("statute", "rule")
# National norms only: local regulations bind only where they were made, and the report's locality is
# not known here. In the order 法释〔2009〕14号 lists norms cited together (法律, 行政法规, 地方性法规, 司法解释),
# then the procuratorate's own rules and departmental rules.
STATUTE_LEVELS = ("law", "administrative_regulation", "judicial_interpretation", "procuratorate_rule",
                  "departmental_rule")
# 法释〔2009〕14号: substantive law before procedural law. Procedural by title: the procedure codes and
# the interpretations that apply them.
# 法释〔2009〕14号's order when norms are cited together; anything else after them.
CITING_ORDER = ("law", "administrative_regulation", "local_regulation", "judicial_interpretation",
                "procuratorate_rule", "departmental_rule")
_PROCEDURAL_RE = re.compile(r"诉讼法|程序法|仲裁法|调解法|引渡法|司法协助法|诉讼规则|办案规则")
STATUTE_SCOPE = "法律、行政法规、司法解释、检察工作规定和部门规章（地方性法规请结合案件发生地另行查询）"
# A 修订 states when it takes effect in its closing article (本法自2025年7月1日起施行); a 修正 keeps the
# original 施行 article and takes effect on promulgation.
_IN_FORCE_RE = re.compile(r"自\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:起)?施行")
# Extra hits asked for, since hits that share no words with the query are dropped.
_SPARE = 10


@dataclass
class ArticleEntry:
    citation: str          # 《中华人民共和国矿产资源法》（2024年修订）第七十四条
    text: str              # the full article, as the report quotes it
    unit_id: str
    score: float
    current: bool = True   # False: the version in force on the record's date, since superseded
    current_citation: str = ""   # where the article stands now, when not current
    current_text: str = ""
    current_note: str = ""       # 现行条文内容相同 / 现行版本同号条文内容已不同 …


class VersionClock:
    """Which version of a law was in force on a given day."""

    def __init__(self, searcher):
        self.searcher = searcher
        self._starts: dict[str, str] = {}

    def starts(self, doc: Document) -> str:
        """The version's first day in force (YYYY-MM-DD): the 施行 date its closing article gives when
        that is later than its adoption, else its version date."""
        if doc.doc_id not in self._starts:
            start = doc.version_date
            if m := _IN_FORCE_RE.search(self.searcher.corpus.last_article(doc.doc_id)):
                stated = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
                start = max(start, stated) if start else stated
            self._starts[doc.doc_id] = start
        return self._starts[doc.doc_id]

    def in_force(self, doc: Document, on: datetime.date) -> Document | None:
        """The version of doc's law in force on `on`; None when none was yet (or no date is known)."""
        versions = self.searcher.resolver.versions(doc.law_key) if doc.law_key else [doc]
        day = on.isoformat()
        started = [v for v in versions if self.starts(v) and self.starts(v) <= day]
        return max(started, key=self.starts) if started else None


def citing_order(level: str, title: str) -> tuple[int, bool]:
    """Where a norm stands when several are cited together (法释〔2009〕14号): by kind, then
    substantive before procedural."""
    rank = CITING_ORDER.index(level) if level in CITING_ORDER else len(CITING_ORDER)
    return rank, bool(_PROCEDURAL_RE.search(title))


def lexical(hit: Hit) -> bool:
    """Shares words with the query (or was named outright): a hit found by embedding alone,
    with no term in common, is not one a committee would call relevant."""
    return "bm25" in hit.scores or bool({"citation", "charge"} & set(hit.matched_by))


def relevant_articles(searcher, queries: list[str], k: int, as_of: datetime.date | None = None,
                      clock: VersionClock | None = None) -> tuple[list[ArticleEntry], list[int]]:
    """The k national articles closest to the queries (their rankings fused with RRF), in the version
    in force on `as_of` (today when None), listed as 法释〔2009〕14号 orders them: laws, administrative
    regulations, interpretations, then rules; substantive before procedural; the articles of one law
    together and in order. Also the number of articles each query found, for the record."""
    clock = clock or VersionClock(searcher)
    score: dict[str, float] = {}
    found: dict[str, tuple[Hit, dict]] = {}
    counts = []
    for query in queries:
        ranked = _articles_for(searcher, query, k + _SPARE, as_of, clock)
        counts.append(len(ranked))
        for rank, (hit, unit) in enumerate(ranked):
            score[hit.unit_id] = score.get(hit.unit_id, 0.0) + 1.0 / (RRF_K + rank + 1)
            found.setdefault(hit.unit_id, (hit, unit))
    picked = [found[u] for u in sorted(score, key=lambda u: -score[u])[:k]]
    first_rank: dict[str, int] = {}
    for rank, (hit, _) in enumerate(picked):
        first_rank.setdefault(hit.doc_id, rank)
    picked.sort(key=lambda p: (*citing_order(p[0].level, p[0].title), first_rank[p[0].doc_id], p[1]["position"]))
    return [article_entry(searcher, hit, unit) for hit, unit in picked], counts


def _articles_for(searcher, query: str, n: int, as_of: datetime.date | None,
                  clock: VersionClock) -> list[tuple[Hit, dict]]:
    """Up to n articles for one query, each in the version in force on `as_of`."""
    past = as_of is not None and as_of < datetime.date.today()
    filters = Filters(doc_types=STATUTE_TYPES, levels=STATUTE_LEVELS,
                      **({"all_versions": True} if past else {"validity": "current"}))
    # every version of an article may match: ask for more when older ones compete
    result = searcher.search(query, k=min(100, n * (3 if past else 1)), filters=filters)
    picked: list[tuple[Hit, dict]] = []
    for hit in result.results:
        doc = searcher.docs[hit.doc_id]
        unit = searcher.corpus.unit(hit.unit_id)
        if past:
            wanted = clock.in_force(doc, as_of)
            keep = wanted is not None and wanted.doc_id == doc.doc_id
        else:
            keep = hit.validity == "current"
        if keep and hit.level in STATUTE_LEVELS and lexical(hit) and unit and unit["kind"] == "article":
            picked.append((hit, unit))
        if len(picked) == n:
            break
    return picked


def article_entry(searcher, hit: Hit, unit: dict) -> ArticleEntry:
    entry = ArticleEntry(hit.citation, unit["text"], hit.unit_id, hit.scores.get("fused", 0.0))
    doc = searcher.docs[hit.doc_id]
    if doc.validity != "superseded":
        return entry
    entry.current = False
    now = searcher.current_article(doc, hit.unit_id)
    if now is None or not now["same_article"]:
        near = nearest_current_article(searcher, unit)
        entry.current_citation = current_citation(searcher, near)
        entry.current_text = searcher.corpus.unit(near)["text"] if near else ""
        entry.current_note = (("现行版本同号条文内容已不同" if now else "现行版本没有同号条文")
                              + ("，内容相近的现行条文供核对" if near else "，请核对现行规定"))
    else:
        same_text = re.sub(r"\s", "", unit["text"]) == re.sub(r"\s", "", now["text"])
        entry.current_citation, entry.current_text = now["citation"], now["text"]
        entry.current_note = "现行条文内容未变" if same_text else "现行条文有修改"
    return entry


def current_citation(searcher, unit_id: str) -> str:
    unit = searcher.corpus.unit(unit_id) if unit_id else None
    return citation_string(searcher.docs[unit["doc_id"]], unit["label"]) if unit else ""


def same_article(old_text: str, new_text: str) -> bool:
    return bigram_overlap(old_text, new_text) >= SAME_ARTICLE


def nearest_current_article(searcher, old: dict) -> str:
    """The current article of the same law whose text is closest to an old one's, when a revision
    renumbered it (矿产资源法 2024 renumbered most articles): a lead to check, not a finding."""
    old_doc = searcher.docs.get(old["doc_id"])
    if old_doc is None or not old_doc.law_key or not old["text"].strip():
        return ""
    result = searcher.search(old["text"][:MAX_QUERY_CHARS], k=20, floor=None,   # a lookup, not a question
                             filters=Filters(doc_types=STATUTE_TYPES, validity="current"))
    for hit in result.results:
        doc = searcher.docs.get(hit.doc_id)
        if doc is not None and doc.law_key == old_doc.law_key and "bm25" in hit.scores:
            return hit.unit_id
    return ""
