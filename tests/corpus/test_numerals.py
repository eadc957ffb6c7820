import pytest

from corpus.numerals import cn_to_int, int_to_cn


@pytest.mark.parametrize("text, value", [
    ("七十四", 74), ("十三", 13), ("十", 10), ("一百二十", 120), ("一千二百六十", 1260),
    ("一百零一", 101), ("一千零一十", 1010), ("两百", 200), ("一万零一", 10001),
    ("二〇二二", 2022), ("零", 0), ("74", 74), ("７４", 74),
])
def test_cn_to_int(text, value):
    assert cn_to_int(text) == value


@pytest.mark.parametrize("text", ["", "abc", "七十四条", "十十", "一二十"])
def test_cn_to_int_rejects_non_numbers(text):
    assert cn_to_int(text) is None


@pytest.mark.parametrize("value, text", [
    (74, "七十四"), (10, "十"), (13, "十三"), (101, "一百零一"), (110, "一百一十"),
    (120, "一百二十"), (1260, "一千二百六十"), (1000, "一千"), (1010, "一千零一十"),
    (10010, "一万零一十"),
])
def test_int_to_cn(value, text):
    assert int_to_cn(value) == text


def test_round_trip():
    assert all(cn_to_int(int_to_cn(n)) == n for n in range(1, 3000))
