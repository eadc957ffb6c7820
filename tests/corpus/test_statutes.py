"""Statutes and rules: articles as units (款 inside), headings, versions, fallbacks, levels."""
from pathlib import Path

import pytest

from corpus.statutes import classify, version_date_from, version_label_from
from written import read_written

LAW_MD = """# 中华人民共和国某某法

2010年3月1日 第十一届全国人民代表大会常务委员会第十三次会议通过

2017年6月27日 第十二届全国人民代表大会常务委员会第二十八次会议《关于修改部分法律的决定》修正

2024年11月8日 第十四届全国人民代表大会常务委员会第十二次会议修订

<!-- INFO END -->

## 第一章 总 则

第一条 为了规范某某活动，保护生态环境，制定本法。

第二条 在中华人民共和国领域内从事某某活动，适用本法。

本法所称某某，是指依法登记的某某。

## 第二章 管理

### 第一节 一般规定

第三条 国务院某某主管部门负责全国某某管理工作。

第一百二十条之一 违反本法第三条规定的，依法处理。

### 第二节 特别规定

第四条 有下列情形之一的，应当报告：

（一）发现违法行为的；

（二）其他情形。

第二条规定的登记，由县级人民政府办理。
"""


def _read(tmp_path: Path, rel: str, text: str):
    docs = read_written(tmp_path, rel, text)
    assert len(docs) == 1
    return docs[0]


def test_markdown_law_is_segmented_into_articles(tmp_path):
    doc = _read(tmp_path, "statutes/经济法/某某法(2024-11-08).md", LAW_MD)
    assert doc.title == "中华人民共和国某某法"
    assert (doc.doc_type, doc.level, doc.law_key) == ("statute", "law", "某某法")
    assert doc.doc_id == "law:某某法@2024-11-08"
    assert [u.label for u in doc.units] == ["第一条", "第二条", "第三条", "第一百二十条之一", "第四条"]
    assert [(u.number, u.number_sub) for u in doc.units] == [(1, 0), (2, 0), (3, 0), (120, 1), (4, 0)]
    assert all(u.kind == "article" for u in doc.units)
    assert [u.position for u in doc.units] == [0, 1, 2, 3, 4]
    assert doc.sources[0].path == "statutes/经济法/某某法(2024-11-08).md"
    assert doc.sources[0].format == "md"


def test_paragraphs_stay_in_their_article(tmp_path):
    doc = _read(tmp_path, "statutes/经济法/某某法(2024-11-08).md", LAW_MD)
    a2 = doc.units[1]
    assert a2.text == "在中华人民共和国领域内从事某某活动，适用本法。\n本法所称某某，是指依法登记的某某。"
    a4 = doc.units[4]
    # 项 and a later 款 that starts with "第二条规定的…" belong to 第四条, not to a new article
    assert a4.text.splitlines() == ["有下列情形之一的，应当报告：", "（一）发现违法行为的；", "（二）其他情形。",
                                    "第二条规定的登记，由县级人民政府办理。"]


def test_sub_article_unit_id_and_headings(tmp_path):
    doc = _read(tmp_path, "statutes/经济法/某某法(2024-11-08).md", LAW_MD)
    by_label = {u.label: u for u in doc.units}
    assert by_label["第一百二十条之一"].unit_id == "law:某某法@2024-11-08#a120.1"
    assert by_label["第一百二十条之一"].text == "违反本法第三条规定的，依法处理。"
    assert by_label["第一条"].heading == "第一章 总 则"
    assert by_label["第三条"].heading == "第二章 管理 / 第一节 一般规定"
    # a new 节 replaces the previous 节 under the same 章
    assert by_label["第四条"].heading == "第二章 管理 / 第二节 特别规定"


def test_version_date_from_file_name_and_label_from_history(tmp_path):
    doc = _read(tmp_path, "statutes/经济法/某某法(2024-11-08).md", LAW_MD)
    assert doc.version_date == "2024-11-08"
    assert doc.version_label == "2024年修订"
    assert doc.year == 2024


def test_version_date_from_history_when_the_name_has_none(tmp_path):
    text = LAW_MD.replace("2024年11月8日 第十四届全国人民代表大会常务委员会第十二次会议修订\n", "")
    doc = _read(tmp_path, "statutes/经济法/某某法.md", text)
    assert doc.version_date == "2017-06-27"
    assert doc.version_label == "2017年修正"
    assert doc.doc_id == "law:某某法@2017-06-27"


def test_version_helpers():
    header = ["1986年3月19日 通过", "2009年8月27日 第二次修正"]
    assert version_date_from("x/矿产资源法(2009-08-27).md", []) == "2009-08-27"
    assert version_date_from("x/规则_20210629.docx", []) == "2021-06-29"
    assert version_date_from("x/某法.md", header) == "2009-08-27"
    assert version_date_from("x/某法.md", ["没有日期"]) == ""
    assert version_label_from(header, "2009-08-27") == "2009年修正"
    assert version_label_from(["1986年3月19日 通过"], "1986-03-19") == ""


def test_numbered_items_become_item_units(tmp_path):
    text = """# 最高人民法院关于审理某某案件若干问题的批复

<!-- INFO END -->

某某高级人民法院：

你院请示收悉。经研究，批复如下：

一、对于某某行为，应当依法认定。

二、对于其他行为，
参照前款处理。

三、本批复自公布之日起施行。
"""
    doc = _read(tmp_path, "statutes/司法解释/最高人民法院关于审理某某案件若干问题的批复(2020-12-29).md", text)
    assert [u.kind for u in doc.units] == ["item", "item", "item"]
    assert [u.label for u in doc.units] == ["一、", "二、", "三、"]
    assert doc.units[1].text == "对于其他行为，\n参照前款处理。"
    assert doc.units[2].unit_id.endswith("#i3")
    assert doc.level == "judicial_interpretation"


def test_unstructured_text_falls_back_to_paragraph_units(tmp_path):
    text = "# 某某攻略\n\n" + "\n\n".join(f"第{i}段话讲的是劳动仲裁的准备材料，" + "内容" * 60 for i in range(1, 4)) + "\n"
    doc = _read(tmp_path, "statutes/其他/某某攻略.md", text)
    assert doc.units and all(u.kind == "paragraph" for u in doc.units)
    assert [u.label for u in doc.units] == [f"第{i}段" for i in range(1, len(doc.units) + 1)]
    # no text is lost: every line ends up in some unit
    assert sum(u.text.count("劳动仲裁") for u in doc.units) == 3
    assert (doc.doc_type, doc.level) == ("other", "other")


def test_a_single_article_is_not_article_structure(tmp_path):
    doc = _read(tmp_path, "statutes/其他/某某说明.md", "# 某某说明\n\n第一条 只有一条。\n\n后面是说明文字。\n")
    assert [u.kind for u in doc.units] == ["paragraph"]


def test_repeated_article_number_is_kept_inside_the_first(tmp_path):
    text = ("# 中华人民共和国某某法修正案\n\n<!-- INFO END -->\n\n第一条 将第五条修改为：\n\n"
            "第五条 新的内容。\n\n第二条 本修正案自公布之日起施行。\n\n第一条 重复的编号。\n")
    doc = _read(tmp_path, "statutes/刑法/某某法修正案.md", text)
    assert [u.label for u in doc.units] == ["第一条", "第五条", "第二条"]
    assert doc.units[-1].text.endswith("第一条 重复的编号。")


@pytest.mark.parametrize("path, level", [
    ("statutes/行政法规/某某条例(2019-03-02).md", "administrative_regulation"),
    ("statutes/司法解释/关于某某的规定.md", "judicial_interpretation"),
    ("statutes/部门规章/公安部/某某规定.md", "departmental_rule"),
    ("statutes/地方法规/山东地方法规/地方性法规/山东/某某办法.md", "local_regulation"),
    ("statutes/刑法/某某法.md", "law"),
    ("statutes/宪法/宪法.md", "law"),
])
def test_classify_by_folder(path, level):
    assert classify("某某", path) == ("statute", level)


@pytest.mark.parametrize("title, expected", [
    ("人民检察院公益诉讼办案规则", ("rule", "procuratorate_rule")),
    ("人民检察院检察建议工作规定", ("rule", "procuratorate_rule")),
    ("人民法院某某工作规则（试行）", ("rule", "judicial_interpretation")),
    ("最高人民法院、最高人民检察院关于检察公益诉讼案件适用法律若干问题的解释", ("statute", "judicial_interpretation")),
    ("关于办理非法采矿刑事案件适用法律若干问题的解释", ("statute", "judicial_interpretation")),
    ("中华人民共和国矿产资源法", ("statute", "law")),
    ("中华人民共和国民法典", ("statute", "law")),
    ("北京市某某条例", ("statute", "local_regulation")),
    ("矿产资源开采登记管理办法", ("statute", "departmental_rule")),
    ("某某管理条例", ("statute", "administrative_regulation")),
    ("某某须知", ("statute", "other")),
])
def test_classify_by_title(title, expected):
    assert classify(title, f"rules/{title}_20210629.docx") == expected


def test_a_rule_title_wins_over_its_folder():
    assert classify("人民检察院刑事诉讼规则", "statutes/司法解释/人民检察院刑事诉讼规则.md") == \
        ("rule", "procuratorate_rule")
