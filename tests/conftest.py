"""Shared fixtures: paths to the bundled corpus and to ../shared (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"
EXAMPLE = CORPORA / "en" / "2025-09-19_xi-trump-call"
SHARED_READOUTS = ROOT.parent / "shared" / "data" / "wh-readouts"


@pytest.fixture(scope="session")
def example_pair() -> tuple[Path, Path]:
    """The flagship example: the Chinese and US readouts of the 19 September 2025 call."""
    return EXAMPLE / "cn.txt", EXAMPLE / "us.txt"


@pytest.fixture(scope="session")
def wh_readouts() -> Path:
    if not SHARED_READOUTS.is_dir():
        pytest.skip(f"real readouts not found at {SHARED_READOUTS} (../shared is absent)")
    return SHARED_READOUTS


@pytest.fixture(scope="session", autouse=True)
def _private_cache_folder(tmp_path_factory):
    """What readout_diff caches per user (the lemma table, jieba's dictionary) goes to a
    temporary folder during the tests, not to the user's cache folder."""
    patch = pytest.MonkeyPatch()
    patch.setenv("READOUT_DIFF_CACHE_DIR", str(tmp_path_factory.mktemp("readout_diff_cache")))
    yield
    patch.undo()
