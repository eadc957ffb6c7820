"""The embedding's vocabulary is the same in every process: a row's random start follows its place."""
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = ("import json; from indexer.training import _vocabulary; "
          "print(json.dumps(_vocabulary([['采矿', '鳄鱼', '滥伐'], ['采矿', '砂石']], ['采矿'])))")


def _vocabulary_under(seed: str) -> list[str]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=REPO, env=env, capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)


def test_the_vocabulary_does_not_follow_the_string_hash_seed():
    """Two full builds gave different vectors while the unseen words' characters came in set order."""
    first = _vocabulary_under("1")
    assert all(_vocabulary_under(seed) == first for seed in ("2", "3"))
    assert first[:3] == ["[UNK]", "[PAD]", "采矿"] and set("鳄鱼滥伐砂石") <= set(first)
