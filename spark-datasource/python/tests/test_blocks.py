"""LazyQ's own block types, from blocks built here, and what dequantize refuses."""

from __future__ import annotations

import struct

import numpy as np
import pytest

import lazyq


def f32(x: float) -> float:
    """x rounded to float32, as a Python float."""
    return float(np.float32(x))


def affine_block(lo: float, step: float, codes: list[int], bits: int) -> bytes:
    header = struct.pack("<ff", lo, step)
    if bits == 8:
        return header + bytes(codes)
    return header + bytes(codes[2 * k] | codes[2 * k + 1] << 4 for k in range(32))


@pytest.mark.parametrize("bits", [8, 4])
def test_affine_decodes_min_plus_step_times_code_in_float32(bits: int) -> None:
    rng = np.random.default_rng(1)
    blocks = []
    expected = []
    for lo, step in [(-3.25, 0.0123), (1013.25, 1e-3), (0.0, 0.0)]:
        codes = [int(c) for c in rng.integers(0, 1 << bits, 64)]
        blocks.append(affine_block(lo, step, codes, bits))
        expected += [f32(f32(lo) + f32(f32(step) * c)) for c in codes]
    metadata = {"lazyq.quant": f"affine{bits}", "lazyq.blockSize": 64, "lazyq.blockBytes": 8 + 64 * bits // 8}
    actual = lazyq.dequantize(b"".join(blocks), metadata)
    np.testing.assert_array_equal(actual, np.array(expected, dtype=np.float32))


def pack_codes(codes: list[int], width: int) -> bytes:
    """Code i in bits [i * width, (i + 1) * width), from the first byte's lowest bit."""
    value = sum(c << (i * width) for i, c in enumerate(codes))
    return value.to_bytes((len(codes) * width + 7) // 8, "little")


def bounded_block(base: float, step: float, codes: list[int], width: int) -> bytes:
    return bytes([width]) + struct.pack("<ff", base, step) + pack_codes(codes, width)


def bounded_value(base: float, step: float, code: int) -> float:
    # Python floats are doubles: the sum rounds to double, then to float, as the format defines.
    return f32(f32(base) + f32(step) * code)


@pytest.mark.parametrize("width", [1, 3, 7, 8, 13, 16])
def test_error_bounded_quantized_blocks(width: int) -> None:
    rng = np.random.default_rng(width)
    base, step = 1013.25, 0.019999
    full = [int(c) for c in rng.integers(0, 1 << width, 128)]
    short = [int(c) for c in rng.integers(0, 1 << width, 37)]
    raw = bounded_block(base, step, full, width) + bounded_block(-base, step, short, width)
    expected = [bounded_value(base, step, c) for c in full] + [bounded_value(-base, step, c) for c in short]
    actual = lazyq.dequantize(raw, {"lazyq.quant": "error_bounded", "lazyq.blockSize": 128, "lazyq.blockBytes": -1},
                              count=165)
    np.testing.assert_array_equal(actual, np.array(expected, dtype=np.float32))


def test_error_bounded_constant_and_verbatim_blocks() -> None:
    verbatim = [f32(x) for x in np.linspace(-1e30, 1e30, 128)]
    raw = bytes([0]) + struct.pack("<f", 2.5) + bytes([32]) + struct.pack("<128f", *verbatim)
    np.testing.assert_array_equal(lazyq.dequantize(raw, "error_bounded"), np.array([2.5] * 128 + verbatim, np.float32))
    np.testing.assert_array_equal(lazyq.dequantize(raw, "error_bounded", count=130), np.array([2.5] * 128 + verbatim[:2], np.float32))


def test_a_short_error_bounded_block_needs_its_count() -> None:
    raw = bounded_block(0.0, 1.0, list(range(10)), 4)
    with pytest.raises(ValueError, match="pass count"):
        lazyq.dequantize(raw, "error_bounded")
    np.testing.assert_array_equal(lazyq.dequantize(raw, "error_bounded", count=10), np.arange(10, dtype=np.float32))
    with pytest.raises(ValueError, match="needs 15 bytes for 11 values, 14 remain"):
        lazyq.dequantize(raw, "error_bounded", count=11)
    with pytest.raises(ValueError, match="hold 128 values, not 200"):
        lazyq.dequantize(bytes([0]) + struct.pack("<f", 1.0), "error_bounded", count=200)
    with pytest.raises(ValueError, match="unknown width byte 20"):
        lazyq.dequantize(bytes([20]) + raw[1:], "error_bounded", count=10)


def test_count_trims_the_padding_of_a_last_block() -> None:
    raw = struct.pack("<e", 0.5) + bytes(range(32))
    assert lazyq.dequantize(raw, "q8_0").shape == (32,)
    np.testing.assert_array_equal(lazyq.dequantize(raw, "q8_0", count=3), np.array([0, 0.5, 1], np.float32))
    with pytest.raises(ValueError, match="hold 32 values, not 33"):
        lazyq.dequantize(raw, "q8_0", count=33)


def test_the_metadata_of_an_arrow_field_names_the_type_too() -> None:
    raw = struct.pack("<e", 2.0) + bytes([1]) * 32
    arrow = {"type": "q8_0", "blockSize": 32, "blockBytes": 34, "values": 32, "errorBound": None}
    np.testing.assert_array_equal(lazyq.dequantize(raw, arrow), np.full(32, 2.0, np.float32))
    np.testing.assert_array_equal(lazyq.dequantize(np.frombuffer(raw, np.uint8), "Q8_0"), np.full(32, 2.0, np.float32))


@pytest.mark.parametrize(
    ("raw", "metadata", "message"),
    [
        (bytes(33), "q8_0", "33 bytes are not whole q8_0 blocks of 34 bytes"),
        (bytes(34), "q9_0", "unknown block type 'q9_0'"),
        (bytes(34), {"lazyq.quant": "q8_0", "lazyq.blockSize": 32, "lazyq.blockBytes": 36}, "this lazyq knows them as 32 values in 34 bytes"),
        (bytes(34), {"lazyq.list": True}, "no block type in metadata"),
    ],
)
def test_what_dequantize_refuses(raw: bytes, metadata: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        lazyq.dequantize(raw, metadata)  # type: ignore[arg-type]


def test_half_precision_specials_widen_as_ggml_widens_them() -> None:
    halves = np.array([0x0000, 0x8000, 0x0001, 0x83FF, 0x3C00, 0x7BFF, 0x7C00, 0xFC00, 0x7E00, 0x7C01, 0xFD55], "<u2")
    bits = lazyq.dequantize(halves.tobytes(), "f16").view(np.uint32)
    expected = [0x00000000, 0x80000000, 0x33800000, 0xB87FC000, 0x3F800000, 0x477FE000,
                0x7F800000, 0xFF800000, 0x7FC00000, 0x7FC02000, 0xFFEAA000]
    assert [hex(b) for b in bits] == [hex(b) for b in expected]
