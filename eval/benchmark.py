"""The benchmark file format: JSONL, one query per line.

    {"id": "q1", "query": "…", "relevant": ["矿产资源法第七十四条", "spp:28", "law:…#a74"],
     "grades": {"矿产资源法第七十四条": 2}, "filters": {"type": "statute"}, "split": "test"}

Users bring these files by hand, so a bad line is reported with its number and skipped:
one typo must not cost the other five hundred queries.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from indexer.filters import BadFilter, Filters
from indexer.search import MAX_QUERY_CHARS

SPLITS = ("test", "dev")
# benchmark filter name → Filters field; the list-valued ones take a string or a list of strings
_LIST_FILTERS = {"type": "doc_types", "domain": "domains", "procedure": "procedures", "level": "levels",
                 "exclude_units": "exclude_units", "charge": "charges", "doc_ids": "doc_ids"}
_YEAR_FILTERS = ("year_from", "year_to")


@dataclass
class Query:
    id: str
    query: str
    relevant: list[str]
    line: int
    grades: dict[str, int] = field(default_factory=dict)
    filters: Filters = field(default_factory=Filters)
    split: str = ""


@dataclass
class BadLine:
    line: int
    reason: str


@dataclass
class Benchmark:
    name: str
    queries: list[Query]
    bad_lines: list[BadLine]


def load_benchmark(path: Path) -> Benchmark:
    """Raises OSError when the file cannot be read; bad lines never raise."""
    return parse_benchmark(path.read_bytes().splitlines(), path.stem)


def parse_benchmark(lines: list[bytes], name: str) -> Benchmark:
    queries: list[Query] = []
    bad: list[BadLine] = []
    first_line_of: dict[str, int] = {}
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            query = parse_line(raw.decode("utf-8-sig" if number == 1 else "utf-8"), number)
        except UnicodeDecodeError:
            bad.append(BadLine(number, "not UTF-8 text"))
            continue
        except ValueError as exc:
            bad.append(BadLine(number, str(exc)))
            continue
        if query.id in first_line_of:
            bad.append(BadLine(number, f"duplicate id {query.id!r} (first on line {first_line_of[query.id]})"))
            continue
        first_line_of[query.id] = number
        queries.append(query)
    return Benchmark(name, queries, bad)


def parse_line(text: str, number: int) -> Query:
    """One line → Query; ValueError with the reason when the line is unusable."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(data, dict):
        raise ValueError("a line must be a JSON object")
    qid, query, relevant = data.get("id"), data.get("query"), data.get("relevant")
    if not isinstance(qid, str) or not qid.strip():
        raise ValueError('"id" must be a non-empty string')
    if not isinstance(query, str) or not query.strip():
        raise ValueError('"query" must be a non-empty string')
    if len(query) > MAX_QUERY_CHARS:
        raise ValueError(f'"query" is {len(query)} characters; the limit is {MAX_QUERY_CHARS}')
    if not isinstance(relevant, list) or not relevant:
        raise ValueError('"relevant" must be a non-empty list')
    if not all(isinstance(r, str) and r.strip() for r in relevant):
        raise ValueError('"relevant" entries must be non-empty strings')
    relevant = list(dict.fromkeys(r.strip() for r in relevant))
    split = data.get("split", "")
    if split and split not in SPLITS:
        raise ValueError(f'"split" must be one of {", ".join(SPLITS)}, got {split!r}')
    return Query(qid.strip(), query.strip(), relevant, number, parse_grades(data.get("grades"), relevant),
                 parse_filters(data.get("filters")), split)


def parse_grades(grades: object, relevant: list[str]) -> dict[str, int]:
    if grades is None:
        return {}
    if not isinstance(grades, dict):
        raise ValueError('"grades" must be an object {relevant entry: grade}')
    for entry, grade in grades.items():
        if entry not in relevant:
            raise ValueError(f'"grades" names {entry!r}, which is not in "relevant"')
        if not isinstance(grade, int) or isinstance(grade, bool) or grade < 1:
            raise ValueError(f'grade of {entry!r} must be a whole number ≥ 1, got {grade!r}')
    return dict(grades)


def parse_filters(data: object) -> Filters:
    if data is None:
        return Filters()
    if not isinstance(data, dict):
        raise ValueError('"filters" must be an object')
    values: dict = {}
    for name, value in data.items():
        if name in _LIST_FILTERS:
            items = [value] if isinstance(value, str) else value
            if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
                raise ValueError(f"filter {name!r} must be a string or a list of strings")
            values[_LIST_FILTERS[name]] = tuple(items)
        elif name in _YEAR_FILTERS:
            if not isinstance(value, int) or isinstance(value, bool):
                raise ValueError(f"filter {name!r} must be a year (a whole number)")
            values[name] = value
        elif name == "all_versions":
            if not isinstance(value, bool):
                raise ValueError("filter 'all_versions' must be true or false")
            values[name] = value
        else:
            known = ", ".join([*_LIST_FILTERS, *_YEAR_FILTERS, "all_versions"])
            raise ValueError(f"unknown filter {name!r}; known: {known}")
    try:
        return Filters(**values).validate()
    except BadFilter as exc:
        raise ValueError(str(exc)) from None


def restrict(filters: Filters, doc_types: tuple[str, ...], all_versions: bool) -> Filters:
    """A query's filters under the command line's --type and --any-version: both apply, so
    the types narrow to those both allow; ValueError when none is left."""
    if doc_types:
        kept = tuple(t for t in filters.doc_types if t in doc_types) if filters.doc_types else doc_types
        if not kept:
            raise ValueError(f"its type filter ({', '.join(filters.doc_types)}) excludes every --type "
                             f"({', '.join(doc_types)})")
        filters = replace(filters, doc_types=kept)
    return replace(filters, all_versions=True) if all_versions else filters
