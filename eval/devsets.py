"""Dev benchmarks mined from the corpus itself (`leian eval --build-dev DIR`).

Each guiding case is a labelled query for free: its 基本案情 is the kind of text a
procurator pastes, its 相关规定 / 相关法条 are the articles an expert applied, and its
要旨 is the holding a similar-case search should surface. The case's other sections are
excluded from the search (`exclude_units`), as the case would be if it were new; every
line carries the case's split, and only test cases were kept away from the dense trainer.

holding_masked is holding with the parties named in the case's title masked in the query
(许建惠 → 某): people (jieba's person tags) and organisations (…公司, …集团, …厂) of the
title's party segments, wherever they occur verbatim in the facts. The case's title, with
those names, is indexed with its holding, so in holding a query that names the parties
finds its own case by name — which a new case never can. Places and courts stay: they are
not the parties. Measured: BM25's lead over the hybrid on holding came from the queries
sharing such a name with the title (README, "Evaluation").
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import jieba.posseg

from corpus.reader import CorpusReader
from corpus.split import is_test_case
from indexer.search import MAX_QUERY_CHARS

DEV_FILES = ("spp_provisions", "spc_provisions", "holding", "holding_masked")
PERSON_TAGS = frozenset({"nr", "nrfg", "nrt"})   # jieba POS tags of personal names
# Where a title's parties part: 诉 (but not 诉讼/诉前/上诉/申诉/起诉/公诉/控诉), lists, 与, 等.
_PARTY_SPLIT = re.compile(r"(?<![上申起公控])诉(?![讼前])|[、，,]|与|等人|等")
_ORGANISATION = re.compile(r"[\u4e00-\u9fa5A-Za-z0-9（）()]{2,30}?(?:股份有限公司|有限责任公司|有限公司|公司|集团|营业部|合作社|银行|厂)")


@dataclass
class DevSet:
    name: str
    path: Path
    test: int = 0
    dev: int = 0
    no_facts: int = 0
    no_gold: int = 0


@dataclass
class _Case:
    doc_id: str
    title: str
    court: str
    doc_type: str
    units: dict[str, str]        # unit id → kind
    facts: str
    articles: list[str]          # unit ids its cited provisions resolved to


def build_dev(db_path: Path, out_dir: Path) -> list[DevSet]:
    cases = _cases(CorpusReader(db_path))
    out_dir.mkdir(parents=True, exist_ok=True)
    sets = {name: DevSet(name, out_dir / f"{name}.jsonl") for name in DEV_FILES}
    lines: dict[str, list[str]] = {name: [] for name in DEV_FILES}
    for case in cases:
        targets = {"spp_provisions": case.court == "spp" and case.doc_type == "guiding_case",
                   "spc_provisions": case.court == "spc" and case.doc_type == "guiding_case",
                   "holding": True, "holding_masked": True}
        holding = next((u for u, kind in case.units.items() if kind == "holding"), "")
        for name, applies in targets.items():
            if not applies:
                continue
            gold = ([holding] if holding else []) if name.startswith("holding") else case.articles
            if not case.facts:
                sets[name].no_facts += 1
                continue
            if not gold:
                sets[name].no_gold += 1
                continue
            split = "test" if is_test_case(case.doc_id) else "dev"
            setattr(sets[name], split, getattr(sets[name], split) + 1)
            excluded = [u for u in case.units if u not in gold]
            query = mask_names(case.facts, case.title) if name == "holding_masked" else case.facts
            lines[name].append(json.dumps({"id": case.doc_id, "query": query[:MAX_QUERY_CHARS], "relevant": gold,
                                           "split": split, "filters": {"exclude_units": excluded}},
                                          ensure_ascii=False))
    for name, s in sets.items():
        s.path.write_text("".join(line + "\n" for line in lines[name]), encoding="utf-8")
    return list(sets.values())


def _cases(corpus: CorpusReader) -> list[_Case]:
    """Every case with text, in court and case-number order; its first 基本案情 is the query."""
    cases: dict[str, _Case] = {}
    for doc_id, title, court, doc_type in corpus.cases_in_order():
        cases[doc_id] = _Case(doc_id, title, court, doc_type, {}, "", [])
    for unit_id, doc_id, kind, text in corpus.units_in_order():
        case = cases.get(doc_id)
        if case is None:
            continue
        case.units[unit_id] = kind
        if kind == "facts" and not case.facts:
            case.facts = text.strip()
    for doc_id, to_unit in corpus.resolved_citations():
        case = cases.get(doc_id)
        if case is not None and to_unit not in case.articles:
            case.articles.append(to_unit)
    return [c for c in cases.values() if c.units]


def mask_names(text: str, title: str) -> str:
    """Replace, in text, the names of the parties that the title holds."""
    for name in sorted(party_names(title), key=len, reverse=True):
        text = text.replace(name, "某")
    return text


def party_names(title: str) -> set[str]:
    names: set[str] = set()
    for part in _PARTY_SPLIT.split(title):
        names |= {w.word for w in jieba.posseg.cut(part) if w.flag in PERSON_TAGS and len(w.word) >= 2}
        names |= {m.group(0) for m in _ORGANISATION.finditer(part)}
    return {name for name in names if "某" not in name}
