"""Versions, citation forms, case standing and new batches on the real shared corpus (slow)."""
import sys
from pathlib import Path

import pytest

from corpus.ingest import ingest

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS}"),
]


@pytest.fixture(scope="module")
def batch_dir(tmp_path_factory) -> Path:
    sys.path.insert(0, str(Path(__file__).parent))
    from test_new_batch import write_batch

    root = tmp_path_factory.mktemp("new") / "corpus"
    write_batch(root)
    return root


@pytest.fixture(scope="module")
def result(batch_dir):
    return ingest([CORPUS, batch_dir])




def test_every_dated_file_is_its_own_version_or_a_recorded_copy(result):
    invariant = result.version_invariant()
    assert invariant["ok"] and invariant["dated_statute_files"] > 3000, invariant["problems"][:3]


def test_civil_procedure_law_2023_is_current_and_2021_superseded(docs, resolver):
    new, old = docs["law:民事诉讼法@2023-09-01"], docs["law:民事诉讼法@2021-12-24"]
    assert (new.validity, old.validity, old.superseded_by) == ("current", "superseded", new.doc_id)
    res = resolver.resolve_text("民事诉讼法第五十八条")
    assert res.unit_id == "law:民事诉讼法@2023-09-01#a58"
    assert [v.version_date for v in resolver.versions("民事诉讼法")][-2:] == ["2021-12-24", "2023-09-01"]


def test_yangtze_sand_mining_regulation_current_text_is_the_newest(docs, resolver):
    versions = resolver.versions("长江河道采砂管理条例")
    assert [v.version_date for v in versions] == ["2001-10-25", "2023-07-20"]
    assert versions[-1].validity == "current" and versions[0].validity == "superseded"
    current_18 = resolver.resolve_text("长江河道采砂管理条例第十八条")
    assert current_18.doc_id == "law:长江河道采砂管理条例@2023-07-20"


def test_five_constitutional_amendments_are_five_documents(docs):
    amendments = sorted(d.law_key for d in docs.values() if d.law_key.startswith("宪法修正案"))
    assert amendments == [f"宪法修正案（{y}年）" for y in (1988, 1993, 1999, 2004, 2018)]
    assert all(d.validity == "current" for d in docs.values() if d.law_key.startswith("宪法修正案"))


def test_food_safety_interpretations_2013_and_2021_are_two_versions(resolver):
    versions = resolver.versions("最高人民法院、最高人民检察院关于办理危害食品安全刑事案件适用法律若干问题的解释")
    assert [(v.version_date, v.validity) for v in versions] == [("2013-05-02", "superseded"), ("2021-12-30", "current")]


@pytest.mark.parametrize("text, doc_id, article", [
    ("最高人民法院关于适用《民法典》有关担保制度的解释第十条",
     "law:最高人民法院关于适用民法典有关担保制度的解释@2020-12-31", 10),
    ("最高人民法院关于适用《民事诉讼法》的解释第九十条", "law:最高人民法院关于适用民事诉讼法的解释@2022-04-01", 90),
    ("民诉法解释第九十条", "law:最高人民法院关于适用民事诉讼法的解释@2022-04-01", 90),
    ("刑诉法解释第一条", "law:最高人民法院关于适用刑事诉讼法的解释@2021-01-26", 1),
    ("最高人民法院关于审理劳动争议案件适用法律问题的解释（一）第二条",
     "law:最高人民法院关于审理劳动争议案件适用法律问题的解释（一）@2020-12-29", 2),
    ("最高人民法院关于审理建设工程施工合同纠纷案件适用法律问题的解释（一）第二条",
     "law:最高人民法院关于审理建设工程施工合同纠纷案件适用法律问题的解释（一）@2020-12-29", 2),
    ("最高人民法院、最高人民检察院关于办理盗窃刑事案件适用法律若干问题的解释第二条",
     "law:最高人民法院、最高人民检察院关于办理盗窃刑事案件适用法律若干问题的解释@2013-04-02", 2),
    ("两高关于办理盗窃刑事案件适用法律若干问题的解释第二条",
     "law:最高人民法院、最高人民检察院关于办理盗窃刑事案件适用法律若干问题的解释@2013-04-02", 2),
    ("《刑法》第二百六十四条", "law:刑法@2023-12-29", 264),
    ("民事诉讼法第五十八条", "law:民事诉讼法@2023-09-01", 58),
])
def test_citations_from_the_trust_issue_resolve(resolver, text, doc_id, article):
    res = resolver.resolve_text(text)
    assert (res.status, res.unit_id) == ("ok", f"{doc_id}#a{article}"), text


def test_a_named_version_resolves_to_that_version(resolver):
    res = resolver.resolve_text("《中华人民共和国矿产资源法》（2009年修正）第三条")
    assert (res.status, res.unit_id, res.current_unit_id) == \
        ("superseded", "law:矿产资源法@2009-08-27#a3", "law:矿产资源法@2024-11-08#a3")


def test_withdrawn_and_holdingless_spc_cases(docs):
    for number in (9, 20):
        case = docs[f"spc:{number}"]
        assert (case.standing, case.validity) == ("not_referenced", "superseded")
        assert "法〔2020〕343号" in case.standing_basis
    assert docs["spc:176"].standing == "current"
    # the corpus holds 指导案例176号's facts and outcome but not its 裁判要点: nothing may stand in for it
    assert docs["spc:176"].unit("holding") is None
    assert docs["spc:215"].unit("holding").label == "【裁判要点】"
    assert docs["spp:28"].unit("holding").label == "【要旨】"


def test_a_new_batch_joins_the_corpus_without_code_changes(docs, resolver, result):
    case = docs["spp:262"]
    assert case.case_no == "检例第262号" and case.unit("holding") and not case.stub
    assert resolver.resolve_text("检例第262号").unit_id == "spp:262#holding"
    assert [e["to_unit"] for e in result.edges if e["from_doc"] == "spp:262"] == ["law:矿产资源法@2024-11-08#a74"]
    assert docs["spp:261"].stub   # announced in the catalogue, text not yet in the corpus
