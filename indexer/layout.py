"""Where an index lives on disk, and the atomic swap that publishes a new one.

    <index root>/current  → symlink to builds/<stamp>   (what readers open)
    <index root>/builds/<stamp>/manifest.json           (written last: a build without it is unfinished)

A build writes a fresh builds/<stamp> and only then repoints `current`, so a crash
mid-build (even kill -9) leaves the previous index whole and serving.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from corpus.errors import LeianError

MANIFEST = "manifest.json"
FORMAT_VERSION = 5   # 2: sources record why they merged; cases carry their standing; 3: judgments, court levels;
                     # 4: the manifest names its retrievers' backend; units carry their kind;
                     # 5: the question memory's BM25 index is saved (questions-bm25/)
_KEEP_OLD_BUILDS = 2   # a server may still hold the previous build open


class IndexUnavailable(LeianError):
    """An index that cannot be used; the message says what to do."""

    code = "index_unavailable"
    http_status = 503


def default_index_root() -> Path:
    return Path(os.environ.get("LEIAN_INDEX") or "var/index")


def default_corpus_roots() -> list[Path]:
    env = os.environ.get("LEIAN_CORPUS")
    if env:
        return [Path(p) for p in env.split(os.pathsep) if p]
    for candidate in (Path("../shared/corpus"), Path(__file__).resolve().parents[1].parent / "shared" / "corpus"):
        if candidate.is_dir():
            return [candidate]
    return []


def new_build_dir(root: Path) -> Path:
    builds = root / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    # Sortable by time, unique even for two builds in one second (mkdtemp adds a random suffix).
    return Path(tempfile.mkdtemp(prefix=time.strftime("%Y%m%dT%H%M%S-"), dir=builds))


def write_manifest(build: Path, info: dict) -> None:
    tmp = build / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps({"format": FORMAT_VERSION, **info}, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, build / MANIFEST)


def publish(root: Path, build: Path) -> list[Path]:
    """Point `current` at the finished build in one rename, then drop builds nobody uses;
    returns the finished builds kept (the newest last)."""
    link = root / "current"
    tmp = root / f".current.{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(build.relative_to(root))
    os.replace(tmp, link)
    return _prune(root, keep=build)


def _prune(root: Path, keep: Path) -> list[Path]:
    builds = sorted((p for p in (root / "builds").iterdir() if p.is_dir()), key=lambda p: p.name)
    finished = [p for p in builds if (p / MANIFEST).exists()]
    unfinished = [p for p in builds if p not in finished and p != keep]   # before any removal
    kept = [p for p in finished if p == keep or p in finished[-_KEEP_OLD_BUILDS:]]
    for old in finished:
        if old not in kept:
            shutil.rmtree(old, ignore_errors=True)
    for build in unfinished:
        try:
            if time.time() - build.stat().st_mtime > 3600:   # left by a crashed build long ago
                shutil.rmtree(build, ignore_errors=True)
        except OSError:
            pass   # another build's pruning got there first
    return kept


def current_build(root: Path) -> Path:
    """The published build, checked enough to fail with a message rather than a traceback."""
    link = root / "current"
    if not link.exists():
        raise IndexUnavailable(f"no index at {root}: run `leian build` first (or set LEIAN_INDEX)")
    build = link.resolve()
    manifest = build / MANIFEST
    try:
        info = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise IndexUnavailable(f"index at {build} is incomplete or corrupted (bad {MANIFEST}): run `leian build` again") from None
    if info.get("format") != FORMAT_VERSION:
        raise IndexUnavailable(f"index at {build} has format {info.get('format')}, this leian reads {FORMAT_VERSION}: rebuild it")
    missing = [name for name in info.get("files", []) if not (build / name).exists()]
    if missing:
        raise IndexUnavailable(f"index at {build} is missing {', '.join(missing)}: run `leian build` again")
    return build


def read_manifest(build: Path) -> dict:
    return json.loads((build / MANIFEST).read_text(encoding="utf-8"))
