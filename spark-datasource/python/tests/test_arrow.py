"""lazyq.read_arrow, where pyarrow is installed; without it, a clear ImportError."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import lazyq


def test_without_pyarrow_it_says_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ImportError, match="pip install pyarrow"):
        lazyq.read_arrow(tmp_path / "any.arrow")


@pytest.mark.parametrize("stream", [False, True])
def test_reads_arrow_files_and_streams(tmp_path: Path, stream: bool) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.ipc

    table = pa.table({"ts": pa.array([1, 2, 3], pa.int64()), "vib": pa.array([0.5, -1.0, 2.0], pa.float32())})
    path = tmp_path / "t.arrow"
    with pa.OSFile(str(path), "wb") as sink:
        opener = pyarrow.ipc.new_stream if stream else pyarrow.ipc.new_file
        with opener(sink, table.schema) as writer:
            writer.write_table(table)
    assert lazyq.read_arrow(path).equals(table)
