"""jieba tokens for BM25, with a legal user dictionary built from the corpus itself.

Search-mode segmentation (cut_for_search) indexes 矿产资源法 as 矿产, 资源, 矿产资源, 矿产资源法,
so a procurator who types 矿产资源 still matches the law's name. HMM new-word discovery
is off: the user dictionary already knows the legal terms, and HMM costs a third of the
time and splits the same name differently in different contexts.
"""
from __future__ import annotations

import hashlib
import logging
import re
from functools import lru_cache
from pathlib import Path

import jieba

_STOPWORDS_FILE = Path(__file__).with_name("stopwords.txt")
_KEEP_RE = re.compile(r"[\w\u4e00-\u9fff]")
_USER_WORD_FREQ = 200000   # high enough that jieba keeps a dictionary term whole
jieba.setLogLevel(logging.WARNING)   # its "Building prefix dict" chatter is not for users


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return frozenset(w.strip() for w in _STOPWORDS_FILE.read_text(encoding="utf-8").split() if w.strip())


def write_userdict(terms: set[str], path: Path) -> None:
    """jieba's user-dictionary format: `word freq` per line (no spaces inside words)."""
    lines = sorted(f"{t} {_USER_WORD_FREQ}" for t in terms if t and not re.search(r"\s", t) and len(t) <= 30)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def fingerprint(userdict: Path | None) -> str:
    """What decides how a text splits: jieba's version, the stopwords and the user dictionary."""
    digest = hashlib.sha1(jieba.__version__.encode())
    digest.update(_STOPWORDS_FILE.read_bytes())
    if userdict is not None and userdict.exists():
        digest.update(userdict.read_bytes())
    return digest.hexdigest()


class Tokenizer:
    """One jieba dictionary per tokenizer, so a test's tiny dictionary never leaks into another."""

    def __init__(self, userdict: Path | None = None):
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        if userdict is not None and userdict.exists():
            self._jieba.load_userdict(str(userdict))
        self._stop = stopwords()

    def tokens(self, text: str) -> list[str]:
        out = []
        for token in self._jieba.cut_for_search(text.lower(), HMM=False):
            token = token.strip()
            if token and token not in self._stop and _KEEP_RE.search(token):
                out.append(token)
        return out

    def __call__(self, text: str) -> list[str]:
        return self.tokens(text)


# -- parallel tokenisation for builds: one tokenizer per worker process ---------------------
_worker: Tokenizer | None = None


def init_worker(userdict: Path | None) -> None:
    global _worker
    _worker = Tokenizer(userdict)


def tokenize_batch(texts: list[str]) -> list[str]:
    """Each text's tokens joined by spaces (a token never holds whitespace): one string a text
    crosses between processes, not one per token."""
    assert _worker is not None, "init_worker must run first"
    return [" ".join(_worker.tokens(t)) for t in texts]
