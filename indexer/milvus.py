"""The Milvus backend: one collection per build holding every unit's words, vector and filter
fields, for deployments that outgrow one machine (Milvus Standalone or Distributed through the
same pymilvus client; Milvus Lite, a local file, in the tests).

How it reproduces leian's BM25: Milvus's own full-text search (a BM25 function over an analysed
VARCHAR field) runs on leian's tokens, not on its own segmentation. Each unit's tokens (title
and keywords repeated, as bm25s sees them) are written as vocabulary ids in base 36 separated by
spaces, which Milvus's standard analyzer splits back into exactly those terms; a query is sent
the same way, each term repeated in proportion to its weight (Milvus counts a repeated query term
again), so single characters weigh half as in process. The k1 and b of bm25s are set on the
index. Milvus keeps no idf that leian can read, so the build saves the document frequencies
(terms.json, indexer/termstats.py) for the query weighting and the relevance floor's coverage.

Filters become Milvus expressions over scalar fields (`expression`); the level prior and the
over-fetch stay in the search pipeline (indexer/retriever.py), as for every backend.

Publishing: the build writes a fresh collection leian_<build>, then points the alias
leian_current at it just before the build directory's own symlink swap; readers open the
collection the manifest names, so a half-written collection is never read, and a build killed
halfway leaves the previous collection serving. Collections of builds no longer kept are dropped.
"""
from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from corpus.model import DOC_TYPES, LEVELS, VALIDITY
from indexer.filters import ALL_DOMAINS, ALL_PROCEDURES, Filters, UnitTable
from indexer.layout import IndexUnavailable
from indexer.lexical import DEFAULT_B, DEFAULT_K1
from indexer.retriever import Query, Selection
from indexer.termstats import FILE as TERMS_FILE, TermStats

PREFIX = "leian_"
ALIAS = "leian_current"
INSERT_BATCH = 2000
FETCH_BATCH = 8000
MAX_TOPK = 16384            # Milvus's limit on one search's k
MAX_TEXT = 65535            # VARCHAR bytes: ~13,000 tokens at 5 bytes each; a longer unit keeps its first ones
MAX_LIST = 64               # entries per ARRAY field (charges, domains, procedures)
TOKEN_ENV = "MILVUS_TOKEN"  # credentials stay in the environment, never in the manifest
URI_ENV = "LEIAN_MILVUS_URI"   # readers may reach the same server by another address


class MilvusUnavailable(IndexUnavailable):
    """Milvus cannot be reached or opened; the message says which and what to do."""


def connect(uri: str):
    from pymilvus import MilvusClient
    from pymilvus.exceptions import MilvusException

    try:
        return MilvusClient(uri=uri, token=os.environ.get(TOKEN_ENV, ""))
    except MilvusException as exc:
        if re.match(r"^[a-z]+://", uri):
            raise MilvusUnavailable(f"cannot reach Milvus at {uri} ({exc.message}); is the server up, and "
                                    f"${TOKEN_ENV} set if it needs credentials?") from None
        raise MilvusUnavailable(f"cannot open the Milvus Lite file {uri} ({exc.message}): another process may "
                                "hold it (Milvus Lite serves one process at a time; run Milvus Standalone for "
                                "several servers)") from None


def normalise_uri(uri: str) -> str:
    """A Milvus Lite file becomes an absolute path, so the server finds it from any directory."""
    return uri if re.match(r"^[a-z]+://", uri) else str(Path(uri).expanduser().resolve())


def _code(term_id: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        term_id, r = divmod(term_id, 36)
        out = digits[r] + out
        if not term_id:
            return "t" + out


def encode_tokens(tokens: list[str], vocab: dict[str, int]) -> str:
    text = " ".join(_code(vocab[t]) for t in tokens if t in vocab)
    return text[:MAX_TEXT].rsplit(" ", 1)[0] if len(text) > MAX_TEXT else text


def query_text(query: Query, stats: TermStats) -> str:
    """The weighted query terms as Milvus takes them: each repeated weight / lightest weight times."""
    weights = query.weights(stats)
    if not weights:
        return ""
    lightest = min(weights.values())
    return " ".join(" ".join([_code(stats.vocab[t])] * max(1, round(w / lightest))) for t, w in weights.items())


def expression(f: Filters, table: UnitTable) -> str:
    """The filters as a Milvus boolean expression; the same rows as UnitTable.mask (a contract test checks)."""
    parts = []
    if f.doc_types:
        parts.append(f"doc_type in {[DOC_TYPES.index(t) for t in f.doc_types]}")
    if f.levels:
        parts.append(f"level in {[LEVELS.index(v) for v in f.levels]}")
    if f.domains:
        parts.append(f"array_contains_any(domains, {[ALL_DOMAINS.index(d) for d in f.domains]})")
    if f.procedures:
        parts.append(f"array_contains_any(procedures, {[ALL_PROCEDURES.index(p) for p in f.procedures]})")
    if f.year_from:
        parts.append(f"year >= {int(f.year_from)}")
    if f.year_to:
        parts.append(f"(year <= {int(f.year_to)} and year > 0)")
    if f.validity:
        parts.append(f"validity == {VALIDITY.index(f.validity)}")
    elif not f.all_versions:
        parts.append(f"validity != {VALIDITY.index('superseded')}")
    if f.charges:
        ids = table.charges.matching(f.charges).tolist()
        parts.append(f"array_contains_any(charges, {ids})" if ids else "row < 0")
    if f.doc_ids:
        rows = [table.doc_row[d] for d in f.doc_ids if d in table.doc_row]
        parts.append(f"doc_row in {rows}" if rows else "row < 0")
    if f.facts_only:
        parts.append("is_facts == true")
    excluded = [table.row_of[u] for u in f.exclude_units if u in table.row_of]
    if excluded:
        parts.append(f"row not in {excluded}")
    return " and ".join(parts)


def _bits(value: int) -> list[int]:
    return [i for i in range(value.bit_length()) if value >> i & 1]


class MilvusBuilder:
    def __init__(self, uri: str, index_type: str = "FLAT"):
        self.uri = normalise_uri(uri)
        self.index_type = index_type   # FLAT: exact, as faiss in process; HNSW or IVF_FLAT on a server

    def _schema(self, client, dim: int | None):
        from pymilvus import DataType, Function, FunctionType
        schema = client.create_schema(auto_id=False)
        schema.add_field("row", DataType.INT64, is_primary=True)
        schema.add_field("text", DataType.VARCHAR, max_length=MAX_TEXT, enable_analyzer=True,
                         analyzer_params={"tokenizer": "standard"})
        schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        if dim:
            schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
        for name in ("doc_type", "level", "validity", "year"):
            schema.add_field(name, DataType.INT32)
        schema.add_field("doc_row", DataType.INT64)
        schema.add_field("is_facts", DataType.BOOL)
        for name in ("domains", "procedures", "charges"):
            schema.add_field(name, DataType.ARRAY, element_type=DataType.INT32, max_capacity=MAX_LIST)
        schema.add_function(Function(name="bm25", function_type=FunctionType.BM25,
                                     input_field_names=["text"], output_field_names=["sparse"]))
        index = client.prepare_index_params()
        index.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25",
                        params={"bm25_k1": DEFAULT_K1, "bm25_b": DEFAULT_B})
        if dim:
            index.add_index("vector", index_type=self.index_type, metric_type="IP")
        return schema, index

    def write(self, build: Path, unit_tokens: Sequence[list[str]], vectors: np.ndarray | None, table: UnitTable) -> dict:
        stats = TermStats.of_tokens(unit_tokens)
        stats.save(build)
        name = PREFIX + re.sub(r"\W", "_", build.name)
        client = connect(self.uri)
        schema, index = self._schema(client, vectors.shape[1] if vectors is not None else None)
        client.create_collection(name, schema=schema, index_params=index)
        a = table.a
        for start in range(0, len(table), INSERT_BATCH):
            rows = []
            for row in range(start, min(start + INSERT_BATCH, len(table))):
                doc_row = int(a["doc_row"][row])
                entity = {"row": row, "text": encode_tokens(unit_tokens[row], stats.vocab),
                          "doc_type": int(a["doc_type"][row]), "level": int(a["level"][row]),
                          "validity": int(a["validity"][row]), "year": int(a["year"][row]), "doc_row": doc_row,
                          "is_facts": bool(a["is_facts"][row]), "domains": _bits(int(a["domains"][row])),
                          "procedures": _bits(int(a["procedures"][row])),
                          "charges": table.charges.of_doc(doc_row)[:MAX_LIST]}
                if vectors is not None:
                    entity["vector"] = vectors[row].tolist()
                rows.append(entity)
            client.insert(name, rows)
        client.flush(name)
        client.load_collection(name)
        return {"backend": "milvus", "options": {"uri": self.uri, "index_type": self.index_type},
                "collection": name, "alias": ALIAS, "files": [TERMS_FILE]}

    def publish(self, entry: dict) -> None:
        client = connect(self.uri)
        if ALIAS in client.list_aliases().get("aliases", []):
            client.alter_alias(entry["collection"], ALIAS)
        else:
            client.create_alias(entry["collection"], ALIAS)

    def prune(self, keep: list[dict]) -> None:
        """Drop leian's collections no kept build names: older builds', and any a killed build left."""
        client = connect(self.uri)
        kept = {e["collection"] for e in keep if e.get("backend") == "milvus" and e["options"]["uri"] == self.uri}
        for name in client.list_collections():
            if name.startswith(PREFIX) and name not in kept:
                client.drop_collection(name)


class _Collection:
    """The collection a build names, loaded for search; shared by its two retrievers."""

    def __init__(self, entry: dict, table: UnitTable):
        self.name = entry["collection"]
        uri = os.environ.get(URI_ENV) or entry["options"]["uri"]
        self.client = connect(uri)
        if not self.client.has_collection(self.name):
            raise ValueError(f"Milvus at {uri} has no collection {self.name}")
        self.client.load_collection(self.name)
        self.table = table
        self.size = int(self.client.query(self.name, filter="", output_fields=["count(*)"])[0]["count(*)"])

    def search(self, data, field: str, k: int, selection: Selection | str, params: dict | None = None
               ) -> tuple[np.ndarray, np.ndarray]:
        expr = selection if isinstance(selection, str) else expression(selection.filters, self.table)
        hits = self.client.search(self.name, data=[data], anns_field=field, limit=min(k, MAX_TOPK), filter=expr,
                                  search_params=params or {}, output_fields=["row"])[0]
        rows = np.asarray([h["row"] for h in hits], dtype=np.int64)
        # Milvus Lite reports BM25 as a negative distance (smaller is nearer); the score is its size
        scores = np.asarray([abs(h["distance"]) if field == "sparse" else h["distance"] for h in hits],
                            dtype=np.float32)
        return rows, scores

    def fetch(self, rows: np.ndarray, field: str) -> list:
        """A field of given rows, in their order."""
        wanted = [int(r) for r in rows]
        found: dict[int, object] = {}
        for start in range(0, len(wanted), FETCH_BATCH):
            part = wanted[start:start + FETCH_BATCH]
            for entity in self.client.query(self.name, filter=f"row in {part}", output_fields=["row", field]):
                found[entity["row"]] = entity[field]
        return [found[r] for r in wanted]


class MilvusLexical:
    def __init__(self, collection: _Collection, stats: TermStats):
        self.collection, self.stats = collection, stats

    @property
    def size(self) -> int:
        return self.collection.size

    def search(self, query: Query, k: int, selection: Selection) -> tuple[np.ndarray, np.ndarray]:
        text = query_text(query, self.stats)
        if not text:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        return self.collection.search(text, "sparse", k, selection)

    def scores_of(self, query: Query, rows: np.ndarray) -> np.ndarray:
        text = query_text(query, self.stats)
        out = np.zeros(len(rows), dtype=np.float32)
        if not text or not len(rows):
            return out
        found, scores = self.collection.search(text, "sparse", len(rows), f"row in {[int(r) for r in rows]}")
        position = {int(r): i for i, r in enumerate(rows)}
        for row, score in zip(found.tolist(), scores.tolist()):
            out[position[row]] = score
        return out

    def coverage(self, query: Query, rows: np.ndarray) -> np.ndarray:
        weights = query.weights(self.stats)
        codes = {_code(self.stats.vocab[t]): t for t in weights}
        held = [{codes[c] for c in text.split() if c in codes} for text in self.collection.fetch(rows, "text")]
        return self.stats.coverage(query.tokens, weights, held)


class MilvusSemantic:
    def __init__(self, collection: _Collection):
        self.collection = collection

    @property
    def size(self) -> int:
        return self.collection.size

    def search(self, query: Query, k: int, selection: Selection) -> tuple[np.ndarray, np.ndarray]:
        return self.collection.search(query.vector.tolist(), "vector", k, selection, {"metric_type": "IP"})

    def vectors(self, rows: np.ndarray) -> np.ndarray:
        return np.asarray(self.collection.fetch(rows, "vector"), dtype=np.float32)


def open_milvus(build: Path, entry: dict, table: UnitTable, dense: bool) -> tuple[MilvusLexical, MilvusSemantic | None]:
    collection = _Collection(entry, table)
    return MilvusLexical(collection, TermStats.load(build)), MilvusSemantic(collection) if dense else None
