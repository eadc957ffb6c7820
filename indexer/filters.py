"""Search filters as boolean masks over unit rows.

Per-unit attributes live in small numpy arrays (units.npz), so a filter is a few
vectorised comparisons and a new process does not load 150k units from SQLite.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corpus.domains import DOMAIN_CUES, PROCEDURES
from corpus.errors import BadInput
from corpus.judgments import JUDGMENT_PROCEDURES
from corpus.model import DOC_TYPES, LEVELS, VALIDITY, Document

ALL_DOMAINS = tuple(DOMAIN_CUES)
ALL_PROCEDURES = PROCEDURES + ("公益诉讼",) + JUDGMENT_PROCEDURES


class BadFilter(BadInput):
    """A filter value the index does not know; the message lists the allowed values."""

    code = "bad_filter"


@dataclass
class Filters:
    doc_types: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    procedures: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    validity: str | None = None     # current | superseded; None = current only unless all_versions
    all_versions: bool = False
    exclude_units: tuple[str, ...] = ()   # e.g. a case's own facts when its holding is the gold (eval (c))
    charges: tuple[str, ...] = ()   # judgments whose 罪名 contain any of these (盗窃 → 盗窃罪, 入户盗窃罪 …)
    doc_ids: tuple[str, ...] = ()   # only these documents (eval: a LeCaRD query's candidate pool)
    facts_only: bool = False        # only facts units (case-to-case search compares facts with facts)

    def validate(self) -> "Filters":
        for name, values, allowed in (("type", self.doc_types, DOC_TYPES), ("domain", self.domains, ALL_DOMAINS),
                                      ("procedure", self.procedures, ALL_PROCEDURES), ("level", self.levels, LEVELS)):
            unknown = [v for v in values if v not in allowed]
            if unknown:
                raise BadFilter(f"unknown {name} {', '.join(map(repr, unknown))}; allowed: {', '.join(allowed)}")
        if self.validity is not None and self.validity not in VALIDITY:
            raise BadFilter(f"unknown validity {self.validity!r}; allowed: {', '.join(VALIDITY)}")
        for name, year in (("year_from", self.year_from), ("year_to", self.year_to)):
            if year is not None and not 1949 <= year <= 2100:
                raise BadFilter(f"{name} must be a year between 1949 and 2100, got {year}")
        if self.year_from and self.year_to and self.year_from > self.year_to:
            raise BadFilter(f"year_from {self.year_from} is after year_to {self.year_to}")
        if any(len(c.strip().removesuffix("罪")) < 2 for c in self.charges):
            raise BadFilter(f"a charge filter names a charge of two or more characters (盗窃, 故意伤害罪), "
                            f"got {', '.join(map(repr, self.charges))}")
        return self


def _bits(values: list[str], vocabulary: tuple[str, ...]) -> int:
    return sum(1 << vocabulary.index(v) for v in values if v in vocabulary)


class UnitTable:
    """Row-aligned unit attributes: row i of BM25, of the dense matrix and of these arrays is one unit."""

    def __init__(self, unit_ids: list[str], arrays: dict[str, np.ndarray], groups: list[str], doc_ids: list[str],
                 charges: "DocCharges"):
        self.unit_ids = unit_ids
        self.doc_ids = doc_ids
        self.doc_row = {d: i for i, d in enumerate(doc_ids)}
        self.row_of = {u: i for i, u in enumerate(unit_ids)}
        self.a = arrays
        self.groups = groups
        self.charges = charges

    @classmethod
    def from_documents(cls, docs: list[Document]) -> "UnitTable":
        unit_ids, groups, doc_ids, cols = [], [], [], {k: [] for k in (
            "doc_row", "doc_type", "level", "validity", "year", "domains", "procedures", "is_holding", "is_facts")}
        for d_row, doc in enumerate(docs):
            doc_ids.append(doc.doc_id)
            for unit in doc.units:
                unit_ids.append(unit.unit_id)
                suffix = unit.unit_id.split("#", 1)[1]
                groups.append(f"{doc.law_key}#{suffix}" if doc.law_key else
                              f"case:{doc.case_id}" if doc.case_id else doc.doc_id)   # judgments collapse per case
                cols["doc_row"].append(d_row)
                cols["doc_type"].append(DOC_TYPES.index(doc.doc_type))
                cols["level"].append(LEVELS.index(doc.level) if doc.level in LEVELS else LEVELS.index("other"))
                cols["validity"].append(VALIDITY.index(doc.validity))
                cols["year"].append(doc.year)
                cols["domains"].append(_bits(doc.domains, ALL_DOMAINS))
                cols["procedures"].append(_bits(doc.procedures, ALL_PROCEDURES))
                cols["is_holding"].append(unit.kind == "holding")
                cols["is_facts"].append(unit.kind == "facts")
        return cls(unit_ids, {k: np.asarray(v, dtype=np.int32) for k, v in cols.items()}, groups, doc_ids,
                   DocCharges.of([d.charges for d in docs]))

    def save(self, path: Path) -> None:
        np.savez(path / "units.npz", **self.a, **self.charges.arrays())
        (path / "units.json").write_text(json.dumps({"unit_ids": self.unit_ids, "groups": self.groups,
                                                      "doc_ids": self.doc_ids, "charges": self.charges.names},
                                                     ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "UnitTable":
        meta = json.loads((path / "units.json").read_text(encoding="utf-8"))
        with np.load(path / "units.npz") as npz:
            arrays = {k: npz[k] for k in npz.files}
        charges = DocCharges(meta["charges"], arrays.pop("charge_ptr"), arrays.pop("charge_ids"))
        return cls(meta["unit_ids"], arrays, meta["groups"], meta["doc_ids"], charges)

    def __len__(self) -> int:
        return len(self.unit_ids)

    def doc_id(self, row: int) -> str:
        return self.doc_ids[int(self.a["doc_row"][row])]

    def mask(self, f: Filters) -> np.ndarray | None:
        """Rows the filters keep; None when nothing is filtered (the fast path)."""
        a, m = self.a, np.ones(len(self), dtype=bool)
        if f.doc_types:
            m &= np.isin(a["doc_type"], [DOC_TYPES.index(t) for t in f.doc_types])
        if f.levels:
            m &= np.isin(a["level"], [LEVELS.index(v) for v in f.levels])
        if f.domains:
            m &= (a["domains"] & _bits(list(f.domains), ALL_DOMAINS)) != 0
        if f.procedures:
            m &= (a["procedures"] & _bits(list(f.procedures), ALL_PROCEDURES)) != 0
        if f.year_from:
            m &= a["year"] >= f.year_from
        if f.year_to:
            m &= (a["year"] <= f.year_to) & (a["year"] > 0)
        if f.validity:
            m &= a["validity"] == VALIDITY.index(f.validity)
        elif not f.all_versions:
            m &= a["validity"] != VALIDITY.index("superseded")
        if f.charges:
            m &= self.charges.docs_with(f.charges)[a["doc_row"]]
        if f.doc_ids:
            wanted = np.zeros(len(self.doc_ids), dtype=bool)
            wanted[[self.doc_row[d] for d in f.doc_ids if d in self.doc_row]] = True
            m &= wanted[a["doc_row"]]
        if f.facts_only:
            m &= a["is_facts"] == 1
        for unit_id in f.exclude_units:
            row = self.row_of.get(unit_id)
            if row is not None:
                m[row] = False
        return None if m.all() else m


class DocCharges:
    """Each document's charges (罪名) as a compressed row list over a vocabulary: the charge filter
    is a substring match over the vocabulary (hundreds of names) and one gather over documents."""

    def __init__(self, names: list[str], ptr: np.ndarray, ids: np.ndarray):
        self.names, self.ptr, self.ids = names, ptr, ids

    @classmethod
    def of(cls, per_doc: list[list[str]]) -> "DocCharges":
        index: dict[str, int] = {}
        ptr, ids = [0], []
        for charges in per_doc:
            ids.extend(index.setdefault(c, len(index)) for c in dict.fromkeys(charges))
            ptr.append(len(ids))
        return cls(list(index), np.asarray(ptr, dtype=np.int64), np.asarray(ids, dtype=np.int32))

    def arrays(self) -> dict[str, np.ndarray]:
        return {"charge_ptr": self.ptr, "charge_ids": self.ids}

    def of_doc(self, doc_row: int) -> list[int]:
        return self.ids[self.ptr[doc_row]:self.ptr[doc_row + 1]].tolist()

    def matching(self, wanted: tuple[str, ...]) -> np.ndarray:
        """Vocabulary ids of the charges that contain a wanted name (盗窃 and 盗窃罪 alike)."""
        keys = [w.strip().removesuffix("罪") for w in wanted]
        return np.asarray([i for i, name in enumerate(self.names) if any(k in name for k in keys)], dtype=np.int32)

    def docs_with(self, wanted: tuple[str, ...]) -> np.ndarray:
        """One flag per document: it has a charge matching a wanted name."""
        hit = np.zeros(len(self.names), dtype=bool)
        hit[self.matching(wanted)] = True
        doc_of_entry = np.repeat(np.arange(len(self.ptr) - 1), np.diff(self.ptr))
        out = np.zeros(len(self.ptr) - 1, dtype=bool)
        out[doc_of_entry[hit[self.ids]]] = True
        return out
