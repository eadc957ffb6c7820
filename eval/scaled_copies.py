"""K distinct copies of a folder of China Judgments Online records, to measure how a build's memory
and time grow with the number of judgments (README, "Judgments", Scale).

Copy c > 0 of a record gets c appended to its 案号's sequence number, `ajId` and `writId`, so
ingest reads it as another judgment of another case. Files that are not such records are left out.

    python -m eval.scaled_copies ../shared/lecard-dev/candidates /tmp/judgments-x4 4
    /usr/bin/time -v leian build --corpus /tmp/judgments-x4 --no-dense --index /tmp/index-x4
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from corpus.judgments import CASE_NO_RE, is_cjo_record


def renumbered(record: dict, copy: int) -> dict:
    if copy == 0:
        return record
    out = dict(record)
    def bump(m) -> str:
        return m.string[m.start():m.start("seq")] + f"{m.group('seq')}{copy:02d}" + m.string[m.end("seq"):m.end()]

    if isinstance(out.get("qw"), str):   # the full text's first 案号 is the one its id is made of
        out["qw"] = CASE_NO_RE.sub(bump, out["qw"], count=1)
    for key in ("ajId", "writId"):
        if out.get(key):
            out[key] = f"{out[key]}-{copy}"
    return out


def write_copies(source: Path, target: Path, copies: int) -> int:
    """Files written; each copy in its own folder (target/c0, target/c1 …)."""
    written = 0
    for path in sorted(source.rglob("*")):
        if path.suffix not in (".json", ".jsonl") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        try:
            records = [json.loads(line) for line in text.splitlines() if line.strip()] if path.suffix == ".jsonl" \
                else json.loads(text)
        except json.JSONDecodeError:
            continue
        single = isinstance(records, dict)
        records = [records] if single else records
        if not isinstance(records, list) or not records or not all(is_cjo_record(r) for r in records):
            continue
        for copy in range(copies):
            out = target / f"c{copy}" / path.relative_to(source)
            out.parent.mkdir(parents=True, exist_ok=True)
            made = [renumbered(r, copy) for r in records]
            if path.suffix == ".jsonl":
                out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in made), encoding="utf-8")
            else:
                out.write_text(json.dumps(made[0] if single else made, ensure_ascii=False), encoding="utf-8")
            written += 1
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.scaled_copies", description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="folder of China Judgments Online records (.json / .jsonl)")
    parser.add_argument("target", type=Path, help="folder to write the copies into (must not exist)")
    parser.add_argument("copies", type=int, help="how many copies (1 = the records as they are)")
    args = parser.parse_args(argv)
    if args.copies < 1:
        parser.error("copies must be at least 1")
    if args.target.exists():
        parser.error(f"{args.target} exists: give a new folder")
    written = write_copies(args.source, args.target, args.copies)
    if not written:
        parser.error(f"no China Judgments Online records under {args.source}")
    print(f"{written} files written under {args.target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
