"""Chinese numerals as statutes and citations write them (第七十四条, 二〇二二年, 第74条)."""
from __future__ import annotations

import re

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_WAN = 10_000
_CN_DIGITS = "零一二三四五六七八九"
_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_ARABIC_RE = re.compile(r"[0-9]+")


def cn_to_int(s: str) -> int | None:
    """Parse Chinese or (full-width) Arabic numerals; None when `s` is not a number."""
    s = s.strip().translate(_FULL_WIDTH)
    if _ARABIC_RE.fullmatch(s):
        return int(s)
    if not s or any(ch not in _DIGITS and ch not in _UNITS and ch != "万" for ch in s):
        return None
    if all(ch in _DIGITS for ch in s):  # 二〇二二: years are written digit by digit
        return int("".join(str(_DIGITS[ch]) for ch in s))
    total = section = 0
    digit: int | None = None
    last_unit = _WAN  # units inside a section must fall: 一千二百, never 十百
    for ch in s:
        if ch in _DIGITS:
            if _DIGITS[ch] and digit:  # two digits in a row without a unit between
                return None
            digit = _DIGITS[ch] or None
        elif ch in _UNITS:
            if _UNITS[ch] >= last_unit:
                return None
            section += (digit if digit is not None else 1) * _UNITS[ch]
            digit, last_unit = None, _UNITS[ch]
        else:  # 万
            if total:
                return None
            total = (section + (digit or 0)) * _WAN
            section, digit, last_unit = 0, None, _WAN
    return total + section + (digit or 0)


def int_to_cn(n: int) -> str:
    """Statute style: 10 → 十, 110 → 一百一十, 101 → 一百零一."""
    if n < 0:
        raise ValueError(f"negative number: {n}")
    if n == 0:
        return "零"
    if n >= _WAN:
        high, low = divmod(n, _WAN)
        rest = "" if not low else ("零" if low < 1000 else "") + _section(low)
        return int_to_cn(high) + "万" + rest
    text = _section(n)
    return text[1:] if 10 <= n < 20 else text  # 十三, not 一十三


def _section(n: int) -> str:
    """1..9999 with 零 for each run of missing units."""
    out: list[str] = []
    gap = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if not d:
            gap = bool(out)
            continue
        if gap:
            out.append("零")
            gap = False
        out.append(_CN_DIGITS[d] + unit)
    return "".join(out)
