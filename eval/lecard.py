"""LeCaRD (../shared/lecard-dev) as `leian eval` benchmarks: one JSONL per setting.

    lecard_pool.jsonl       each query ranks its own ~100 candidates (filter doc_ids = the pool)
    lecard_all.jsonl        each query searches every judgment of the index
    lecard_*_charged.jsonl  the same, the facts followed by the charges a procurator names (涉嫌…罪)

Gold is the query's labels: grade 1–3 as the graded gain, 0 and unlabelled left out (gain 0),
exactly as trec_eval's ndcg_cut reads a qrels file. Candidate files become the document ids
ingest gives them (corpus/judgments.py), so two files of one judgment are one gold entry (the
higher grade). Build the index from the same folder (`leian build --corpus DIR`).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from corpus.judgments import DOC_TYPE, record_to_judgment

SETTINGS = ("pool", "all")


class NotLecard(ValueError):
    """The folder does not hold LeCaRD's queries.jsonl, labels.json and candidates/."""


@dataclass
class LecardFiles:
    paths: list[Path]
    queries: int
    skipped: list[str]


def _doc_ids(folder: Path) -> dict[tuple[str, str], str]:
    ids = {}
    for path in sorted((folder / "candidates").glob("*/*.json")):
        doc = record_to_judgment(json.loads(path.read_text(encoding="utf-8")), str(path), "", "json")
        if doc is not None:
            ids[(path.parent.name, path.stem)] = doc.doc_id
    return ids


def build_lecard(folder: Path, out: Path) -> LecardFiles:
    if not all((folder / name).exists() for name in ("queries.jsonl", "labels.json", "candidates")):
        raise NotLecard(f"{folder} is not a LeCaRD folder (queries.jsonl, labels.json, candidates/)")
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    ids = _doc_ids(folder)
    lines: dict[str, list[str]] = {f"{s}{c}": [] for s in SETTINGS for c in ("", "_charged")}
    skipped = []
    for raw in (folder / "queries.jsonl").read_text(encoding="utf-8").splitlines():
        if not raw.strip():
            continue
        q = json.loads(raw)
        ridx = str(q["ridx"])
        pool = sorted({d for (r, _), d in ids.items() if r == ridx})
        grades: dict[str, int] = {}
        for cid, grade in labels.get(ridx, {}).items():
            doc_id = ids.get((ridx, cid))
            if doc_id and grade > 0:
                grades[doc_id] = max(grades.get(doc_id, 0), int(grade))
        if not grades:
            skipped.append(ridx)
            continue
        charged = f"{q['query']}\n（涉嫌{'、'.join(q.get('crime', []))}）" if q.get("crime") else q["query"]
        for setting in SETTINGS:
            filters = {"type": DOC_TYPE, **({"doc_ids": pool} if setting == "pool" else {})}
            for suffix, text in (("", q["query"]), ("_charged", charged)):
                lines[setting + suffix].append(json.dumps(
                    {"id": ridx, "query": text, "relevant": list(grades), "grades": grades, "filters": filters},
                    ensure_ascii=False))
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, rows in lines.items():
        path = out / f"lecard_{name}.jsonl"
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        paths.append(path)
    return LecardFiles(paths, len(lines["pool"]), skipped)
