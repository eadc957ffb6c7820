"""Read one file into Documents, or say plainly why it cannot be read.

Every failure raises `Unreadable` with a reason a user can act on; the ingest loop
records it, so no file is ever dropped silently.
"""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

from corpus.cases import looks_like_cases, parse_case_markdown
from corpus.judgments import is_cjo_record, looks_like_judgment, record_to_judgment, text_to_judgment
from corpus.model import Document, Source
from corpus.records import catalogue_entries, is_case_record, is_catalogue, record_to_case
from corpus.statutes import ARTICLE_RE, parse_statute, version_date_from, version_label_from

SUPPORTED = (".md", ".txt", ".docx", ".json", ".jsonl")


class Unreadable(Exception):
    """A file that cannot become documents; the message is the reason shown to the user."""


def read_text(path: Path) -> str:
    data = path.read_bytes()
    if not data.strip():
        raise Unreadable("empty file")
    try:   # Windows line endings would hide the front matter (and its source URL) from the parsers
        return data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        raise Unreadable(f"not UTF-8 text (byte {exc.start}); re-save it as UTF-8") from None


def docx_paragraphs(path: Path) -> list[str]:
    """Paragraph texts of a Word file, table cells included (some rules put articles in tables)."""
    import docx  # python-docx; imported here so the corpus package loads without it
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError   # a damaged part inside a sound zip: the file's fault

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError) as exc:
        raise Unreadable(f"not a readable .docx (corrupt, password-protected or another format): {exc}") from None
    paragraphs = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            paragraphs.extend(cell.text for cell in row.cells)
    return paragraphs


def read_file(path: Path, display_path: str) -> tuple[list[Document], list[str]]:
    """(documents, warnings): a warning names a part of the file that was left out and why."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise Unreadable(f"unsupported file type '{suffix or path.name}'")
    if suffix == ".docx":
        paragraphs = docx_paragraphs(path)
        if looks_like_judgment("\n".join(p.strip() for p in paragraphs[:12] if p.strip())):
            return [_judgment_from_text("\n".join(paragraphs), display_path, "docx")], []
        return [_statute_from_lines(paragraphs, display_path, "docx")], []
    text = read_text(path)
    if suffix == ".json":
        return _from_json(text, display_path), []
    if suffix == ".jsonl":
        return _from_jsonl(text, display_path)
    return _from_markdown(text, display_path, suffix.lstrip(".")), []


def _statute_from_lines(lines: list[str], path: str, fmt: str) -> Document:
    stripped = [l.strip() for l in lines]
    if not any(stripped):
        raise Unreadable("no text in the document")
    title_at = next(i for i, l in enumerate(stripped) if l)
    title = stripped[title_at].lstrip("#").strip()
    if fmt == "docx":   # Word titles wrap over several paragraphs; the file name holds the whole title
        title = _title_from_name(path) or title
    body = stripped[title_at + 1:]
    if "<!-- INFO END -->" in body:       # LawRefBook markdown: the header holds the version history
        cut = body.index("<!-- INFO END -->")
        header, body = body[:cut], body[cut + 1:]
    else:
        header = body[:6]
    body = _without_distribution_list(body)
    if not any(body):
        raise Unreadable("only a title: no articles (第N条), case sections or paragraphs of text")
    date = version_date_from(path, header)
    doc = parse_statute(title, body, path, date)
    doc.version_label = version_label_from(header, date)
    doc.sources = [Source(path=path, format=fmt)]
    return doc


_DISTRIBUTION_RE = re.compile(r"^(?:主送|抄送|分送|发送)[：:]|印发$")


def _without_distribution_list(body: list[str]) -> list[str]:
    """Cut the office's distribution list (主送：… 抄送：… 2019年12月30日印发) that Word copies end
    with: it is no part of the last article, and left there the Word copy of a version differs
    from its markdown twin."""
    for i, line in enumerate(body):
        if i >= len(body) // 2 and _DISTRIBUTION_RE.search(line) and not any(
                ARTICLE_RE.match(rest.strip()) or rest.strip().startswith("附件") for rest in body[i + 1:]):
            return body[:i]   # a 抄送 inside a template (附件) with more text after it is no distribution list
    return body


def _title_from_name(path: str) -> str:
    stem = re.sub(r"[_\s]*\d{8}$", "", Path(path).stem).replace("+", "")
    return stem if len(re.findall(r"[\u4e00-\u9fff]", stem)) >= 4 else ""


def _judgment_from_text(text: str, path: str, fmt: str) -> Document:
    doc = text_to_judgment(text, path, fmt)
    if doc is None:
        raise Unreadable("a court judgment with no facts (经审理查明), reasoning (本院认为) or outcome (判决如下)")
    return doc


def _from_markdown(text: str, path: str, fmt: str) -> list[Document]:
    if Path(path).name.lower() == "readme.md":   # it quotes 【要旨】 heads: it would become a "case"
        raise Unreadable("folder notes (README), not a document")
    if Path(path).name == "_index.md" or (text.startswith("---") and text.count("\n") < 12 and "第" not in text):
        raise Unreadable("folder description (front matter only), not a document")
    if looks_like_judgment(text.lstrip("#").lstrip()):
        return [_judgment_from_text(text, path, fmt)]
    if looks_like_cases(text):
        docs, _ = parse_case_markdown(text, path)
        if not docs:
            raise Unreadable("looks like a case batch but splits into zero cases")
        return docs
    return [_statute_from_lines(text.splitlines(), path, fmt)]


def _from_json(text: str, path: str) -> list[Document]:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Unreadable(f"invalid JSON at line {exc.lineno}: {exc.msg}") from None
    if is_catalogue(obj):
        return catalogue_entries(obj, path)
    if is_cjo_record(obj):   # one China Judgments Online record per file
        doc = record_to_judgment(obj, path, "", "json")
        if doc is None:
            raise Unreadable("judgment record (ajjbqk/cpfxgc/pjjg/qw) with no facts, reasoning or outcome")
        return [doc]
    records = list(obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) else [])
    judgments = [d for key, rec in records if is_cjo_record(rec)
                 for d in [record_to_judgment(rec, path, str(key), "json")] if d]
    if judgments:
        return judgments
    docs = [d for key, rec in records if is_case_record(rec)
            for d in [record_to_case(rec, path, str(key), "json")] if d]
    if not docs:
        raise Unreadable("JSON holds no case records (facts/holding fields) nor judgment records "
                         "(ajjbqk/qw fields) and is not a catalogue")
    return docs


def _from_jsonl(text: str, path: str) -> tuple[list[Document], list[str]]:
    """Bad lines are reported but do not sink the good ones."""
    docs, bad = [], []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            bad.append(n)
            continue
        doc = (record_to_judgment(rec, path, f"line {n}", "jsonl") if is_cjo_record(rec)
               else record_to_case(rec, path, f"line {n}", "jsonl") if is_case_record(rec) else None)
        if doc:
            docs.append(doc)
        else:
            bad.append(n)
    if not docs:
        raise Unreadable(f"no valid case records (bad lines: {_ranges(bad)})")
    return docs, [f"skipped lines that are not valid case records: {_ranges(bad)}"] if bad else []


def _ranges(numbers: list[int]) -> str:
    return ", ".join(map(str, numbers[:10])) + (" …" if len(numbers) > 10 else "")
