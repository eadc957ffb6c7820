"""One document per text: merge copies from several sources, join parts, order versions.

The shared corpus holds most judicial interpretations twice (markdown and Word) and
民法典 as one file per 编; a procurator must see one document each time, with every
source recorded. Two files are one text only when they are the same version: the same
title and version date, or the same article texts. Files of one law with different dates
are different versions (amendments rarely touch the first articles, so a prefix of the
text proves nothing); the newest is current and every older one points at it.
"""
from __future__ import annotations

import re
from collections import defaultdict

from corpus.cases import merge_case
from corpus.errors import LeianError
from corpus.model import Document
from corpus.statutes import date_in_name

SAME_TEXT = "identical article texts"
SAME_VERSION = "same title and version date"
PART = "part of the same code (民法典 编)"
MERGE_REASONS = (SAME_TEXT, SAME_VERSION, PART)


class VersionInvariantError(LeianError):
    """The merge folded a dated file into another version without a reason: a bug, never data."""

    code = "version_invariant"


def merge_statutes(docs: list[Document]) -> list[Document]:
    groups: dict[str, list[Document]] = defaultdict(list)
    for doc in docs:
        groups[doc.law_key].append(doc)
    merged: list[Document] = []
    for group in groups.values():
        merged.extend(_merge_one_law(group))
    return merged


def _text_key(doc: Document) -> tuple[tuple[str, str], ...]:
    """Every unit's number and text without spacing or punctuation (Word and markdown differ there)."""
    return tuple((u.unit_id.split("#", 1)[1], re.sub(r"\W", "", u.text)) for u in doc.units)


def _same_version(kept: Document, doc: Document) -> str:
    """The reason `doc` is a copy of `kept`, or "" when it is another text."""
    if doc.units and _text_key(kept) == _text_key(doc):
        return SAME_TEXT
    if kept.version_date and kept.version_date == doc.version_date and _norm(kept.title) == _norm(doc.title) \
            and not _disjoint(kept, doc):
        return SAME_VERSION
    return ""


def _merge_one_law(group: list[Document]) -> list[Document]:
    kept: list[Document] = []
    for doc in sorted(group, key=lambda d: (d.sources[0].format != "md", d.sources[0].path)):
        twin = next(((k, why) for k in kept if (why := _same_version(k, doc))), None)
        if twin is not None:
            _join_copy(twin[0], doc, twin[1])
            continue
        part_of = next((k for k in kept if _norm(k.title) == _norm(doc.title) and _disjoint(k, doc)), None)
        if part_of is not None:   # parts of one code: every version has a 第一条, parts share none
            _append_part(part_of, doc)   # whatever its header says (婚姻家庭编 lacks the 施行 date)
            continue
        if any(k.doc_id == doc.doc_id for k in kept):   # same date, another title (试行) or text
            # from the base id, so merging merged documents again (`leian add`) keeps the ids
            _rename(doc, re.sub(r"~\d+$", "", doc.doc_id) + f"~{len(kept)}")
        kept.append(doc)
    versions = sorted(kept, key=lambda d: d.version_date or "0000")
    _order_versions(versions)
    return versions


def _norm(title: str) -> str:
    return re.sub(r"[\W_]", "", title)


def _articles(doc: Document) -> int:
    return sum(1 for u in doc.units if u.kind == "article")


def _join_copy(into: Document, copy: Document, reason: str) -> None:
    """Another file of the same version: keep the fuller article text, record the file and why."""
    if _articles(copy) > _articles(into):   # e.g. the markdown copy lost articles the Word file has
        into.units = copy.units
        _rename(into, into.doc_id)
    for source in copy.sources:
        source.merged = source.merged or reason
    into.sources += copy.sources
    into.version_date = into.version_date or copy.version_date
    into.version_label = into.version_label or copy.version_label


def _rename(doc: Document, doc_id: str) -> None:
    doc.doc_id = doc_id
    for unit in doc.units:
        unit.doc_id = doc_id
        unit.unit_id = f"{doc_id}#{unit.unit_id.split('#', 1)[1]}"


def _disjoint(a: Document, b: Document) -> bool:
    numbers_a = {u.unit_id.split("#", 1)[1] for u in a.units}
    return bool(a.units) and all(u.unit_id.split("#", 1)[1] not in numbers_a for u in b.units) and \
        all(u.kind == "article" for u in a.units + b.units)


def _append_part(into: Document, part: Document) -> None:
    _rename(part, into.doc_id)
    into.units = sorted(into.units + part.units, key=lambda u: (u.number, u.number_sub))
    for i, unit in enumerate(into.units):
        unit.position = i
    for source in part.sources:
        source.merged = source.merged or PART
    into.sources += part.sources


def _order_versions(versions: list[Document]) -> None:
    """The newest version is current; every older one points at it."""
    current = versions[-1]
    current.validity = "current"
    current.superseded_by = ""
    for old in versions[:-1]:
        old.validity = "superseded"
        old.superseded_by = current.doc_id


def version_problems(docs: list[Document]) -> list[dict]:
    """The corpus invariant `leian build` checks: a statute file that carries its own date is
    that date's version, or is recorded as a copy or part of another document, with the reason.
    Anything else would show one version's text under another's date."""
    problems = []
    for doc in docs:
        if not doc.law_key:
            continue
        for source in doc.sources:
            date = date_in_name(source.path)
            if date and date != doc.version_date and source.merged not in MERGE_REASONS:
                problems.append({"path": source.path, "file_date": date, "doc_id": doc.doc_id,
                                 "version_date": doc.version_date})
    return problems


def version_table(docs: list[Document]) -> dict[str, list[dict]]:
    """Laws with more than one version: each version's date, standing and files, oldest first."""
    by_law: dict[str, list[Document]] = defaultdict(list)
    for doc in docs:
        if doc.law_key:
            by_law[doc.law_key].append(doc)
    return {versions[-1].title: [{"doc_id": v.doc_id, "version_date": v.version_date, "validity": v.validity,
                                  "files": len(v.sources)} for v in versions]
            for versions in (sorted(vs, key=lambda d: d.version_date or "0000") for vs in by_law.values())
            if len(versions) > 1}


def merge_cases(docs: list[Document], catalogue: list[Document]) -> list[Document]:
    """One document per case number (or per typical-case title); catalogue entries fill gaps."""
    by_id: dict[str, Document] = {}
    for doc in docs:
        if doc.doc_id in by_id:
            merge_case(by_id[doc.doc_id], doc)
        else:
            by_id[doc.doc_id] = doc
    guiding_by_title = {_norm(d.title): d for d in by_id.values() if d.case_number}
    for doc_id in [k for k, d in by_id.items() if not d.case_number]:
        twin = guiding_by_title.get(_norm(by_id[doc_id].title))
        if twin is not None and twin.court == by_id[doc_id].court:   # a typical copy of a guiding case
            merge_case(twin, by_id.pop(doc_id))
    for entry in catalogue:
        if entry.doc_id in by_id:
            known = by_id[entry.doc_id]
            known.batch = known.batch or entry.batch
            known.url = known.url or entry.url
            known.version_date = known.version_date or entry.version_date
            known.sources += entry.sources
        else:
            by_id[entry.doc_id] = entry
    return list(by_id.values())
