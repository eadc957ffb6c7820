"""Made-up court judgments, written by the tests themselves (China Judgments Online layout and plain text)."""
from __future__ import annotations

import json
from pathlib import Path

CRIMINAL_LAW = """# 中华人民共和国刑法

1979年7月1日第五届全国人民代表大会第二次会议通过

2023年12月29日第十四届全国人民代表大会常务委员会第七次会议修正

<!-- INFO END -->

第六十七条 犯罪以后自动投案，如实供述自己的罪行的，是自首。

第一百三十三条之一 在道路上驾驶机动车，醉酒驾驶机动车的，处拘役，并处罚金。

第二百六十四条 盗窃公私财物，数额较大的，或者多次盗窃、入户盗窃的，处三年以下有期徒刑。

第三百四十七条 走私、贩卖、运输、制造毒品，无论数量多少，都应当追究刑事责任。
"""


def drunk_driving(name: str, seq: int, court: str = "湖南省长沙市天心区人民法院", code: str = "湘0103",
                  proc: str = "初", day: str = "二〇一八年六月二十日", aj: str = "") -> dict:
    facts = (f"长沙市天心区人民检察院指控：2018年1月15日，被告人{name}酒后驾驶小型轿车沿伊莱克斯大道行驶，"
             f"被执勤民警查获，经检验其血液中乙醇含量为201.1毫克／100毫升。被告人{name}主动到公安机关投案。")
    reasoning = (f"本院认为，被告人{name}在道路上醉酒驾驶机动车，其行为已构成危险驾驶罪。被告人{name}系自首，"
                 f"依法可以从轻处罚。依照《中华人民共和国刑法》第一百三十三条之一第一款第（二）项；第六十七条第一款之规定，判决如下：")
    outcome = f"被告人{name}犯危险驾驶罪，判处拘役二个月，并处罚金人民币三千元。"
    qw = (f"{court} 刑事判决书 （2018）{code}刑{proc}{seq}号 公诉机关长沙市天心区人民检察院。 被告人{name}，男，汉族。 "
          f"{facts} {reasoning} {outcome} 审判员张某 {day} 书记员李某")
    return {"ajId": aj or f"aj-{name}", "writId": f"w-{name}-{seq}", "ajName": f"{name}危险驾驶罪一案",
            "writName": f"{name}危险驾驶一审刑事判决书", "ajjbqk": facts, "cpfxgc": reasoning, "pjjg": outcome, "qw": qw}


def theft(name: str, seq: int) -> dict:
    facts = (f"经审理查明：2017年3月至5月，被告人{name}多次窜至居民小区，采用撬锁方式入户盗窃现金、手机等财物，"
             f"共计价值人民币二万余元。被告人{name}曾因犯盗窃罪被判处有期徒刑一年，系累犯。")
    reasoning = (f"本院认为，被告人{name}以非法占有为目的，多次入户盗窃他人财物，数额较大，其行为已构成盗窃罪。"
                 f"依照《中华人民共和国刑法》第二百六十四条、第六十五条第一款之规定，判决如下：")
    outcome = f"被告人{name}犯盗窃罪，判处有期徒刑二年，并处罚金人民币五千元。"
    qw = (f"北京市第一中级人民法院 刑事判决书 （2017）京01刑初{seq}号 公诉机关北京市人民检察院第一分院。 被告人{name}。 "
          f"{facts} {reasoning} {outcome} 审判长王某 二〇一七年十一月三日 书记员赵某")
    return {"ajId": f"aj-{name}", "writId": f"w-{name}", "ajName": f"{name}盗窃罪一案", "writName": f"{name}盗窃一审刑事判决书",
            "ajjbqk": facts, "cpfxgc": reasoning, "pjjg": outcome, "qw": qw}


PLAIN_TEXT = """上海市浦东新区人民法院
刑事判决书
（2019）沪0115刑初2345号
公诉机关上海市浦东新区人民检察院。
被告人陈某，男，1990年1月1日出生。
上海市浦东新区人民检察院以沪浦检刑诉（2019）100号起诉书指控被告人陈某犯贩卖毒品罪，于2019年5月1日向本院提起公诉。
经审理查明：2019年3月2日，被告人陈某在浦东新区某小区门口以300元的价格向吸毒人员贩卖甲基苯丙胺0.5克，被民警当场抓获。
本院认为，被告人陈某贩卖甲基苯丙胺，其行为已构成贩卖毒品罪。依照《中华人民共和国刑法》第三百四十七条第一、四款；第六十七条第三款之规定，判决如下：
被告人陈某犯贩卖毒品罪，判处有期徒刑八个月，并处罚金人民币二千元。
如不服本判决，可在接到判决书的第二日起十日内提出上诉。
审判员孙某
二〇一九年六月十二日
书记员周某
附：相关法律条文
《中华人民共和国刑法》第三百四十七条 走私、贩卖、运输、制造毒品……二〇二〇年一月一日
"""


def write_judgments(root: Path, with_law: bool = True) -> Path:
    """A folder of judgments: single records, a JSON list, a JSONL file, a plain-text copy, a bad file."""
    root.mkdir(parents=True, exist_ok=True)
    if with_law:
        (root / "中华人民共和国刑法.md").write_text(CRIMINAL_LAW, encoding="utf-8")
    (root / "1.json").write_text(json.dumps(drunk_driving("莫新国", 771), ensure_ascii=False), encoding="utf-8")
    # one case, two instances: the appeal shares the case id (ajId)
    appeal = drunk_driving("曾胜武", 778, court="湖南省长沙市中级人民法院", code="湘01", proc="终",
                           day="二〇一八年十二月六日", aj="aj-case-zeng")
    first = drunk_driving("曾胜武", 478, day="二〇一八年七月三日", aj="aj-case-zeng")
    (root / "list.json").write_text(json.dumps([appeal, first], ensure_ascii=False), encoding="utf-8")
    (root / "more.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in
                                               (theft("钱某", 119), theft("孙某", 120))) + "\n", encoding="utf-8")
    (root / "copy-of-1.json").write_text(json.dumps(drunk_driving("莫新国", 771), ensure_ascii=False),
                                         encoding="utf-8")
    (root / "陈某贩卖毒品案.txt").write_text(PLAIN_TEXT, encoding="utf-8")
    (root / "broken.json").write_text('{"ajName": "某某案", "qw": "某某人民法院 刑事判决书', encoding="utf-8")
    (root / "header-only.json").write_text(json.dumps({"ajName": "某某案", "writName": "某某一审刑事判决书", "qw": ""},
                                                      ensure_ascii=False), encoding="utf-8")
    return root
