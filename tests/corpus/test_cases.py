"""Case pages: SPP batches, typical-case announcements and SPC single-case markdown."""
from pathlib import Path

from corpus.cases import looks_like_cases, parse_case_markdown
from corpus.readers import read_file
from written import read_written

SPP_BATCH = """---
created: 2025-12-19T12:19:49 (UTC +08:00)
tags: []
source: https://www.spp.gov.cn/spp/jczdal/201701/t20170104_000001.shtml
author: 某某
---
# 第八批指导性案例_中华人民共和国最高人民检察院
> ## Excerpt
> ,2017-01-04
---
**张某某、李某某****民事公益诉讼案**
**（检例第28号）**
**【关键词】**
民事公益诉讼 生态环境修复 虚拟治理成本法
** 【要旨】  **
污染者应当承担生态环境修复责任。
**【基本案情】**
2015年6月17日，张某某在某村租用厂房，擅自清洗废油桶，废水排入污水池，污染土壤和地下水。
**【诉讼过程】**
某市人民检察院以公益诉讼人身份提起民事公益诉讼。
法院判决支持全部诉讼请求。
**【指导意义】**
检察机关可以就污染环境行为提起民事公益诉讼。
**【相关规定】**
《中华人民共和国环境保护法》第六十四条
《中华人民共和国某某法》第三条
**某县水务局****行政公益诉讼案**
**（检例第29号）**
**【关键词】**
行政公益诉讼 河道采砂
**【要旨】**
行政机关不依法履行职责的，检察机关可以提起行政公益诉讼。
**【基本案情】**
某县河道内长期存在非法采砂行为，县水务局未依法查处。
**【诉前程序】**
检察机关向县水务局发出检察建议。
**【诉讼过程】**
检察机关提起行政公益诉讼，法院判决确认违法。
**【指导意义】**
行政机关未依法履职的，检察机关应当督促其履职。
**【相关规定】**
《中华人民共和国行政诉讼法》（2017年修正）第二十五条第四款
"""

BATCH_PATH = "cases/spp-guiding/08第八批指导性案例-中华人民共和国最高人民检察院.md"


def _read(tmp_path: Path, rel: str, text: str):
    return read_written(tmp_path, rel, text)


def test_spp_batch_splits_into_its_cases(tmp_path):
    docs = _read(tmp_path, BATCH_PATH, SPP_BATCH)
    assert [d.doc_id for d in docs] == ["spp:28", "spp:29"]
    assert [d.case_no for d in docs] == ["检例第28号", "检例第29号"]
    assert [d.case_number for d in docs] == [28, 29]
    assert [d.title for d in docs] == ["张某某、李某某民事公益诉讼案", "某县水务局行政公益诉讼案"]
    for doc in docs:
        assert (doc.doc_type, doc.level, doc.court) == ("guiding_case", "spp", "spp")
        assert doc.batch == "第八批指导性案例"
        assert doc.version_date == "2017-01-04"      # the excerpt line, not the 2015 date in the facts
        assert doc.url == "https://www.spp.gov.cn/spp/jczdal/201701/t20170104_000001.shtml"
        assert doc.sources[0].path == BATCH_PATH
        assert doc.validity == "current"


def test_sections_become_units_in_reading_order(tmp_path):
    first, second = _read(tmp_path, BATCH_PATH, SPP_BATCH)
    assert [(u.kind, u.label) for u in first.units] == [
        ("keywords", "【关键词】"), ("holding", "【要旨】"), ("facts", "【基本案情】"), ("process", "【诉讼过程】"),
        ("significance", "【指导意义】"), ("provisions", "【相关规定】")]
    assert first.unit("holding").text == "污染者应当承担生态环境修复责任。"   # ** 【要旨】  ** spacing tolerated
    assert first.unit("holding").unit_id == "spp:28#holding"
    assert first.unit("process").text == "某市人民检察院以公益诉讼人身份提起民事公益诉讼。\n法院判决支持全部诉讼请求。"
    # the next case's bold title is not left at the end of the previous case's provisions
    assert first.unit("provisions").text == "《中华人民共和国环境保护法》第六十四条\n《中华人民共和国某某法》第三条"
    # two process sections keep distinct ids
    assert [u.unit_id for u in second.units if u.kind == "process"] == ["spp:29#process", "spp:29#process2"]
    assert [u.label for u in second.units if u.kind == "process"] == ["【诉前程序】", "【诉讼过程】"]


def test_keywords_domains_and_procedures(tmp_path):
    first, second = _read(tmp_path, BATCH_PATH, SPP_BATCH)
    assert first.keywords == ["民事公益诉讼", "生态环境修复", "虚拟治理成本法"]
    assert first.domains == ["生态环境和资源保护"]
    assert first.procedures == ["民事公益诉讼"]
    assert second.keywords == ["行政公益诉讼", "河道采砂"]
    assert second.procedures == ["行政公益诉讼"]


def test_plain_title_above_the_case_number(tmp_path):
    """Later batches write neither title nor heads in bold: the title is the line above （检例第N号）."""
    text = """# 第十批指导性案例_中华人民共和国最高人民检察院
> ,2018-07-12
---
朱某明操纵证券市场案
（检例第39号）
【关键词】
操纵证券市场  “抢帽子”交易  公开荐股
【要旨】
证券从业人员公开荐股后反向交易的，构成操纵证券市场罪。
【相关规定】
《中华人民共和国刑法》第一百八十二条
最高人民检察院
2018年7月3日
某省某县人民检察院对某公司侵犯个人信息权益提起民事公益诉讼
某市人民检察院督促保护个人信息权益行政公益诉讼案
（检例第40号）
【关键词】
民事公益诉讼  行政公益诉讼  个人信息
【要旨】
检察机关可以并案办理个人信息保护公益诉讼。
"""
    first, second = _read(tmp_path, "cases/spp-guiding/10第十批指导性案例.md", text)
    assert first.title == "朱某明操纵证券市场案"          # not the keywords line
    assert first.unit("provisions").text.startswith("《中华人民共和国刑法》第一百八十二条")
    assert second.title == ("某省某县人民检察院对某公司侵犯个人信息权益提起民事公益诉讼"
                            "某市人民检察院督促保护个人信息权益行政公益诉讼案")
    assert "2018年7月3日" not in second.title
    assert first.keywords == ["操纵证券市场", "“抢帽子”交易", "公开荐股"]


def test_credits_after_a_case_are_not_the_next_title(tmp_path):
    text = """# 最高检发布第四十五批指导性案例
> ,2023-07-06
---
** 甲某贩卖毒品案  **
（检例第179号）
** 【关键词】  **
贩卖毒品 二审抗诉
** 【要旨】  **
检察机关对量刑畸轻的判决应当依法抗诉。
** 办案检察院：  ** 某省人民检察院  ** 承办检察官：  ** 张某 ** 案例撰写人：
** 李某某 王某某
** 乙某抢劫、强奸  **
** 二审抗诉案  **
（检例第180号）
** 【关键词】  **
抢劫 强奸 抗诉
** 【要旨】  **
对未成年被害人的犯罪应当从严惩处。
"""
    first, second = _read(tmp_path, "cases/spp-guiding/45[2023-07-06]最高检发布第四十五批指导性案例.md", text)
    assert (first.title, second.title) == ("甲某贩卖毒品案", "乙某抢劫、强奸二审抗诉案")
    assert first.version_date == second.version_date == "2023-07-06"
    assert first.batch == "最高检发布第四十五批指导性案例"
    assert "李某某 王某某" in first.unit("holding").text      # the credits stay with the case they close


TYPICAL_BATCH = """#  最高检发布某某公益诉讼典型案例
最高检发布
督促整治非法采矿
公益诉讼典型案例
**能动履职，破解矿产资源保护难题**
9月14日，最高人民检察院发布检察机关督促整治非法采矿公益诉讼典型案例。
本批发布的典型案例共2件。
**检察机关督促整治非法采矿**
**公益诉讼典型案例**
**目录**
1.某省某县人民检察院诉某公司非法采矿刑事附带民事公益诉讼案
2.某市人民检察院督促整治非法采砂行政公益诉讼案
**某省某县人民检察院诉**
**某公司非法采矿**
**刑事附带民事公益诉讼案**
** 【关键词】  **
刑事附带民事公益诉讼 非法采矿 惩罚性赔偿
** 【要旨】  **
检察机关可以在刑事附带民事公益诉讼中主张惩罚性赔偿。
** 【基本案情】  **
2020年5月，某公司超越批准的矿区范围开采石灰岩矿石。
** 【调查和诉讼】  **
检察院提起刑事附带民事公益诉讼。
** 【典型意义】  **
检察机关应当依法主张生态环境修复费用。
**某市人民检察院督促整治**
**非法采砂行政公益诉讼案**
** 【关键词】  **
行政公益诉讼 非法采砂 河道
** 【要旨】  **
检察机关督促行政机关依法查处非法采砂行为。
** 【基本案情】  **
某河段存在非法采砂行为。
** 【检察机关履职情况】  **
检察机关向水利局制发检察建议。
** 【典型意义】  **
督促行政机关依法全面履职。
"""


def test_typical_batch_without_case_numbers(tmp_path):
    rel = "cases/spp-typical/[2022-09-14]最高检发布某某公益诉讼典型案例.md"
    docs = _read(tmp_path, rel, TYPICAL_BATCH)
    assert [d.title for d in docs] == ["某省某县人民检察院诉某公司非法采矿刑事附带民事公益诉讼案",
                                       "某市人民检察院督促整治非法采砂行政公益诉讼案"]
    for doc in docs:
        assert (doc.doc_type, doc.court, doc.case_no, doc.case_number) == ("typical_case", "spp", "", 0)
        assert doc.doc_id.startswith("typical:spp:")
        assert doc.batch == "最高检发布某某公益诉讼典型案例"
        assert doc.version_date == "2022-09-14"
        assert [u.kind for u in doc.units] == ["keywords", "holding", "facts", "process", "significance"]
        assert doc.domains == ["生态环境和资源保护"]
    assert docs[0].procedures == ["刑事附带民事公益诉讼"]
    assert docs[1].procedures == ["行政公益诉讼"]
    # the introduction and the 目录 before the first case belong to no case
    assert not any("目录" in u.text or "能动履职" in u.text for d in docs for u in d.units)
    assert docs[0].doc_id != docs[1].doc_id


def test_typical_case_ids_are_stable_across_reads(tmp_path):
    rel = "cases/spp-typical/[2022-09-14]最高检发布某某公益诉讼典型案例.md"
    assert [d.doc_id for d in _read(tmp_path, rel, TYPICAL_BATCH)] == \
        [d.doc_id for d in _read(tmp_path, rel, TYPICAL_BATCH)]


SPC_TYPICAL = """# 经营者隐瞒车辆维修史的，构成欺诈。

<!-- INFO END -->

## 王某诉某汽车销售公司买卖合同纠纷案

## 关键词

民事、买卖合同、欺诈、家用汽车。

## 裁判要点

一、为家庭生活消费需要购买汽车，发生欺诈纠纷的，可以按照消费者权益保护法处理。

二、销售者不能证明已履行告知义务的，构成欺诈。

## 基本案情

2007年2月28日，王某从某汽车销售公司购买轿车一辆。

<!-- FORCE BREAK -->

王某发现该车曾进行过维修。

## 裁判结果

法院判决撤销合同，销售公司退还购车款。

## 相关法条

《中华人民共和国消费者权益保护法》第五十五条
"""


def test_spc_typical_single_case_markdown(tmp_path):
    (doc,) = _read(tmp_path, "cases/spc-typical/消费购物/王某诉某公司买卖合同纠纷案.md", SPC_TYPICAL)
    assert doc.title == "王某诉某汽车销售公司买卖合同纠纷案"
    assert (doc.doc_type, doc.court, doc.level) == ("typical_case", "spc", "spc")
    assert doc.keywords == ["民事", "买卖合同", "欺诈", "家用汽车"]
    assert [(u.kind, u.label) for u in doc.units] == [
        ("keywords", "【关键词】"), ("holding", "【裁判要点】"), ("facts", "【基本案情】"),
        ("process", "【裁判结果】"), ("provisions", "【相关法条】")]
    assert doc.unit("holding").text.startswith("一、为家庭生活消费需要购买汽车")
    assert doc.unit("facts").text == "2007年2月28日，王某从某汽车销售公司购买轿车一辆。\n王某发现该车曾进行过维修。"
    # the page has no publication date and no batch: the facts' date and the headline are neither
    assert doc.version_date == ""
    assert doc.batch == ""


def test_spc_page_without_holding_is_still_spc(tmp_path):
    text = """# 加班费的仲裁时效应当如何认定

<!-- INFO END -->

## 基本案情

张某于2016年7月入职某建筑公司，2019年2月离职。

## 裁判结果

一审法院判决：某建筑公司支付张某加班费。
"""
    (doc,) = _read(tmp_path, "cases/spc-typical/劳动人事/加班费的仲裁时效应当如何认定.md", text)
    assert doc.title == "加班费的仲裁时效应当如何认定"    # titled by its `# ` line
    assert doc.court == "spc"
    assert doc.doc_id.startswith("typical:spc:")
    assert [u.kind for u in doc.units] == ["facts", "process"]


def test_looks_like_cases():
    assert looks_like_cases("**【要旨】**\n文字")
    assert looks_like_cases("【 要 旨 】")
    assert looks_like_cases("## 裁判要点\n文字")
    assert not looks_like_cases("# 中华人民共和国某某法\n\n第一条 为了规范……")
    assert not looks_like_cases("## 裁判要点说明\n")


def test_parse_case_markdown_returns_batch_title():
    docs, batch = parse_case_markdown(SPP_BATCH, BATCH_PATH)
    assert batch == "第八批指导性案例"
    assert len(docs) == 2


def test_windows_line_endings_and_bom_keep_the_front_matter(tmp_path):
    path = tmp_path / BATCH_PATH
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xef\xbb\xbf" + SPP_BATCH.replace("\n", "\r\n").encode("utf-8"))
    docs, _ = read_file(path, BATCH_PATH)
    assert [d.doc_id for d in docs] == ["spp:28", "spp:29"]
    assert docs[0].url == "https://www.spp.gov.cn/spp/jczdal/201701/t20170104_000001.shtml"
    assert docs[0].unit("process").text == "某市人民检察院以公益诉讼人身份提起民事公益诉讼。\n法院判决支持全部诉讼请求。"
