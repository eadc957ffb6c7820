"""Short names practitioners write for laws and interpretations → the titles the corpus uses.

Only forms in common use in review reports and judgments; each maps to one title, so a
short form never guesses between documents. Keys and values are compared as law_key()s.
"""
from __future__ import annotations

_CIVIL_PROCEDURE_INTERPRETATION = "最高人民法院关于适用《中华人民共和国民事诉讼法》的解释"
_CRIMINAL_PROCEDURE_INTERPRETATION = "最高人民法院关于适用《中华人民共和国刑事诉讼法》的解释"
_ADMIN_PROCEDURE_INTERPRETATION = "最高人民法院关于适用《中华人民共和国行政诉讼法》的解释"
_PIL_INTERPRETATION = "最高人民法院、最高人民检察院关于检察公益诉讼案件适用法律若干问题的解释"
_GUARANTEE_INTERPRETATION = "最高人民法院关于适用《中华人民共和国民法典》有关担保制度的解释"

SHORT_NAMES: dict[str, str] = {
    "民诉法": "中华人民共和国民事诉讼法",
    "刑诉法": "中华人民共和国刑事诉讼法",
    "行诉法": "中华人民共和国行政诉讼法",
    "民诉法解释": _CIVIL_PROCEDURE_INTERPRETATION,
    "民诉解释": _CIVIL_PROCEDURE_INTERPRETATION,
    "民事诉讼法解释": _CIVIL_PROCEDURE_INTERPRETATION,
    "刑诉法解释": _CRIMINAL_PROCEDURE_INTERPRETATION,
    "刑诉解释": _CRIMINAL_PROCEDURE_INTERPRETATION,
    "刑事诉讼法解释": _CRIMINAL_PROCEDURE_INTERPRETATION,
    "行诉法解释": _ADMIN_PROCEDURE_INTERPRETATION,
    "行政诉讼法解释": _ADMIN_PROCEDURE_INTERPRETATION,
    "高检规则": "人民检察院刑事诉讼规则",
    "刑诉规则": "人民检察院刑事诉讼规则",
    "公益诉讼解释": _PIL_INTERPRETATION,
    "检察公益诉讼解释": _PIL_INTERPRETATION,
    "公益诉讼办案规则": "人民检察院公益诉讼办案规则",
    "担保制度解释": _GUARANTEE_INTERPRETATION,
    "民法典担保制度解释": _GUARANTEE_INTERPRETATION,
    "盗窃解释": "最高人民法院、最高人民检察院关于办理盗窃刑事案件适用法律若干问题的解释",
    "诈骗解释": "最高人民法院、最高人民检察院关于办理诈骗刑事案件具体应用法律若干问题的解释",
    "非法采矿解释": "最高人民法院、最高人民检察院关于办理非法采矿、破坏性采矿刑事案件适用法律若干问题的解释",
    "环境污染刑事解释": "最高人民法院、最高人民检察院关于办理环境污染刑事案件适用法律若干问题的解释",
    "环境民事公益诉讼解释": "最高人民法院关于审理环境民事公益诉讼案件适用法律若干问题的解释",
}
