"""Legal vocabulary mined from the corpus: user-dictionary terms and charge → 刑法 article.

Mined, not hand-listed, so a corpus with new laws or new charges (罪名补充规定) teaches
the tokenizer and the charge lookup without a code change.
"""
from __future__ import annotations

import re

from corpus.domains import DOMAIN_CUES, PROCEDURES
from corpus.model import Document
from corpus.numerals import cn_to_int

# 187．盗窃罪（第264条） in 关于适用刑法分则规定的犯罪的罪名的意见 and 确定罪名的规定.
_CHARGE_LIST_RE = re.compile(r"([\u4e00-\u9fff、]{2,40}?罪)\s*[（(]第(\d+)条")
# 将《刑法》第一百六十九条（…）的罪名由“A罪”修改为“B罪” / 第X条（…）（B罪） in the supplements.
_CHARGE_RENAME_RE = re.compile(r"第([零一二三四五六七八九十百]+)条[^“]{0,60}?(?:修改为|确定为|罪名为)“([^”]{2,40}罪)”")
_CHARGE_QUERY_RE = re.compile(r"罪名[:：\s]*([\u4e00-\u9fff、]{2,40}?)(?:罪|[\s,，。；;]|$)")


def charge_table(docs: list[Document]) -> dict[str, int]:
    """Charge name (without 罪 and as written) → the 刑法 article that defines it; later documents win."""
    table: dict[str, int] = {}
    sources = [d for d in docs if "罪名" in d.title and not d.stub]
    for doc in sorted(sources, key=lambda d: d.version_date):
        for unit in doc.units:
            for name, number in _CHARGE_LIST_RE.findall(unit.text):
                _add_charge(table, name, int(number))
            for number, name in _CHARGE_RENAME_RE.findall(unit.text):
                n = cn_to_int(number)
                if n:
                    _add_charge(table, name, n)
    return table


def _add_charge(table: dict[str, int], name: str, number: int) -> None:
    name = name.strip("、")
    if len(name) >= 2 and 100 <= number <= 452:   # 刑法分则 runs from 第一百零二条 to 第四百五十一条
        table[name] = number


def charges_in(query: str, table: dict[str, int]) -> list[tuple[str, int]]:
    """Charges a query names: 罪名：盗窃 / 盗窃罪 / 涉嫌非法采矿罪 — longest name first."""
    found: dict[str, int] = {}
    for m in _CHARGE_QUERY_RE.finditer(query):
        name = m.group(1) + "罪"
        if name in table:
            found[name] = table[name]
    for name in sorted(table, key=len, reverse=True):
        if name in query and not any(name in longer for longer in found):
            found[name] = table[name]
    return list(found.items())


def user_terms(docs: list[Document], charges: dict[str, int]) -> set[str]:
    """Law short titles, case keywords, charge names and PIL terms for the jieba dictionary."""
    terms: set[str] = set(charges) | {c[:-1] for c in charges if len(c) > 3}
    terms |= set(DOMAIN_CUES) | {cue for cues in DOMAIN_CUES.values() for cue in cues} | set(PROCEDURES)
    for doc in docs:
        if doc.law_key and len(doc.law_key) <= 16 and doc.level in ("law", "administrative_regulation"):
            terms.add(doc.law_key)
        terms.update(k for k in doc.keywords if 2 <= len(k) <= 12)
    return terms
