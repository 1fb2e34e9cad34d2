"""numpy decoders of every LazyQ block type, bit for bit as LazyQ's Java codecs (and ggml) decode.

Every decoder computes in float32, one rounding per operation, in the order ggml's reference code
uses: numpy neither fuses a multiply and an add nor widens float32 arithmetic, so the results are
the same bits. Integer codes are converted to float32 before they meet a float32 scale, since
numpy would otherwise promote the product to float64.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import numpy as np

_F32 = np.float32
_LE_U16 = np.dtype("<u2")
_LE_U32 = np.dtype("<u4")
_LE_F32 = np.dtype("<f4")


class BlockType(NamedTuple):
    """The layout of one block type: values per block, bytes per block, and the decoder of whole
    blocks given as rows of a uint8 array. Variable-size blocks have neither (0 and None)."""

    block_size: int
    block_bytes: int
    decode: Callable[[np.ndarray], np.ndarray] | None


def dequantize(raw: Any, metadata: Mapping[str, Any] | str, count: int | None = None) -> np.ndarray:
    """Decodes raw quantized blocks into float32 values.

    ``raw`` holds whole blocks, as a column read with ``dequantize=false`` returns them in each
    row (``bytes`` or a ``bytearray``, ``memoryview`` or uint8 array); to decode a column, join
    its non-null rows in order. ``metadata`` says which block type they are: the column's Spark
    metadata (``df.schema["col"].metadata``, with ``lazyq.quant``), the metadata of a
    ``lazyq.quantized`` Arrow field (with ``type``), or simply a type name such as ``"q4_K"``.

    ``count`` is the number of values wanted; without it every value of every block comes back,
    including the padding of a column's last block. ``error_bounded`` blocks hold 128 values each
    except a chunk's last, which may be shorter: decoding that one needs ``count``.

    Raises:
        ValueError: for an unknown block type, metadata that contradicts the known layout, bytes
            that are not whole blocks, or a ``count`` the blocks cannot hold.
    """
    label, kind = _block_type(metadata)
    data = raw.view(np.uint8).ravel() if isinstance(raw, np.ndarray) else np.frombuffer(raw, dtype=np.uint8)
    if count is not None and count < 0:
        raise ValueError(f"count must be >= 0, got {count}")
    if kind.decode is None:
        return _error_bounded(data, count)
    if data.size % kind.block_bytes:
        raise ValueError(f"{data.size} bytes are not whole {label} blocks of {kind.block_bytes} bytes")
    blocks = data.reshape(-1, kind.block_bytes)
    capacity = blocks.shape[0] * kind.block_size
    if count is not None and count > capacity:
        raise ValueError(f"{blocks.shape[0]} {label} blocks hold {capacity} values, not {count}")
    values = kind.decode(blocks).reshape(-1)
    return values if count is None else values[:count]


def _block_type(metadata: Mapping[str, Any] | str) -> tuple[str, BlockType]:
    """The block type named by Spark column metadata, Arrow field metadata, or a bare name."""
    if isinstance(metadata, str):
        label, size, nbytes = metadata, None, None
    elif "lazyq.quant" in metadata:
        label, size, nbytes = metadata["lazyq.quant"], metadata.get("lazyq.blockSize"), metadata.get("lazyq.blockBytes")
    elif "type" in metadata:
        label, size, nbytes = metadata["type"], metadata.get("blockSize"), metadata.get("blockBytes")
    else:
        raise ValueError(f"no block type in metadata {dict(metadata)!r}: expected 'lazyq.quant' or 'type'")
    kind = _TYPES.get(str(label).lower())
    if kind is None:
        raise ValueError(f"unknown block type {label!r}; known: {', '.join(sorted(_TYPES))}")
    # The metadata states -1 for variable-size blocks, as the Java side does.
    expected_bytes = kind.block_bytes or -1
    if (size is not None and int(size) != kind.block_size) or (nbytes is not None and int(nbytes) != expected_bytes):
        raise ValueError(
            f"{label} blocks of {size} values in {nbytes} bytes: this lazyq knows them as"
            f" {kind.block_size} values in {expected_bytes} bytes"
        )
    return str(label), kind


def _u16(blocks: np.ndarray, at: int) -> np.ndarray:
    """The little-endian uint16 at byte ``at`` of every block, as a column."""
    return np.ascontiguousarray(blocks[:, at : at + 2]).view(_LE_U16)


def _half(blocks: np.ndarray, at: int) -> np.ndarray:
    """The fp16 at byte ``at`` of every block, widened to float32, as a column."""
    return _half_table()[_u16(blocks, at)]


_HALF_TABLE: np.ndarray | None = None


def _half_table() -> np.ndarray:
    """Every fp16 value as float32, widened with integer arithmetic as ggml's reference does.

    numpy's own float16 conversion is exact too, but may or may not quiet a signalling NaN
    depending on the CPU; LazyQ and ggml keep the payload and set the quiet bit.
    """
    global _HALF_TABLE
    if _HALF_TABLE is None:
        h = np.arange(1 << 16, dtype=np.uint32)
        sign = (h & 0x8000) << 16
        exp = (h >> 10) & 0x1F
        mant = h & 0x3FF
        normal = sign | ((exp + 112) << 23) | (mant << 13)
        nan_bits = np.where(mant == 0, np.uint32(0), np.uint32(0x00400000) | (mant << 13))
        special = sign | np.uint32(0x7F800000) | nan_bits
        # A subnormal half is mant * 2^-24, which float32 holds exactly as a normal number.
        subnormal = (mant.astype(_F32) * _F32(2.0**-24)).view(np.uint32) | sign
        bits = np.where(exp == 0x1F, special, np.where(exp == 0, subnormal, normal)).astype(np.uint32)
        _HALF_TABLE = bits.view(_F32)
    return _HALF_TABLE


def _f32_at(blocks: np.ndarray, at: int) -> np.ndarray:
    return np.ascontiguousarray(blocks[:, at : at + 4]).view(_LE_F32).astype(_F32)


def _nibbles(packed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return packed & 0x0F, packed >> 4


def _f32(codes: np.ndarray) -> np.ndarray:
    """Integer codes as float32: exact, since every code here is far below 2^24."""
    return codes.astype(_F32)


def _fifth_bits(blocks: np.ndarray, at: int) -> np.ndarray:
    """Q5_0 and Q5_1's u32 of fifth bits: bit i for value i, as 0 or 0x10."""
    qh = np.ascontiguousarray(blocks[:, at : at + 4]).view(_LE_U32)
    return ((qh >> np.arange(32, dtype=np.uint32)) & 1).astype(np.uint8) << 4


def _f32_values(blocks: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(blocks).view(_LE_F32).astype(_F32)


def _f16(blocks: np.ndarray) -> np.ndarray:
    return _half_table()[np.ascontiguousarray(blocks).view(_LE_U16)]


def _bf16(blocks: np.ndarray) -> np.ndarray:
    return (np.ascontiguousarray(blocks).view(_LE_U16).astype(np.uint32) << 16).view(_F32)


def _q8_0(blocks: np.ndarray) -> np.ndarray:
    d = _half(blocks, 0)
    return _f32(blocks[:, 2:34].view(np.int8)) * d


def _q4_0(blocks: np.ndarray) -> np.ndarray:
    low, high = _nibbles(blocks[:, 2:18])
    codes = np.concatenate([low, high], axis=1).astype(np.int16) - 8
    return _f32(codes) * _half(blocks, 0)


def _q4_1(blocks: np.ndarray) -> np.ndarray:
    low, high = _nibbles(blocks[:, 4:20])
    codes = np.concatenate([low, high], axis=1)
    return _f32(codes) * _half(blocks, 0) + _half(blocks, 2)


def _q5_0(blocks: np.ndarray) -> np.ndarray:
    low, high = _nibbles(blocks[:, 6:22])
    codes = (np.concatenate([low, high], axis=1) | _fifth_bits(blocks, 2)).astype(np.int16) - 16
    return _f32(codes) * _half(blocks, 0)


def _q5_1(blocks: np.ndarray) -> np.ndarray:
    low, high = _nibbles(blocks[:, 8:24])
    codes = np.concatenate([low, high], axis=1) | _fifth_bits(blocks, 4)
    return _f32(codes) * _half(blocks, 0) + _half(blocks, 2)


def _q2_k(blocks: np.ndarray) -> np.ndarray:
    n = blocks.shape[0]
    scales = blocks[:, 0:16]
    d = _half(blocks, 80)
    dmin = _half(blocks, 82)
    # Two halves of 128 values, each from 32 bytes read at shifts 0, 2, 4 and 6; every run of 16
    # values has its own scale and min, in the order the runs appear.
    shifts = np.array([0, 2, 4, 6], dtype=np.uint8).reshape(1, 1, 4, 1)
    q = (blocks[:, 16:80].reshape(n, 2, 1, 32) >> shifts) & 3
    q = q.reshape(n, 16, 16)
    dl = d * _f32(scales & 0x0F)
    ml = dmin * _f32(scales >> 4)
    return dl[:, :, None] * _f32(q) - ml[:, :, None]


def _q3_k(blocks: np.ndarray) -> np.ndarray:
    n = blocks.shape[0]
    d = _half(blocks, 108)
    s = blocks[:, 96:108].astype(np.int16)
    j = np.arange(16)
    low = np.where(j < 8, s[:, j % 8] & 0x0F, s[:, j % 8] >> 4)
    high = (s[:, 8 + (j & 3)] >> (2 * (j >> 2))) & 3
    scale = (low | high << 4) - 32
    shifts = np.array([0, 2, 4, 6], dtype=np.uint8).reshape(1, 1, 4, 1)
    q = (blocks[:, 32:96].reshape(n, 2, 1, 32) >> shifts) & 3
    # The high bit of value k of run r is bit r of hmask[k]; where it is clear, the code is q - 4.
    bit = np.arange(8, dtype=np.uint8).reshape(1, 2, 4, 1)
    h = (blocks[:, 0:32].reshape(n, 1, 1, 32) >> bit) & 1
    v = (q.astype(np.int16) - 4 + (h.astype(np.int16) << 2)).reshape(n, 16, 16)
    dl = d * _f32(scale)
    return dl[:, :, None] * _f32(v)


def _k_scales(blocks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Q4_K and Q5_K's eight 6-bit scales and mins, from 12 bytes at byte 4 (ggml's get_scale_min_k4)."""
    s = blocks[:, 4:16]
    scale = np.concatenate([s[:, 0:4] & 63, (s[:, 8:12] & 0x0F) | ((s[:, 0:4] >> 6) << 4)], axis=1)
    mins = np.concatenate([s[:, 4:8] & 63, (s[:, 8:12] >> 4) | ((s[:, 4:8] >> 6) << 4)], axis=1)
    return scale, mins


def _k_values(blocks: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """d * scale * q - dmin * min for the eight runs of 32 codes of Q4_K and Q5_K."""
    scale, mins = _k_scales(blocks)
    dl = _half(blocks, 0) * _f32(scale)
    ml = _half(blocks, 2) * _f32(mins)
    return dl[:, :, None] * _f32(codes) - ml[:, :, None]


def _q4_k(blocks: np.ndarray) -> np.ndarray:
    n = blocks.shape[0]
    low, high = _nibbles(blocks[:, 16:144].reshape(n, 4, 32))
    return _k_values(blocks, np.stack([low, high], axis=2).reshape(n, 8, 32))


def _q5_k(blocks: np.ndarray) -> np.ndarray:
    n = blocks.shape[0]
    low, high = _nibbles(blocks[:, 48:176].reshape(n, 4, 32))
    nibbles = np.stack([low, high], axis=2).reshape(n, 8, 32)
    # Run r takes its fifth bits from bit r of the 32 qh bytes.
    fifth = (blocks[:, 16:48].reshape(n, 1, 32) >> np.arange(8, dtype=np.uint8).reshape(1, 8, 1)) & 1
    return _k_values(blocks, nibbles | fifth << 4)


def _q6_k(blocks: np.ndarray) -> np.ndarray:
    n = blocks.shape[0]
    ql = blocks[:, 0:128].reshape(n, 2, 64)
    hi = blocks[:, 128:192].reshape(n, 2, 32)
    lo, lo2 = ql[:, :, :32], ql[:, :, 32:]
    q = np.stack(
        [
            (lo & 0x0F) | (hi & 3) << 4,
            (lo2 & 0x0F) | ((hi >> 2) & 3) << 4,
            (lo >> 4) | ((hi >> 4) & 3) << 4,
            (lo2 >> 4) | ((hi >> 6) & 3) << 4,
        ],
        axis=2,
    ).astype(np.int16) - 32
    # Quarter k of half h uses scale 8h + 2k for its first 16 values and 8h + 2k + 1 for the rest.
    sc = np.repeat(blocks[:, 192:208].view(np.int8).reshape(n, 2, 4, 2), 16, axis=3).reshape(n, 2, 4, 32)
    d = _half(blocks, 208).reshape(n, 1, 1, 1)
    # ggml multiplies d by the scale first, then by the code: the order fixes the rounding.
    return (d * _f32(sc)) * _f32(q)


def _affine(bits: int) -> Callable[[np.ndarray], np.ndarray]:
    def decode(blocks: np.ndarray) -> np.ndarray:
        lo, step = _f32_at(blocks, 0), _f32_at(blocks, 4)
        codes = blocks[:, 8:]
        if bits == 4:
            low, high = _nibbles(codes)
            codes = np.stack([low, high], axis=2).reshape(blocks.shape[0], 64)
        return lo + step * _f32(codes)

    return decode


# error_bounded: a width byte per block; 0 is a constant, 32 verbatim floats, 1..16 bit-packed codes.
_EB_BLOCK = 128
_EB_CONSTANT = 0
_EB_VERBATIM = 32
_EB_MAX_WIDTH = 16


def _eb_block_bytes(width: int, m: int) -> int:
    if width == _EB_CONSTANT:
        return 5
    if width == _EB_VERBATIM:
        return 1 + 4 * m
    return 1 + 8 + (m * width + 7) // 8


def _error_bounded(data: np.ndarray, count: int | None) -> np.ndarray:
    """Decodes error_bounded blocks laid end to end, as a raw row holds them (no offset table)."""
    out: list[np.ndarray] = []
    at = 0
    left = count
    while at < data.size and (left is None or left > 0):
        width = int(data[at])
        if width not in (_EB_CONSTANT, _EB_VERBATIM) and not 1 <= width <= _EB_MAX_WIDTH:
            raise ValueError(f"error_bounded block at byte {at} has unknown width byte {width}")
        m = _EB_BLOCK if left is None else min(_EB_BLOCK, left)
        end = at + _eb_block_bytes(width, m)
        if end > data.size:
            raise ValueError(
                f"error_bounded block at byte {at} needs {end - at} bytes for {m} values, {data.size - at} remain"
                + ("; a chunk's last block may be shorter: pass count" if left is None else "")
            )
        base = data[at + 1 : at + 5].view(_LE_F32)[0]
        if width == _EB_CONSTANT:
            out.append(np.full(m, base, dtype=_F32))
        elif width == _EB_VERBATIM:
            out.append(data[at + 1 : end].view(_LE_F32).astype(_F32))
        else:
            step = data[at + 5 : at + 9].view(_LE_F32)[0]
            # Code i sits in bits [i * w, (i + 1) * w), counted from the first byte's lowest bit.
            bits = np.unpackbits(data[at + 9 : end], bitorder="little")[: m * width].reshape(m, width)
            codes = bits.astype(np.int64) @ (np.int64(1) << np.arange(width, dtype=np.int64))
            # In double, as the format defines: step * q is exact there, so one rounding to double
            # and one to float, the same as Java's (float) (base + step * q).
            out.append((np.float64(base) + np.float64(step) * codes.astype(np.float64)).astype(_F32))
        at = end
        if left is not None:
            left -= m
    if left:
        raise ValueError(f"error_bounded blocks hold {count - left} values, not {count}")
    if at < data.size and left is None:
        raise ValueError(f"{data.size - at} bytes after the last error_bounded block")
    return np.concatenate(out) if out else np.empty(0, dtype=_F32)


# Every block type by its lowercased name: ggml's types as GGUF stores them, and LazyQ's own.
_TYPES: dict[str, BlockType] = {
    "f32": BlockType(1, 4, _f32_values),
    "f16": BlockType(1, 2, _f16),
    "bf16": BlockType(1, 2, _bf16),
    "q4_0": BlockType(32, 18, _q4_0),
    "q4_1": BlockType(32, 20, _q4_1),
    "q5_0": BlockType(32, 22, _q5_0),
    "q5_1": BlockType(32, 24, _q5_1),
    "q8_0": BlockType(32, 34, _q8_0),
    "q2_k": BlockType(256, 84, _q2_k),
    "q3_k": BlockType(256, 110, _q3_k),
    "q4_k": BlockType(256, 144, _q4_k),
    "q5_k": BlockType(256, 176, _q5_k),
    "q6_k": BlockType(256, 210, _q6_k),
    "affine8": BlockType(64, 72, _affine(8)),
    "affine4": BlockType(64, 40, _affine(4)),
    "error_bounded": BlockType(_EB_BLOCK, 0, None),
}
