"""A published build, opened and checked: everything search and presentation read.

Opening is the one place that knows the build's files; what cannot be read becomes an
IndexUnavailable with the remedy (run `leian build` again), never a traceback.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from corpus.judgments import DOC_TYPE as JUDGMENT
from corpus.model import CASE_TYPES, DOC_TYPES
from corpus.reader import CorpusReader, CorpusUnreadable, DocumentMetadata
from corpus.resolve import Resolver
from indexer.dense import Encoder, load_encoder
from indexer.filters import UnitTable
from indexer.layout import IndexUnavailable, read_manifest
from indexer.prior import level_prior
from indexer.retriever import LexicalRetriever, SemanticRetriever, open_retrievers
from indexer.similar import JudgmentTable
from indexer.tokenize import Tokenizer


class Index:
    def __init__(self, build: Path):
        self.build = build
        self.manifest = read_manifest(build)
        self.corpus = CorpusReader(build / "corpus.db")
        try:
            self.table = UnitTable.load(build)
            self.tokenizer = Tokenizer(build / "userdict.txt")
            self.charges: dict[str, int] = json.loads((build / "charges.json").read_text(encoding="utf-8"))
            self.judgments = JudgmentTable.load(build)
            self.lexical: LexicalRetriever
            self.semantic: SemanticRetriever | None
            self.lexical, self.semantic = open_retrievers(build, self.manifest, self.table)
            self.encoder: Encoder | None = (load_encoder(build / "model", self.tokenizer)
                                            if self.semantic is not None else None)
            self.docs = DocumentMetadata(self.corpus)
        except CorpusUnreadable as exc:
            raise IndexUnavailable(str(exc)) from None
        except (OSError, ValueError, KeyError, RuntimeError) as exc:
            raise IndexUnavailable(f"index at {build} cannot be loaded ({type(exc).__name__}: {exc}); "
                                   "run `leian build` again") from None
        if len(self.table) != self.lexical.size or (self.semantic and self.semantic.size != len(self.table)):
            raise IndexUnavailable(f"index at {build} is inconsistent (unit counts differ): run `leian build` again")
        self.prior = level_prior(self.table.a["level"])
        self.is_case = np.isin(self.table.a["doc_type"], [DOC_TYPES.index(t) for t in CASE_TYPES])
        self.is_judgment = self.table.a["doc_type"] == DOC_TYPES.index(JUDGMENT)
        units_of: dict[str, list[str]] = {}   # of the documents citations resolve to: never a judgment
        for row in np.flatnonzero(~self.is_judgment).tolist():
            units_of.setdefault(self.table.doc_id(row), []).append(self.table.unit_ids[row])
        self.resolver = Resolver(list(self.docs.held.values()), units_of)
