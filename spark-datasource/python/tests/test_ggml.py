"""The numpy decoders against ggml's own dequantized output, bit for bit, for every type ggml wrote."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

import lazyq
from conftest import ggml_fixtures
from gguf import GGML_TYPES, read

TYPES = sorted(label for label, _, _ in GGML_TYPES.values())


def manifest() -> list[dict[str, str]]:
    path = ggml_fixtures() / "MANIFEST.tsv"
    if not path.is_file():
        return []
    with path.open(newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


ROWS = manifest()


def spark_metadata(label: str) -> dict[str, object]:
    """The column metadata Spark gives a column of these blocks read with dequantize=false."""
    _, size, nbytes = next(t for t in GGML_TYPES.values() if t[0] == label)
    return {"lazyq.quant": label, "lazyq.blockSize": size, "lazyq.blockBytes": nbytes, "lazyq.list": False}


def reference(ggml_dir: Path, row: dict[str, str]) -> np.ndarray:
    # mixed.gguf holds tensor 0's data under the name mixed.<type>.
    tensor = "blk.0.attn_q.weight" if row["file"] == "mixed.gguf" else row["tensor"]
    return np.fromfile(ggml_dir / row["ggml_type"] / f"{tensor}.deq.f32", dtype="<f4")


def test_every_type_has_fixtures(ggml_dir: Path) -> None:
    assert sorted({row["ggml_type"] for row in ROWS}) == TYPES


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['file']}:{r['tensor']}" for r in ROWS])
def test_dequantize_is_bit_exact_with_ggml(ggml_dir: Path, row: dict[str, str]) -> None:
    t = read(ggml_dir / row["file"])[row["tensor"]]
    assert (t.type, t.offset, len(t.data)) == (row["ggml_type"], int(row["data_offset_in_file"]), int(row["nbytes"]))
    assert t.ne + (1,) * (4 - len(t.ne)) == tuple(int(n) for n in row["ne"].split(","))
    expected = reference(ggml_dir, row)
    actual = lazyq.dequantize(t.data, spark_metadata(t.type))
    assert actual.dtype == np.float32
    # Compared as bits: NaN payloads and signed zeros count, and no tolerance hides a rounding.
    np.testing.assert_array_equal(actual.view(np.uint32), expected.view(np.uint32))


@pytest.mark.parametrize("label", TYPES)
def test_raw_blocks_match_the_gguf_bytes(ggml_dir: Path, label: str) -> None:
    for name, t in read(ggml_dir / f"{label}.gguf").items():
        assert t.data == (ggml_dir / label / f"{name}.q.bin").read_bytes()


@pytest.mark.parametrize("label", TYPES)
def test_a_slice_of_blocks_decodes_as_its_part_of_the_whole(ggml_dir: Path, label: str) -> None:
    """A row of raw blocks is any run of whole blocks: decoding one alone changes nothing."""
    t = read(ggml_dir / f"{label}.gguf")["blk.0.ffn_up.weight"]
    _, size, nbytes = next(v for v in GGML_TYPES.values() if v[0] == label)
    whole = lazyq.dequantize(t.data, label)
    first, blocks = 3, 2
    part = lazyq.dequantize(t.data[first * nbytes : (first + blocks) * nbytes], label, count=blocks * size - 1)
    np.testing.assert_array_equal(part.view(np.uint32), whole[first * size : (first + blocks) * size - 1].view(np.uint32))
