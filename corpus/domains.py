"""Public-interest domain and procedure of a case, derived from its title, keywords and holding.

Only those three fields are read: facts mention everything (a 食品 case's facts may
name a river), so reading them would smear every case across every domain.
"""
from __future__ import annotations

# Domain → cue words. The domains are those the SPP uses to file PIL cases (公益诉讼办案领域).
DOMAIN_CUES: dict[str, tuple[str, ...]] = {
    "生态环境和资源保护": ("生态", "环境", "污染", "矿", "采砂", "砂石", "森林", "林地", "林木", "草原", "湿地",
                      "耕地", "野生动物", "水源", "河道", "流域", "湖", "海洋", "固体废物", "危险废物", "渔业",
                      "排污", "大气", "土壤", "地热", "自然保护区"),
    "食品药品安全": ("食品", "药品", "保健品", "农药", "兽药", "疫苗", "医疗器械"),
    "国有财产保护": ("国有财产", "国有资产", "财政", "补贴", "社保基金", "医保基金", "税款", "罚没", "国有资金"),
    "国有土地使用权出让": ("土地使用权出让", "土地出让", "出让金", "国有土地"),
    "英烈保护": ("英烈", "英雄烈士", "烈士"),
    "未成年人保护": ("未成年", "儿童", "学生", "校园"),
    "安全生产": ("安全生产", "生产安全", "安全隐患", "消防"),
    "个人信息保护": ("个人信息",),
    "文物和文化遗产保护": ("文物", "长城", "文化遗产", "古建筑", "历史文化"),
}

# Ordered: the more specific label must be tested before the one it contains.
PROCEDURES = ("刑事附带民事公益诉讼", "行政公益诉讼", "民事公益诉讼", "支持起诉", "刑事", "民事", "行政")
_CRIMINAL_CUES = ("罪", "刑事", "被告人", "犯罪嫌疑人", "逮捕", "起诉书")


def derive_domains(text: str) -> list[str]:
    return [domain for domain, cues in DOMAIN_CUES.items() if any(cue in text for cue in cues)]


def derive_procedures(title: str, keywords: list[str], category: str = "") -> list[str]:
    """The case's procedure; PIL labels first because the search filter cares about them most."""
    text = title + " " + " ".join(keywords) + " " + category
    found = [p for p in PROCEDURES[:4] if p in text]
    if "刑事附带民事公益诉讼" in found and "民事公益诉讼" in found and "民事公益诉讼" not in text.replace("刑事附带民事公益诉讼", ""):
        found.remove("民事公益诉讼")
    if not found and "公益诉讼" in text:
        found.append("公益诉讼")
    if not found:
        if any(cue in text for cue in _CRIMINAL_CUES):
            found.append("刑事")
        elif category in ("民事", "行政"):
            found.append(category)
    return found
