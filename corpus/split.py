"""The deterministic dev/test split of cases.

Half the cases (by a hash of the case id, so the split never depends on file order or
on which other cases exist) are test cases: the dense trainer never mines training
pairs from them, and the dev benchmarks report on them.
"""
from __future__ import annotations

import hashlib


def is_test_case(doc_id: str) -> bool:
    return hashlib.sha1(doc_id.encode("utf-8")).digest()[0] % 2 == 0
