"""Write a small document into a test's tmp folder and read it back through the corpus readers."""
from __future__ import annotations

from pathlib import Path

from corpus.readers import read_file


def read_written(tmp_path: Path, rel: str, text: str):
    path = tmp_path / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    docs, warnings = read_file(path, rel)
    assert warnings == []
    return docs
