"""What an eval run tells its reader: the JSON summary, the terminal table, the markdown
report with per-query misses and a recall@k plot."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.table import Table

from eval.benchmark import BadLine, Query
from eval.gold import UNRESOLVED, Gold
from eval.metrics import CUTOFF, summarize
from eval.runner import QueryRun
from eval.systems import REFERENCE


@dataclass
class Evaluation:
    benchmark: str
    split: str
    any_version: bool
    doc_types: tuple[str, ...]
    ks: list[int]
    queries: list[Query]
    golds: dict[str, Gold]                      # query id → gold
    runs: dict[str, dict[str, QueryRun]]        # system → query id → run
    bad_lines: list[BadLine]


def _summarize(ev: Evaluation, system: str, ids: list[str]) -> dict:
    runs = ev.runs[system]
    return summarize([runs[i].ranking for i in ids], [ev.golds[i].grades for i in ids],
                     [runs[i].latency_ms for i in ids], ev.ks)


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 3) if b else None


def summary(ev: Evaluation) -> dict:
    """The JSON result. Ratios against rank-bm25 use only the queries rank-bm25 ran (--limit)."""
    order = [q.id for q in ev.queries]
    systems: dict[str, dict] = {}
    reference = ev.runs.get(REFERENCE)
    for name, runs in ev.runs.items():
        systems[name] = _summarize(ev, name, [i for i in order if i in runs])
        if reference is not None and name != REFERENCE and systems[name]["queries"]:
            common = [i for i in order if i in runs and i in reference]
            mine, ref = _summarize(ev, name, common), _summarize(ev, REFERENCE, common)
            systems[name]["vs_rank_bm25"] = {
                "queries": len(common),
                f"recall@{CUTOFF}": _ratio(mine.get(f"recall@{CUTOFF}", 0), ref.get(f"recall@{CUTOFF}", 0)),
                f"ndcg@{CUTOFF}": _ratio(mine.get(f"ndcg@{CUTOFF}", 0), ref.get(f"ndcg@{CUTOFF}", 0)),
                "speedup_p50": _ratio(ref.get("latency_ms_p50", 0), mine.get("latency_ms_p50", 0))}
    return {"benchmark": ev.benchmark, "split": ev.split, "any_version": ev.any_version,
            "type": list(ev.doc_types), "queries": len(ev.queries), "bad_lines": len(ev.bad_lines),
            "unresolved_gold": sum(len(g.unresolved) for g in ev.golds.values()), "systems": systems}


def _rows(result: dict, ks: list[int]) -> tuple[list[str], list[list[str]]]:
    """Header and cells shared by the terminal table and the markdown table; the columns
    against rank-bm25 only when it ran."""
    ratios = REFERENCE in result["systems"]
    # graded gold (LeCaRD): nDCG at every cut-off, and recall of the strongly relevant (grade ≥ 2)
    graded = [*[f"ndcg@{k}" for k in ks if k != CUTOFF], *[f"recall_strong@{k}" for k in ks]] \
        if any(f"recall_strong@{ks[0]}" in s for s in result["systems"].values()) else []
    head = ["system", "queries", *[f"R@{k}" for k in ks], f"hit@{CUTOFF}", f"MRR@{CUTOFF}", f"nDCG@{CUTOFF}",
            *[m.replace("ndcg", "nDCG").replace("recall_strong", "R≥2") for m in graded],
            "p50 ms", "p95 ms", *([f"R@{CUTOFF} ÷ {REFERENCE}", "speed-up"] if ratios else [])]
    rows = []
    for name, s in result["systems"].items():
        if not s["queries"]:
            rows.append([name, "0", *["–"] * (len(head) - 2)])
            continue
        row = [name, str(s["queries"]), *[f"{s[f'recall@{k}']:.3f}" for k in ks],
               *[f"{s[m]:.3f}" for m in (f"hit@{CUTOFF}", f"mrr@{CUTOFF}", f"ndcg@{CUTOFF}", *graded)],
               f"{s['latency_ms_p50']:.1f}", f"{s['latency_ms_p95']:.1f}"]
        if ratios:
            vs = s.get("vs_rank_bm25", {})
            ratio, speed = vs.get(f"recall@{CUTOFF}"), vs.get("speedup_p50")
            row += [f"{ratio:.2f}" if ratio is not None else "–", f"{speed:.1f}×" if speed is not None else "–"]
        rows.append(row)
    return head, rows


def _caption(result: dict) -> str:
    parts = [f"{result['queries']} queries (split {result['split']})", f"{result['unresolved_gold']} unresolved gold",
             f"{result['bad_lines']} bad lines"]
    if result["any_version"]:
        parts.append("any version")
    if result["type"]:
        parts.append("type " + ", ".join(result["type"]))
    return "; ".join(parts)


def table(result: dict, ks: list[int]) -> Table:
    head, rows = _rows(result, ks)
    out = Table(title=f"leian eval — {result['benchmark']}", caption=_caption(result))
    for i, name in enumerate(head):
        out.add_column(name, justify="left" if i == 0 else "right")
    for row in rows:
        out.add_row(*row)
    return out


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    clean = [[c.replace("|", "\\|").replace("\n", " ") for c in row] for row in [head, *rows]]
    return ["| " + " | ".join(clean[0]) + " |", "|" + "---|" * len(head),
            *["| " + " | ".join(row) + " |" for row in clean[1:]]]


def write_markdown(ev: Evaluation, result: dict, path: Path) -> Path:
    """The report and, next to it, its recall@k plot; returns the plot's path."""
    plot = path.with_name(path.stem + ".recall.png")
    plot_recall(result, ev.ks, plot)
    lines = [f"# leian eval — {ev.benchmark}", "", _caption(result), "", *_md_table(*_rows(result, ev.ks)), "",
             f"![recall@k per system]({plot.name})", ""]
    by_id = {q.id: q for q in ev.queries}
    for name, runs in ev.runs.items():
        misses = []
        for qid, run in runs.items():
            top = set(run.ranking[:CUTOFF])
            gold = ev.golds[qid]
            missed = [gold.labels[k] for k in gold.grades if k not in top and not k.startswith(UNRESOLVED)]
            if missed:
                text = by_id[qid].query.replace("\n", " ")
                misses.append([qid, text[:40] + ("…" if len(text) > 40 else ""), "；".join(missed)])
        lines += [f"## {name}: gold not in the top {CUTOFF} ({len(misses)} of {len(runs)} queries)", ""]
        lines += [*_md_table(["query", "text", "missed"], misses), ""] if misses else ["none", ""]
    unresolved = [[u.query_id, u.entry, u.reason] for g in ev.golds.values() for u in g.unresolved]
    lines += [f"## Unresolved gold ({len(unresolved)}, counted as misses)", ""]
    lines += [*_md_table(["query", "gold", "why"], unresolved), ""] if unresolved else ["none", ""]
    if ev.bad_lines:
        lines += [f"## Bad lines ({len(ev.bad_lines)}, skipped)", "",
                  *_md_table(["line", "reason"], [[str(b.line), b.reason] for b in ev.bad_lines]), ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return plot


def plot_recall(result: dict, ks: list[int], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for name, s in result["systems"].items():
        if s["queries"]:
            ax.plot(ks, [s[f"recall@{k}"] for k in ks], marker="o", label=f"{name} (n={s['queries']})")
    ax.set_xscale("log")
    ax.set_xticks(ks, [str(k) for k in ks])
    ax.set_xlabel("k")
    ax.set_ylabel("recall@k")
    ax.set_ylim(0, 1)
    ax.grid(True, alpha=0.3)
    ax.legend()
    ax.set_title(result["benchmark"])
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
