"""What a procurator reads about a unit: a ranked row rendered as a Hit (citation, passage,
holding, standing, the current text beside an old version, a judgment's card), and the
document, unit and version lookups the page and the API show.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from corpus.citations import render_key
from corpus.judgments import COURT_LEVEL_NAMES, DOC_TYPE as JUDGMENT
from corpus.model import CASE_TYPES, Document
from corpus.standing import holding_label
from indexer.hits import SAME_ARTICLE, Hit, best_window, bigram_overlap, citation_string
from indexer.index import Index
from indexer.similar import shared_evidence

CITED_JUDGMENTS = 20   # judgments listed under an article (the count says how many apply it in all)


@dataclass
class Ranked:
    row: int
    scores: dict[str, float]
    matched_by: list[str]
    members: list[int] = field(default_factory=list)   # a case's other judgments found, best first


def shown_scores(scores: dict[str, float]) -> dict[str, float]:
    """Scores as a hit shows them; rounded here, for the page of hits, not for every ranked unit."""
    return {name: round(float(value), 6 if name == "fused" else 4) for name, value in scores.items()}


class Presenter:
    def __init__(self, index: Index):
        self.index = index
        self.docs = index.docs
        self.corpus = index.corpus

    def hit(self, ranked: Ranked, terms: list[str], query: str = "") -> Hit:
        unit_id = self.index.table.unit_ids[ranked.row]
        unit = self.corpus.unit(unit_id) or {"label": "", "text": "", "kind": ""}
        doc = self.docs[self.index.table.doc_id(ranked.row)]
        holding = ""
        if doc.doc_type in CASE_TYPES:
            h = self.corpus.unit(f"{doc.doc_id}#holding")
            holding = h["text"] if h else ""
        passage, spans = best_window(unit["text"], terms)
        is_case = doc.doc_type in CASE_TYPES
        return Hit(citation=citation_string(doc, unit["label"]), title=doc.title, doc_type=doc.doc_type,
                   unit_label=unit["label"], holding=holding, passage=passage, highlights=spans,
                   validity=doc.validity, scores=shown_scores(ranked.scores), doc_id=doc.doc_id, unit_id=unit_id,
                   **self.cited_by(unit_id, unit["kind"]),
                   level=doc.level, version_date=doc.version_date, case_no=doc.case_no, url=doc.url,
                   matched_by=ranked.matched_by, holding_label=holding_label(doc.court) if is_case else "",
                   holding_missing=is_case and not holding, standing=doc.standing, standing_basis=doc.standing_basis,
                   current=self.current_article(doc, unit_id), batch=doc.batch,
                   judgment=self.judgment_card(doc, query) if doc.doc_type == JUDGMENT else None)

    def hit_for(self, unit_id: str, matched_by: str) -> Hit | None:
        """The hit for a unit reached by a link rather than by a search (a case citing an article)."""
        row = self.index.table.row_of.get(unit_id)
        return None if row is None else self.hit(Ranked(row, {}, [matched_by]), [])

    def cited_by(self, unit_id: str, kind: str) -> dict:
        """For an article: the cases citing it, by number, then the first CITED_JUDGMENTS judgments
        applying it (higher courts, then the latest, first); and how many documents cite it in all."""
        if kind != "article":
            return {"cited_by": [], "cited_by_total": 0}
        others, judgments, total = self.corpus.citing_documents(unit_id, CITED_JUDGMENTS)
        cases = sorted(self._entries(others), key=lambda c: (c["case_no"] == "", c["case_no"], c["title"]))
        return {"cited_by": cases + self._entries(judgments), "cited_by_total": total}

    def _entries(self, doc_ids: list[str]) -> list[dict]:
        return [{"doc_id": d, "case_no": doc.case_no, "title": doc.title} for d in doc_ids if (doc := self.docs.get(d))]

    def judgment_card(self, doc: Document, query: str = "") -> dict:
        """What a procurator reads about a judgment beside its passage: who decided what, under
        which articles, the case's other judgments, and the circumstances it shares with the facts."""
        applied = [{"citation": self._citation_of(e["to_unit"]) if e["to_unit"] else render_key(e["to_key"]),
                    "unit_id": e["to_unit"]} for e in self.corpus.applied(doc.doc_id)]
        others = [{"doc_id": d, "citation": citation_string(self.docs[d], "")}
                  for d in self.corpus.same_case(doc.case_id) if d != doc.doc_id]
        table = self.index.table
        shared = shared_evidence(query, table.doc_row[doc.doc_id], table, self.index.judgments) if query \
            else {"circumstances": []}
        return {"court": doc.court, "court_level": COURT_LEVEL_NAMES.get(doc.level, ""), "case_no": doc.case_no,
                "writ": doc.writ, "procedures": doc.procedures, "date": doc.version_date, "charges": doc.charges,
                "parties": doc.parties, "applied": applied, "same_case": others, **shared}

    def _citation_of(self, unit_id: str) -> str:
        """A unit's citation alone (self.unit also gathers versions and citing cases: too slow per line)."""
        row = self.corpus.unit(unit_id)
        return citation_string(self.docs[row["doc_id"]], row["label"]) if row else unit_id

    def current_article(self, doc: Document, unit_id: str) -> dict | None:
        """For an article of a superseded version: where that article stands in the current one."""
        if doc.validity != "superseded" or not doc.law_key:
            return None
        resolver = self.index.resolver
        current = resolver.versions(doc.law_key)[-1]
        now = resolver.unit(current.doc_id, unit_id.split("#", 1)[1])
        row = self.corpus.unit(now) if now and current.doc_id != doc.doc_id else None
        old = self.corpus.unit(unit_id)
        if row is None or old is None:
            return None
        # a revision that renumbered the law leaves another article under the same number
        same = bigram_overlap(old["text"], row["text"]) >= SAME_ARTICLE
        return {"unit_id": now, "citation": citation_string(current, row["label"]), "text": row["text"],
                "same_article": same, "note": "" if same else "现行版本同号条文内容已不同，请核对现行规定"}

    def version_chain(self, doc: Document, suffix: str = "") -> list[dict]:
        if not doc.law_key:
            return []
        resolver = self.index.resolver
        return [{"doc_id": v.doc_id, "version_date": v.version_date, "version_label": v.version_label,
                 "validity": v.validity, "unit_id": resolver.unit(v.doc_id, suffix) if suffix else ""}
                for v in resolver.versions(doc.law_key)]

    def document(self, doc_id: str) -> dict | None:
        doc = self.docs.get(doc_id)
        if doc is None:
            return None
        units = self.corpus.units_of(doc_id)
        meta = {k: v for k, v in doc.__dict__.items() if k not in ("units", "sources")}
        if doc.doc_type in CASE_TYPES:
            meta["holding_label"] = holding_label(doc.court)
            meta["holding_missing"] = not any(u["kind"] == "holding" for u in units)
        return {**meta, "units": units, "sources": self.corpus.sources_of(doc_id), "versions": self.version_chain(doc)}

    def unit(self, unit_id: str) -> dict | None:
        unit = self.corpus.unit(unit_id)
        if unit is None:
            return None
        doc = self.docs[unit["doc_id"]]
        suffix = unit_id.split("#", 1)[1]
        return {**unit, "citation": citation_string(doc, unit["label"]), "title": doc.title,
                "doc_type": doc.doc_type, "validity": doc.validity, "version_date": doc.version_date,
                "superseded_by": doc.superseded_by, "versions": self.version_chain(doc, suffix),
                "standing": doc.standing, "standing_basis": doc.standing_basis,
                "current": self.current_article(doc, unit_id),
                **self.cited_by(unit_id, unit["kind"])}
