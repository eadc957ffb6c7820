"""One document per text: versions ordered, copies merged, parts joined; citations resolved."""
import copy
from pathlib import Path

import docx

from corpus.ingest import ingest
from corpus.merge import SAME_TEXT, SAME_VERSION, merge_statutes, version_problems, version_table
from corpus.resolve import Resolver


def _law(title: str, history: str, articles: dict[str, str]) -> str:
    body = "\n\n".join(f"第{n}条 {text}" for n, text in articles.items())
    return f"# {title}\n\n{history}\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n{body}\n"


OLD = _law("中华人民共和国某某法", "1986年3月19日 通过\n\n2009年8月27日 第二次修正",
           {"一": "旧法第一条。", "二": "旧法第二条。", "三": "旧法第三条：开采需许可。", "六十一": "旧法第六十一条：罚款。"})
NEW = _law("中华人民共和国某某法", "1986年3月19日 通过\n\n2024年11月8日 修订",
           {"一": "新法第一条。", "二": "新法第二条。", "三": "新法第三条：开采需登记。", "七十四": "新法第七十四条：没收。",
            "七十六": "新法第七十六条：罚款并责令改正。"})


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _docs(root: Path) -> dict:
    result = ingest([root])
    assert result.skipped == []
    return {d.doc_id: d for d in result.documents}


def test_newest_version_is_current_and_older_point_to_it(tmp_path):
    _write(tmp_path, "经济法/某某法(2009-08-27).md", OLD)
    _write(tmp_path, "经济法/某某法(2024-11-08).md", NEW)
    docs = _docs(tmp_path)
    old, new = docs["law:某某法@2009-08-27"], docs["law:某某法@2024-11-08"]
    assert (new.validity, new.superseded_by, new.version_label) == ("current", "", "2024年修订")
    assert (old.validity, old.superseded_by, old.version_label) == ("superseded", "law:某某法@2024-11-08", "2009年修正")
    assert old.law_key == new.law_key == "某某法"
    assert ingest([tmp_path]).summary()["superseded_versions"] == 1


def test_three_versions(tmp_path):
    mid = _law("中华人民共和国某某法", "2017年6月27日 修正", {"一": "中间版本第一条。", "二": "中间版本第二条。"})
    _write(tmp_path, "某某法(2009-08-27).md", OLD)
    _write(tmp_path, "某某法(2024-11-08).md", NEW)
    _write(tmp_path, "某某法(2017-06-27).md", mid)
    docs = _docs(tmp_path)
    assert [(d.version_date, d.validity, d.superseded_by) for d in sorted(docs.values(), key=lambda d: d.version_date)] == [
        ("2009-08-27", "superseded", "law:某某法@2024-11-08"),
        ("2017-06-27", "superseded", "law:某某法@2024-11-08"),
        ("2024-11-08", "current", "")]


INTERPRETATION = "最高人民法院关于审理某某案件适用法律若干问题的解释"
ARTICLES = ["为正确审理某某案件，根据有关法律规定，制定本解释。", "人民法院审理某某案件，应当依法进行。",
            "本解释自2021年1月1日起施行。"]


def test_same_text_as_markdown_and_word_is_one_document_with_two_sources(tmp_path):
    _write(tmp_path, f"司法解释/{INTERPRETATION}(2020-12-29).md",
           _law(INTERPRETATION, "2020年12月29日 修正", dict(zip(("一", "二", "三"), ARTICLES))))
    document = docx.Document()
    document.add_paragraph("最高人民法院关于审理某某案件")
    document.add_paragraph("适用法律若干问题的解释")
    for n, text in zip(("一", "二", "三"), ARTICLES):
        document.add_paragraph(f"第{n}条　{text}")
    (tmp_path / "rules").mkdir()
    document.save(str(tmp_path / "rules" / f"{INTERPRETATION}_20201229.docx"))
    docs = _docs(tmp_path)
    assert list(docs) == [f"law:{INTERPRETATION}@2020-12-29"]
    doc = docs[f"law:{INTERPRETATION}@2020-12-29"]
    assert sorted(s.format for s in doc.sources) == ["docx", "md"]
    assert doc.sources[0].format == "md"                 # the markdown copy is the one kept
    assert [u.label for u in doc.units] == ["第一条", "第二条", "第三条"]
    assert (doc.validity, doc.level) == ("current", "judicial_interpretation")


def test_same_title_and_date_is_one_version_with_the_fuller_text(tmp_path):
    """Two files of one title and date are the same version (a Word copy with a 公告 preamble
    differs in text): one document, both files recorded with the reason."""
    _write(tmp_path, "a/某某规定(2020-01-01).md", _law("某某规定", "", {"一": "甲文本。", "二": "甲第二条。"}))
    _write(tmp_path, "b/某某规定(2020-01-01).md",
           _law("某某规定", "", {"一": "乙文本。", "二": "乙第二条。", "三": "乙第三条。"}))
    docs = _docs(tmp_path)
    assert list(docs) == ["law:某某规定@2020-01-01"]
    doc = docs["law:某某规定@2020-01-01"]
    assert [u.unit_id for u in doc.units] == [f"law:某某规定@2020-01-01#a{n}" for n in (1, 2, 3)]
    assert [(s.path.split("/")[-2], s.merged) for s in doc.sources] == [("a", ""), ("b", SAME_VERSION)]
    assert version_problems(list(docs.values())) == []


def test_same_date_other_title_keeps_both_with_distinct_ids(tmp_path):
    """某某规定（试行） and 某某规定 share a key and a date but are two texts."""
    _write(tmp_path, "a/某某规定(2020-01-01).md", _law("某某规定", "", {"一": "甲文本。", "二": "甲第二条。"}))
    _write(tmp_path, "b/某某规定（试行）(2020-01-01).md", _law("某某规定（试行）", "", {"一": "乙文本。", "二": "乙第二条。"}))
    docs = _docs(tmp_path)
    assert sorted(docs) == ["law:某某规定@2020-01-01", "law:某某规定@2020-01-01~1"]
    other = docs["law:某某规定@2020-01-01~1"]
    assert [u.unit_id for u in other.units] == ["law:某某规定@2020-01-01~1#a1", "law:某某规定@2020-01-01~1#a2"]
    assert all(u.doc_id == other.doc_id for u in other.units)


def test_versions_with_identical_first_articles_stay_two_versions(tmp_path):
    """Amendments rarely touch 第一至三条: equal first articles do not make two dates one text."""
    same_start = {"一": "为了规范民事诉讼，制定本法。", "二": "本法的任务是保护当事人。", "三": "人民法院受理民事诉讼。"}
    _write(tmp_path, "民事诉讼法(2021-12-24).md", _law("中华人民共和国民事诉讼法", "2021年12月24日 第四次修正",
                                                   {**same_start, "五十八": "旧第五十八条：公益诉讼。"}))
    _write(tmp_path, "民事诉讼法(2023-09-01).md", _law("中华人民共和国民事诉讼法", "2023年9月1日 第五次修正",
                                                   {**same_start, "五十八": "新第五十八条：公益诉讼，检察院可以支持起诉。"}))
    docs = _docs(tmp_path)
    assert sorted(docs) == ["law:民事诉讼法@2021-12-24", "law:民事诉讼法@2023-09-01"]
    assert (docs["law:民事诉讼法@2023-09-01"].validity, docs["law:民事诉讼法@2021-12-24"].validity) == \
        ("current", "superseded")
    res = Resolver(list(docs.values())).resolve_text("民事诉讼法第五十八条")
    assert (res.status, res.unit_id) == ("ok", "law:民事诉讼法@2023-09-01#a58")


def test_identical_text_under_two_dates_is_one_version(tmp_path):
    """The same interpretation filed under its issue date and its effective date: one text."""
    body = _law(INTERPRETATION, "", dict(zip(("一", "二", "三"), ARTICLES)))
    _write(tmp_path, f"{INTERPRETATION}(2022-04-01).md", body)
    _write(tmp_path, f"{INTERPRETATION}(2022-04-10).md", body.replace("。", "．", 1))
    docs = _docs(tmp_path)
    assert list(docs) == [f"law:{INTERPRETATION}@2022-04-01"]
    assert [s.merged for s in docs[f"law:{INTERPRETATION}@2022-04-01"].sources] == ["", SAME_TEXT]
    assert version_problems(list(docs.values())) == []


def test_constitutional_amendments_are_separate_documents(tmp_path):
    for year, first in (("1988", "一"), ("1993", "三"), ("1999", "十二")):
        _write(tmp_path, f"宪法/宪法修正案（{year}年）.md",
               _law(f"中华人民共和国宪法修正案（{year}年）", f"{year}年3月15日 通过",
                    {first: f"{year}年修正案第一条。", "九十九": f"{year}年修正案又一条。"}))
    docs = _docs(tmp_path)
    assert len(docs) == 3 and all(d.validity == "current" for d in docs.values())
    assert sorted(d.law_key for d in docs.values()) == ["宪法修正案（1988年）", "宪法修正案（1993年）", "宪法修正案（1999年）"]
    resolver = Resolver(list(docs.values()))
    res = resolver.resolve_text("宪法修正案（1993年）第三条")
    assert res.unit_id == "law:宪法修正案（1993年）@1993-03-15#a3"
    assert resolver.resolve_text("宪法修正案（1988年）第一条").unit_id == "law:宪法修正案（1988年）@1988-03-15#a1"
    assert resolver.resolve_text("宪法修正案第一条").status == "unknown_law"   # which one? the year is the name
    assert resolver.series("宪法修正案") == [f"中华人民共和国宪法修正案（{y}年）" for y in (1988, 1993, 1999)]
    assert resolver.series("矿产资源法") == []


def test_version_invariant_flags_a_dated_file_folded_into_another_version(tmp_path):
    _write(tmp_path, "某某法(2009-08-27).md", OLD)
    _write(tmp_path, "某某法(2024-11-08).md", NEW)
    docs = [d for d in ingest([tmp_path]).documents]
    assert version_problems(docs) == []
    assert version_table(docs) == {"中华人民共和国某某法": [
        {"doc_id": "law:某某法@2009-08-27", "version_date": "2009-08-27", "validity": "superseded", "files": 1},
        {"doc_id": "law:某某法@2024-11-08", "version_date": "2024-11-08", "validity": "current", "files": 1}]}
    old, new = sorted(docs, key=lambda d: d.version_date)
    new.sources += old.sources       # what the old first-articles rule did
    assert version_problems([new]) == [{"path": old.sources[0].path, "file_date": "2009-08-27",
                                        "doc_id": new.doc_id, "version_date": "2024-11-08"}]


def test_merging_merged_documents_again_keeps_their_ids(tmp_path):
    """`leian add` re-merges the stored documents with new ones: ids must not drift (~1~1)."""
    _write(tmp_path, "a/某某规定(2020-01-01).md", _law("某某规定", "", {"一": "甲文本。", "二": "甲第二条。"}))
    _write(tmp_path, "b/某某规定（试行）(2020-01-01).md", _law("某某规定（试行）", "", {"一": "乙文本。", "二": "乙第二条。"}))
    _write(tmp_path, "c/某某法(2009-08-27).md", OLD)
    _write(tmp_path, "c/某某法(2024-11-08).md", NEW)
    first = [d for d in ingest([tmp_path]).documents if d.law_key]
    again = merge_statutes(copy.deepcopy(first))
    assert sorted(d.doc_id for d in again) == sorted(d.doc_id for d in first)
    assert sorted(u.unit_id for d in again for u in d.units) == sorted(u.unit_id for d in first for u in d.units)
    assert {d.doc_id: d.validity for d in again} == {d.doc_id: d.validity for d in first}


def _code_part(root: Path, name: str, history: str, articles: dict[str, str]) -> None:
    body = "\n\n".join(f"第{n}条 {t}" for n, t in articles.items())
    _write(root, f"民法典/{name}.md", f"# 中华人民共和国民法典\n\n# {name}\n\n{history}\n\n<!-- INFO END -->\n\n{body}\n")


def test_code_parts_join_into_one_document(tmp_path):
    _code_part(tmp_path, "总则", "", {"一": "为了保护民事主体的合法权益，制定本法。", "二": "民法调整平等主体之间的关系。"})
    _code_part(tmp_path, "物权编", "", {"二百零五": "本编调整因物的归属和利用产生的民事关系。", "二百零六": "国家坚持基本经济制度。"})
    _code_part(tmp_path, "附则", "", {"一千二百五十九": "民法所称的“以上”包括本数。", "一千二百六十": "本法自2021年1月1日起施行。"})
    docs = _docs(tmp_path)
    assert list(docs) == ["law:民法典@undated"]
    code = docs["law:民法典@undated"]
    assert [u.number for u in code.units] == [1, 2, 205, 206, 1259, 1260]
    assert [u.position for u in code.units] == [0, 1, 2, 3, 4, 5]
    assert all(u.doc_id == code.doc_id and u.unit_id.startswith("law:民法典@undated#a") for u in code.units)
    assert sorted(Path(s.path).name for s in code.sources) == sorted(["总则.md", "物权编.md", "附则.md"])
    assert code.validity == "current"
    assert Resolver(list(docs.values())).resolve_text("民法典第二百零六条").unit_id == "law:民法典@undated#a206"


def test_a_code_part_with_another_header_date_is_no_older_version(tmp_path):
    """婚姻家庭编 lacks the 施行 line the other parts have: it must join, not become a superseded 民法典."""
    history = "2020年5月28日 第十三届全国人民代表大会第三次会议通过\n\n2021年1月1日 施行"
    _code_part(tmp_path, "人格权编", history, {"九百八十九": "本编调整人格权关系。", "九百九十": "人格权是民事主体享有的权利。"})
    _code_part(tmp_path, "婚姻家庭编", history.split("\n")[0],
               {"一千零四十": "本编调整婚姻家庭关系。", "一千零四十一": "实行婚姻自由。"})
    _code_part(tmp_path, "总则", history, {"一": "为了保护民事主体的合法权益，制定本法。", "二": "民法调整平等主体之间的关系。"})
    docs = _docs(tmp_path)
    assert list(docs) == ["law:民法典@2021-01-01"]
    code = docs["law:民法典@2021-01-01"]
    assert [u.number for u in code.units] == [1, 2, 989, 990, 1040, 1041]
    assert code.validity == "current"
    res = Resolver(list(docs.values())).resolve_text("民法典第一千零四十一条")
    assert (res.status, res.unit_id) == ("ok", "law:民法典@2021-01-01#a1041")


CASE_BATCH = """# 第八批指导性案例_中华人民共和国最高人民检察院
> ,2017-01-04
**甲某民事公益诉讼案**
**（检例第28号）**
**【关键词】**
民事公益诉讼
**【要旨】**
污染者应当承担修复责任。
**【相关规定】**
《中华人民共和国某某法》（2009年修正）第三条、第六十一条（现为2024年修订后的第七十六条）
《中华人民共和国某某法》第七十四条
《中华人民共和国不存在法》第一条
"""


def _resolver(tmp_path: Path) -> tuple[Resolver, dict]:
    _write(tmp_path, "经济法/某某法(2009-08-27).md", OLD)
    _write(tmp_path, "经济法/某某法(2024-11-08).md", NEW)
    _write(tmp_path, "cases/08第八批指导性案例.md", CASE_BATCH)
    result = ingest([tmp_path])
    return Resolver(result.documents), {"edges": result.edges, "docs": result.documents}


def test_article_citation_resolves_to_the_current_version(tmp_path):
    resolver, _ = _resolver(tmp_path)
    for text in ("某某法第三条", "《中华人民共和国某某法》第3条", "某某法第七十四条"):
        res = resolver.resolve_text(text)
        assert res.status == "ok", text
        assert res.doc_id == "law:某某法@2024-11-08"
    assert resolver.resolve_text("某某法第七十四条").unit_id == "law:某某法@2024-11-08#a74"
    assert [d.doc_id for d in resolver.versions("中华人民共和国某某法")] == \
        ["law:某某法@2009-08-27", "law:某某法@2024-11-08"]


def test_version_qualified_citation_resolves_to_that_version(tmp_path):
    resolver, _ = _resolver(tmp_path)
    res = resolver.resolve_text("《中华人民共和国某某法》（2009年修正）第三条")
    assert (res.status, res.unit_id, res.current_unit_id) == \
        ("superseded", "law:某某法@2009-08-27#a3", "law:某某法@2024-11-08#a3")
    assert "2009" in res.message and res.found


def test_renumbering_note(tmp_path):
    resolver, _ = _resolver(tmp_path)
    for text in ("《中华人民共和国某某法》（2009年修正）第六十一条（现为2024年修订后的第七十六条）",
                 "某某法第六十一条（现为2024年修订后的第七十六条）"):    # no version: the one before 2024
        res = resolver.resolve_text(text)
        assert (res.status, res.unit_id, res.current_unit_id) == \
            ("renumbered", "law:某某法@2009-08-27#a61", "law:某某法@2024-11-08#a76"), text


def test_renumbering_note_when_the_cited_version_is_not_held(tmp_path):
    """Only the 2024 version is in the corpus: its 第六十一条 is another article, so the
    citation must point at the current 第七十六条, not at the current 第六十一条."""
    _write(tmp_path, "某某法(2024-11-08).md",
           _law("中华人民共和国某某法", "2024年11月8日 修订",
                {"一": "第一条。", "六十一": "现行第六十一条：另一项规定。", "七十六": "现行第七十六条：罚款。"}))
    resolver = Resolver(ingest([tmp_path]).documents)
    res = resolver.resolve_text("《中华人民共和国某某法》（2017年修正）第六十一条（现为2024年修订后的第七十六条）")
    assert (res.status, res.unit_id, res.current_unit_id) == \
        ("renumbered", "law:某某法@2024-11-08#a76", "law:某某法@2024-11-08#a76")
    res = resolver.resolve_text("《中华人民共和国某某法》（2017年修正）第六十一条（现为2024年修订后的第九十九条）")
    assert (res.status, res.unit_id) == ("unknown_article", "")


def test_unknown_law_and_unknown_article(tmp_path):
    resolver, _ = _resolver(tmp_path)
    res = resolver.resolve_text("不存在法第一条")
    assert (res.status, res.found, res.unit_id) == ("unknown_law", False, "")
    res = resolver.resolve_text("某某法第九十九条")
    assert (res.status, res.found, res.doc_id, res.unit_id) == ("unknown_article", False, "law:某某法@2024-11-08", "")
    assert resolver.resolve_text("矿产资源保护") is None        # not a citation


def test_case_and_batch_citations(tmp_path):
    resolver, _ = _resolver(tmp_path)
    res = resolver.resolve_text("检例第28号")
    assert (res.status, res.doc_id, res.unit_id) == ("ok", "spp:28", "spp:28#holding")
    res = resolver.resolve_text("检例第29号")
    assert (res.status, res.found) == ("unknown_case", False)
    assert resolver.resolve_text("指导案例28号").status == "unknown_case"     # SPC numbering is another series
    res = resolver.resolve_text("最高人民检察院第八批指导性案例")
    assert (res.status, res.members) == ("ok", ["spp:28"])
    assert resolver.resolve_text("最高人民检察院第九批指导性案例").status == "unknown_case"


def test_case_provisions_become_edges_to_article_units(tmp_path):
    _, built = _resolver(tmp_path)
    edges = [(e["to_key"], e["status"], e["to_unit"], e["to_current_unit"]) for e in built["edges"]]
    assert edges == [
        ("某某法#3", "superseded", "law:某某法@2009-08-27#a3", "law:某某法@2024-11-08#a3"),
        ("某某法#61", "renumbered", "law:某某法@2009-08-27#a61", "law:某某法@2024-11-08#a76"),
        ("某某法#74", "ok", "law:某某法@2024-11-08#a74", "law:某某法@2024-11-08#a74"),
        ("不存在法#1", "unknown_law", "", ""),
    ]
    assert {e["from_unit"] for e in built["edges"]} == {"spp:28#provisions"}


def test_resolver_on_index_metadata_only(tmp_path):
    """The search process resolves from document metadata plus the index's unit ids."""
    _, built = _resolver(tmp_path)
    docs = copy.deepcopy(list(built["docs"]))
    units_of = {d.doc_id: [u.unit_id for u in d.units] for d in docs}
    for d in docs:
        d.units = []
    resolver = Resolver(docs, units_of)
    assert resolver.resolve_text("某某法第七十四条").unit_id == "law:某某法@2024-11-08#a74"
    assert resolver.resolve_text("检例第28号").unit_id == "spp:28#holding"


def test_catalogue_stub_without_text(tmp_path):
    _write(tmp_path, "catalog/feed.json",
           '{"meta": {}, "cases": [{"id": "spp-7", "source": "spp", "code": "检例第7号", "title": "某案", "stub": true}]}')
    resolver = Resolver(ingest([tmp_path]).documents)
    res = resolver.resolve_text("检例第7号")
    assert (res.status, res.doc_id, res.unit_id, res.found) == ("stub", "spp:7", "", True)
    assert "catalogue" in res.message
