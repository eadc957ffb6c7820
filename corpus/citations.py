"""Citations as procurators write them: 矿产资源法第74条, 《刑法》第一百二十条之一, 检例第28号.

Keys are version-free and article-level, so a citation of any version (or any 款/项)
finds the article in whichever version the corpus holds.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from corpus.numerals import cn_to_int, int_to_cn

_NUM = r"[0-9０-９]+|[零〇一二两三四五六七八九十百千万]+"
_LOOKBACK = 300  # chars searched before 第…条 for the law's name

# One list element: 第N条(之N)(第N款)(第N项)(（现为…第N条）). 条 may be left out when the
# element continues the previous article (第一款、第二款); empty matches are dropped.
_ELEMENT_RE = re.compile(rf"""
    (?=第)
    (?:第\s*(?P<art>{_NUM})\s*条(?:之(?P<sub>{_NUM}))?)?
    (?:第\s*(?P<par>{_NUM})\s*款)?
    (?:第\s*[（(]?(?P<item>{_NUM})[）)]?\s*项)?
    (?:\s*[（(]现为(?:(?P<ry>[0-9０-９]{{4}})年[^（）()第]*)?第\s*(?P<ra>{_NUM})\s*条[）)])?
""", re.X)
_LIST_SEP_RE = re.compile(r"\s*(?:、|和|及|以及|与|或者|或)\s*")

# Parenthesised notes between a title and 第…条: （2017年修正）, （试行）, （以下简称…）.
_TRAILING_NOTES_RE = re.compile(r"(?:\s*[（(][^（）()]*[）)])*\s*$")
# （一）（二）: a numbered series of interpretations; the ordinal is part of the title, not a note.
# 宪法修正案（1988年）: there the year names the amendment too.
_SERIES_RE = re.compile(r"\s*[（(](?:[一二三四五六七八九十]{1,3}|(?<=修正案[（(])[0-9０-９]{4}年)[）)]")
_YEAR_RE = re.compile(r"[（(][^（）()]*?([0-9０-９]{4}|[〇零一二三四五六七八九]{4})年")
# A bare title's text: CJK, short names quoted inside it (关于适用《民法典》有关…的解释), a series
# ordinal, and the 、 that joins the two issuers of a 两高 interpretation.
_NAME_RUN_RE = re.compile(r"(?:[\u4e00-\u9fff]|《[^《》]{1,60}》|〈[^〈〉]{1,60}〉|（[一二三四五六七八九十]{1,3}）"
                          r"|(?<=修正案)（[0-9０-９]{4}年）"
                          r"|(?<=最高人民法院)、(?=最高人民检察院))+$")
_SERIES_TAIL_RE = re.compile(r"（(?:[一二三四五六七八九十]{1,3}|[0-9０-９]{4}年)）$")
_LAW_SUFFIX_RE = re.compile(r"(?:法典|法|条例|规定|规则|解释|办法|修正案)$")
_DEICTIC_RE = re.compile(r"(?:本|该|此|同|上述|前述|相关|有关)(?:法典|法|条例|规定|规则|解释|办法)")
# Where a bare law name can start inside a run of CJK text. `keep` lists words that contain
# a stop character but belong to law names (中华人民共和国, 对外贸易法, 突发事件应对法,
# 涉外民事关系法律适用法, …); `issuer` starts a judicial interpretation's title.
_NAME_START_RE = re.compile(r"""
    (?P<keep>中华人民共和国|对外|应对|卫生与|地位和|法律适用)
  | (?P<issuer>(?:(?:最高人民法院|最高人民检察院|最高法|最高检|两高|国务院|全国人民代表大会常务委员会
                   |全国人大常委会)[、和]?)*关于)
  | (?P<stop>依据|根据|依照|按照|违反|适用|参照|触犯|援引|符合|[的了和及与或对依按在是为即])
""", re.X)

_CASE_RE = re.compile(rf"""
    检例\s*第?\s*(?P<spp>{_NUM})\s*号
  | (?P<spp_org>最高人民检察院|最高检)?指导性?案例\s*第?\s*(?P<spc>{_NUM})\s*号
  | (?:(?P<org>最高人民检察院|最高检|最高人民法院|最高法)[^，。；\s第]{{0,8}}?)?
    第\s*(?P<batch>{_NUM})\s*批\s*指导性?案例
""", re.X)

_PARENS = str.maketrans("()", "（）")
_VERSION_NOTE_RE = re.compile(r"（(?:[^（）]*(?:年|修正|修订|修改|通过)[^（）]*|试行)）$")
# 宪法修正案（1988年）: the year names the amendment, not a version of it; each is its own text.
_AMENDMENT_RE = re.compile(r"修正案（[^（）]*年）$")
_NOT_NATIONAL = ("最高", "国务院", "人民检察院", "人民法院", "全国人民代表大会", "全国人大")
_PUNCT = " \t\r\n\u3000,.;:!?，。；：！？、\"'“”‘’"
_WRAPPED_RE = re.compile(r"《?[^《》]*》?")


@dataclass(frozen=True)
class Citation:
    kind: str                    # "article" | "spp_case" | "spc_case" | "spp_batch"
    law: str = ""                # law_key() of the title
    article: int = 0
    article_sub: int = 0         # 之一 → 1
    paragraph: int = 0           # 款; 0 = whole article
    item: int = 0                # 项
    version_year: int = 0        # （2017年修正） → 2017
    renumbered_year: int = 0     # （现为2022年修正后的第七十六条） → 2022
    renumbered_article: int = 0  # … → 76
    number: int = 0              # case or batch number
    raw: str = ""
    start: int = 0
    end: int = 0

    @property
    def key(self) -> str:
        if self.kind == "article":
            return f"{self.law}#{self.article}" + (f".{self.article_sub}" if self.article_sub else "")
        return f"{self.kind.removesuffix('_case')}#{self.number}"

    def render(self) -> str:
        if self.kind == "spp_case":
            return f"检例第{self.number}号"
        if self.kind == "spc_case":
            return f"指导案例{self.number}号"
        if self.kind == "spp_batch":
            return f"最高人民检察院第{int_to_cn(self.number)}批指导性案例"
        title = ("中华人民共和国" if _is_national_law(self.law) else "") + self.law
        return (f"《{title}》{article_label(self.article, self.article_sub)}"
                + (f"第{int_to_cn(self.paragraph)}款" if self.paragraph else "")
                + (f"第{int_to_cn(self.item)}项" if self.item else ""))


def law_key(title: str) -> str:
    """One key for every version and spelling of a title, so citations meet statutes."""
    t = re.sub(r"\s+", "", title).translate(_PARENS).replace("《", "").replace("》", "")
    while (m := _VERSION_NOTE_RE.search(t)) and not _AMENDMENT_RE.search(t):
        t = t[:m.start()]
    return t.replace("〈", "").replace("〉", "").replace("中华人民共和国", "")


def render_key(key: str) -> str:
    """An article key (刑法#133.1) as a citation (《中华人民共和国刑法》第一百三十三条之一), for
    articles of laws the corpus does not hold."""
    law, _, number = key.rpartition("#")
    article, _, sub = number.partition(".")
    if not law or not article.isdigit():
        return key
    return Citation("article", law=law, article=int(article), article_sub=int(sub) if sub.isdigit() else 0).render()


def article_label(number: int, sub: int = 0) -> str:
    return f"第{int_to_cn(number)}条" + (f"之{int_to_cn(sub)}" if sub else "")


def parse_citations(text: str) -> list[Citation]:
    """Every article, case and batch citation in `text`, in order of position."""
    found = _article_citations(text)
    for m in _CASE_RE.finditer(text):
        if (c := _case_citation(m)) and not any(f.start < c.end and c.start < f.end for f in found):
            found.append(c)
    return sorted(found, key=lambda c: c.start)


def parse_citation(query: str) -> Citation | None:
    """The citation when the whole query is one (a lookup, not a search); else None."""
    q = query.strip(_PUNCT)
    if _WRAPPED_RE.fullmatch(q):  # 《矿产资源法第七十四条》: the marks wrap the whole query
        q = q.strip("《》")
    found = parse_citations(q)
    if len(found) != 1:
        return None
    c = found[0]
    if (q[:c.start] + q[c.end:]).strip(_PUNCT + "《》"):
        return None
    offset = query.find(q)  # spans refer to the query as given
    return replace(c, start=c.start + offset, end=c.end + offset)


def _is_national_law(title: str) -> bool:
    """Laws of the NPC carry the 中华人民共和国 prefix in their full title; nothing else does."""
    return (title.endswith(("法", "法典")) and not title.endswith("办法")
            and not title.startswith(_NOT_NATIONAL) and "关于" not in title)


def _article_citations(text: str) -> list[Citation]:
    # Adjacent elements joined only by a separator form one list sharing one law.
    groups: list[list[re.Match[str]]] = []
    for m in _ELEMENT_RE.finditer(text):
        if not (m.group("art") or m.group("par") or m.group("item")):
            continue
        if groups and _LIST_SEP_RE.fullmatch(text, groups[-1][-1].end(), m.start()):
            groups[-1].append(m)
        else:
            groups.append([m])
    out: list[Citation] = []
    prev_end = 0
    for group in groups:
        first = group[0].start()
        law = _law_before(text[max(prev_end, first - _LOOKBACK):first])
        prev_end = group[-1].end()
        if law is None:
            continue
        name, year, name_len = law
        article = sub = par = 0
        for i, m in enumerate(group):
            if m.group("art"):
                article, sub, par = _num(m, "art"), _num(m, "sub"), 0
            if m.group("par"):
                par = _num(m, "par")
            if not article:  # 第二款 with no article before it in the list
                continue
            start = first - name_len if i == 0 else m.start()
            out.append(Citation("article", law=name, article=article, article_sub=sub, paragraph=par,
                                item=_num(m, "item"), version_year=year,
                                renumbered_year=_num(m, "ry"), renumbered_article=_num(m, "ra"),
                                raw=text[start:m.end()], start=start, end=m.end()))
    return out


def _law_before(window: str) -> tuple[str, int, int] | None:
    """(law key, version year, chars from the name's start to 第) of the law ending `window`."""
    if window.rfind("《") > window.rfind("》"):  # 第…条 inside a title, e.g. 《关于适用刑法第六十四条…》
        return None
    head = window[:_TRAILING_NOTES_RE.search(window).start()]
    series = _SERIES_RE.match(window, len(head))
    if series:   # 解释（一）第二条: the ordinal stays with the title
        head = window[:series.end()]
    notes = window[len(head):]
    if head.endswith("》") or (series and head[:series.start()].endswith("》")):
        quoted_end = head.rfind("》")
        start = _opening_mark(head, quoted_end)
        if start < 0:
            return None
        title = head[start + 1:quoted_end] + head[quoted_end + 1:]
    else:
        run = _NAME_RUN_RE.search(head)
        title = _bare_name(run.group()) if run else ""
        if not title:
            return None
        start = len(head) - len(title)
    year = _YEAR_RE.search(title + notes)
    return law_key(title), cn_to_int(year.group(1)) if year else 0, len(window) - start


def _opening_mark(text: str, close: int) -> int:
    """Where the 《 that the 》 at `close` closes stands (titles nest: 《关于适用《民法典》…的解释》)."""
    depth = 0
    for i in range(close, -1, -1):
        depth += {"》": 1, "《": -1}.get(text[i], 0)
        if depth == 0:
            return i
    return -1


def _bare_name(run: str) -> str:
    """The law name that ends a run of CJK text: cut after the last verb, preposition or 的
    that still leaves a name (依据矿产资源法 → 矿产资源法; …若干问题的解释 keeps its 的)."""
    suffix = _LAW_SUFFIX_RE.search(_SERIES_TAIL_RE.sub("", run))
    if not suffix:
        return ""
    cut = 0
    for m in _NAME_START_RE.finditer(run):
        if m.lastgroup == "issuer":
            cut = m.start()
            break
        if m.lastgroup == "stop" and len(run) - m.end() > len(suffix.group()):
            cut = m.end()
    name = run[cut:]
    return "" if _DEICTIC_RE.fullmatch(_SERIES_TAIL_RE.sub("", name)) else name


def _case_citation(m: re.Match[str]) -> Citation | None:
    if m.group("spp"):
        kind, number = "spp_case", _num(m, "spp")
    elif m.group("spc"):
        kind, number = ("spp_case" if m.group("spp_org") else "spc_case"), _num(m, "spc")
    elif m.group("org") in ("最高人民法院", "最高法"):  # batches are only tracked for the SPP
        return None
    else:
        kind, number = "spp_batch", _num(m, "batch")
    return Citation(kind, number=number, raw=m.group(), start=m.start(), end=m.end()) if number else None


def _num(m: re.Match[str], group: str) -> int:
    return cn_to_int(m.group(group) or "") or 0
