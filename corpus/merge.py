"""One document per text: merge copies from several sources, join parts, order versions.

The shared corpus holds most judicial interpretations twice (markdown and Word, same
title, same date) and 民法典 as one file per 编; a procurator must see one document
each time, with every source recorded.
"""
from __future__ import annotations

import re
from collections import defaultdict

from corpus.cases import merge_case
from corpus.model import Document


def _fingerprint(doc: Document) -> tuple[str, ...]:
    """The first articles' text without spacing: equal for two copies of one version."""
    return tuple(re.sub(r"\W", "", u.text)[:60] for u in doc.units[:3])


def merge_statutes(docs: list[Document]) -> list[Document]:
    groups: dict[str, list[Document]] = defaultdict(list)
    for doc in docs:
        groups[doc.law_key].append(doc)
    merged: list[Document] = []
    for group in groups.values():
        merged.extend(_merge_one_law(group))
    return merged


def _merge_one_law(group: list[Document]) -> list[Document]:
    by_version: dict[str, Document] = {}
    by_print: dict[tuple[str, ...], Document] = {}
    for doc in sorted(group, key=lambda d: (d.sources[0].format != "md", d.sources[0].path)):
        same_text = by_print.get(_fingerprint(doc))
        if same_text is not None:          # another copy of a version we have (dates may differ)
            same_text.sources += doc.sources
            same_text.version_date = same_text.version_date or doc.version_date
            continue
        part_of = next((kept for kept in by_print.values() if _disjoint(kept, doc)), None)
        if part_of is not None:   # parts of one code (民法典 编): every version has a 第一条, parts share none
            _append_part(part_of, doc)   # whatever its header says (婚姻家庭编 lacks the 施行 date)
            continue
        same_date = by_version.get(doc.version_date)
        if same_date is not None:          # same date, different text: keep both, distinct ids
            # from the base id, so merging merged documents again (`leian add`) keeps the ids
            doc.doc_id = re.sub(r"~\d+$", "", doc.doc_id) + f"~{len(by_print)}"
            for unit in doc.units:
                unit.doc_id = doc.doc_id
                unit.unit_id = f"{doc.doc_id}#{unit.unit_id.split('#', 1)[1]}"
        by_version.setdefault(doc.version_date, doc)
        by_print[_fingerprint(doc)] = doc
    versions = sorted(by_print.values(), key=lambda d: d.version_date or "0000")
    _order_versions(versions)
    return versions


def _disjoint(a: Document, b: Document) -> bool:
    numbers_a = {u.unit_id.split("#", 1)[1] for u in a.units}
    return bool(a.units) and all(u.unit_id.split("#", 1)[1] not in numbers_a for u in b.units) and \
        all(u.kind == "article" for u in a.units + b.units)


def _append_part(into: Document, part: Document) -> None:
    for unit in part.units:
        unit.doc_id = into.doc_id
        unit.unit_id = f"{into.doc_id}#{unit.unit_id.split('#', 1)[1]}"
    into.units = sorted(into.units + part.units, key=lambda u: (u.number, u.number_sub))
    for i, unit in enumerate(into.units):
        unit.position = i
    into.sources += part.sources


def _order_versions(versions: list[Document]) -> None:
    """The newest version is current; every older one points at it."""
    current = versions[-1]
    current.validity = "current"
    for old in versions[:-1]:
        old.validity = "superseded"
        old.superseded_by = current.doc_id


def merge_cases(docs: list[Document], catalogue: list[Document]) -> list[Document]:
    """One document per case number (or per typical-case title); catalogue entries fill gaps."""
    by_id: dict[str, Document] = {}
    for doc in docs:
        if doc.doc_id in by_id:
            merge_case(by_id[doc.doc_id], doc)
        else:
            by_id[doc.doc_id] = doc
    guiding_by_title = {_norm_title(d.title): d for d in by_id.values() if d.case_number}
    for doc_id in [k for k, d in by_id.items() if not d.case_number]:
        twin = guiding_by_title.get(_norm_title(by_id[doc_id].title))
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


def _norm_title(title: str) -> str:
    return re.sub(r"[\W_]", "", title)
