"""Citation → the unit it names, in the version it names, and the current article today.

Shared by ingest (case → article edges), search (a citation query returns its unit
first), `leian show`, the report checker and the evaluator's gold labels.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.abbreviations import SHORT_NAMES
from corpus.citations import Citation, article_label, law_key, parse_citation
from corpus.model import Document
from corpus.numerals import int_to_cn

_ISSUER_PREFIX_RE = re.compile(r"^(最高人民法院|最高人民检察院|最高法|最高检|两高|、|和|与)+")
_QUALIFIER_RE = re.compile(r"[（(][^（）()]*(?:〔|号|年|修正|修订|通过)[^（）()]*[）)]")


@dataclass
class Resolution:
    citation: Citation
    status: str                 # ok | superseded | renumbered | unknown_law | unknown_article | unknown_case | stub
    doc_id: str = ""
    unit_id: str = ""
    current_unit_id: str = ""   # where the text stands today, when that differs
    members: list[str] = field(default_factory=list)   # a batch citation: its cases
    message: str = ""

    @property
    def found(self) -> bool:
        return self.status in ("ok", "superseded", "renumbered", "stub")


def _alias(key: str) -> str:
    """A looser key: cases write 《最高人民法院关于适用〈中华人民共和国刑事诉讼法〉的解释》（法释〔2021〕1号）
    for the interpretation the corpus titles 关于适用中华人民共和国刑事诉讼法的解释."""
    if "修正案（" in key:   # 宪法修正案（1988年）: the year is the name (corpus/citations.py)
        return key
    key = _QUALIFIER_RE.sub("", key)
    key = re.sub(r"[《》〈〉“”\"\s]|中华人民共和国", "", key)
    return _ISSUER_PREFIX_RE.sub("", key)


def article_suffix(number: int, sub: int = 0) -> str:
    return f"a{number}" + (f".{sub}" if sub else "")


class Resolver:
    """Works on full documents (at ingest) or on document metadata plus the unit ids of an
    index (`units_of`), so a search process need not load 150k unit texts to resolve."""

    def __init__(self, docs: list[Document], units_of: dict[str, list[str]] | None = None):
        self.docs = {d.doc_id: d for d in docs}
        self._laws: dict[str, list[Document]] = {}
        for doc in docs:
            if doc.law_key:
                for key in {doc.law_key, _alias(doc.law_key)}:
                    self._laws.setdefault(key, []).append(doc)
        for versions in self._laws.values():
            versions.sort(key=lambda d: (d.validity == "current", d.version_date or "0000"))
        self._units_of = units_of if units_of is not None else {d.doc_id: [u.unit_id for u in d.units] for d in docs}
        self._unit_ids = {u for ids in self._units_of.values() for u in ids}

    def versions(self, law: str) -> list[Document]:
        """All versions of a law, oldest first, the current one last (short names too: 民诉法解释)."""
        key = law_key(law)
        full = law_key(SHORT_NAMES.get(key, ""))
        for candidate in (key, _alias(key), full, _alias(full)):
            if candidate and candidate in self._laws:
                return self._laws[candidate]
        return []

    def series(self, law: str) -> list[str]:
        """The titles a name stands for when it names a series rather than one text (宪法修正案 →
        宪法修正案（1988年）…（2018年）): a citation of it must say which one."""
        key = law_key(law)
        return sorted({v[-1].title for k, v in self._laws.items() if k.startswith(key + "（")})

    def unit(self, doc_id: str, suffix: str) -> str:
        """The unit id, or "" when that document has no such unit."""
        unit_id = f"{doc_id}#{suffix}"
        return unit_id if unit_id in self._unit_ids else ""

    def resolve_text(self, text: str) -> Resolution | None:
        citation = parse_citation(text)
        return self.resolve(citation) if citation else None

    def resolve(self, c: Citation) -> Resolution:
        if c.kind == "article":
            return self._article(c)
        if c.kind == "spp_batch":
            marker = f"第{int_to_cn(c.number)}批"
            members = [d.doc_id for d in self.docs.values() if d.court == "spp" and marker in d.batch]
            return Resolution(c, "ok" if members else "unknown_case", members=sorted(members),
                              message="" if members else f"{c.render()} is not in the corpus")
        doc = self.docs.get(f"{'spp' if c.kind == 'spp_case' else 'spc'}:{c.number}")
        if doc is None:
            return Resolution(c, "unknown_case", message=f"{c.render()} is not in the corpus")
        units = self._units_of.get(doc.doc_id, [])
        if doc.stub or not units:
            return Resolution(c, "stub", doc_id=doc.doc_id, message="catalogue entry only, no text in the corpus")
        return Resolution(c, "ok", doc_id=doc.doc_id, unit_id=self.unit(doc.doc_id, "holding") or units[0])

    def _article(self, c: Citation) -> Resolution:
        versions = self.versions(c.law)
        if not versions:
            return Resolution(c, "unknown_law", message=f"no law titled {c.law} in the corpus")
        current = versions[-1]
        # 第六十一条（现为2022年修正后的第七十六条） cites the numbering in force before 2022
        year = c.version_year or (c.renumbered_year - 1 if c.renumbered_year else 0)
        chosen = self._version_for_year(versions, year) if year else current
        suffix = article_suffix(c.article, c.article_sub)
        if c.renumbered_article and (chosen is current or chosen.year >= c.renumbered_year > 0):
            # The cited (older) version is not in the corpus: its 第六十一条 is not the current
            # 第六十一条, so the citation points where the text stands now.
            now = self.unit(current.doc_id, article_suffix(c.renumbered_article))
            if not now:
                return Resolution(c, "unknown_article", doc_id=current.doc_id,
                                  message=f"{current.title} has no {article_label(c.renumbered_article)}")
            return Resolution(c, "renumbered", doc_id=current.doc_id, unit_id=now, current_unit_id=now,
                              message=f"the cited version is not in the corpus; now {article_label(c.renumbered_article)}"
                                      f" of the {current.version_date[:4] or 'current'} version")
        unit_id = self.unit(chosen.doc_id, suffix)
        if not unit_id:
            return Resolution(c, "unknown_article", doc_id=chosen.doc_id,
                              message=f"{chosen.title} has no {c.render().split('》')[-1] or suffix}")
        res = Resolution(c, "ok", doc_id=chosen.doc_id, unit_id=unit_id)
        if c.renumbered_article:
            res.status = "renumbered"
            res.current_unit_id = self.unit(current.doc_id, article_suffix(c.renumbered_article))
        elif chosen is not current:
            res.status = "superseded"
            res.current_unit_id = self.unit(current.doc_id, suffix)
            res.message = f"cites the {chosen.version_date[:4] or 'older'} version; current version is {current.version_date or current.title}"
        return res

    @staticmethod
    def _version_for_year(versions: list[Document], year: int) -> Document:
        """The version adopted that year, else the newest one in force by then, else the oldest."""
        dated = [v for v in versions if v.year]
        exact = [v for v in dated if v.year == year]
        if exact:
            return exact[-1]
        before = [v for v in dated if v.year <= year]
        return max(before, key=lambda v: v.version_date) if before else versions[0]
