"""Tiers, procedure order and 参照/参考 per case (法发〔2020〕24号 items 四 and 九)."""
from prep.cases import SPC_BASIS, SPP_BASIS, TYPICAL_BASIS, procedure_rank, reference, tier_of


def test_tiers_follow_the_search_order_of_the_rules():
    assert [tier_of(t, lv) for t, lv in (("guiding_case", "spp"), ("guiding_case", "spc"), ("typical_case", "spp"),
                                         ("typical_case", "spc"), ("judgment", "basic_court"),
                                         ("typical_case", "other"))] == [0, 1, 2, 2, 3, 4]


def test_a_civil_public_interest_report_ranks_civil_cases_first():
    civil, admin, joint, plain = ["民事公益诉讼"], ["行政公益诉讼"], ["刑事附带民事公益诉讼"], []
    ranked = sorted([admin, plain, joint, civil], key=lambda p: procedure_rank(p, "民事公益诉讼"))
    assert ranked[0] == civil and ranked[-1] == admin
    assert procedure_rank(admin, "") == 0     # no procedure known: relevance alone decides


def test_reference_per_case():
    assert reference("current", "", "guiding_case", "spp") == ("应当参照", SPP_BASIS)
    assert reference("", "", "guiding_case", "spc") == ("应当参照", SPC_BASIS)
    assert reference("current", "", "typical_case", "spp") == ("可以参考", TYPICAL_BASIS)
    ref, basis = reference("not_referenced", "法〔2020〕343号", "guiding_case", "spc")
    assert ref == "不再参照" and "法〔2020〕343号" in basis
    assert "不得代替法律或者司法解释" in SPP_BASIS and "法发〔2020〕24号第九条" in SPC_BASIS
