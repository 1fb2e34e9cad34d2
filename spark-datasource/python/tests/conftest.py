"""Where the shared test fixtures are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

#: The project's root: spark-datasource/python/tests is three levels below it.
PROJECT_ROOT = Path(__file__).resolve().parents[3]


def ggml_fixtures() -> Path:
    """The reference tensors ggml made: ``LAZYQ_GGML_FIXTURES``, or ``../shared/fixtures/ggml``."""
    named = os.environ.get("LAZYQ_GGML_FIXTURES")
    return Path(named) if named else PROJECT_ROOT.parent / "shared" / "fixtures" / "ggml"


@pytest.fixture(scope="session")
def ggml_dir() -> Path:
    path = ggml_fixtures()
    if not (path / "MANIFEST.tsv").is_file():
        # Missing fixtures must fail the run, not silently pass it.
        pytest.fail(f"ggml fixtures not found at {path} (set LAZYQ_GGML_FIXTURES)")
    return path
