"""Just enough of a GGUF v3 reader to find each tensor's raw blocks, where ggml's reader finds them."""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

# ggml's type ids of the types LazyQ decodes: name, values per block, bytes per block.
GGML_TYPES = {
    0: ("f32", 1, 4), 1: ("f16", 1, 2), 30: ("bf16", 1, 2),
    2: ("q4_0", 32, 18), 3: ("q4_1", 32, 20), 6: ("q5_0", 32, 22), 7: ("q5_1", 32, 24), 8: ("q8_0", 32, 34),
    10: ("q2_K", 256, 84), 11: ("q3_K", 256, 110), 12: ("q4_K", 256, 144), 13: ("q5_K", 256, 176),
    14: ("q6_K", 256, 210),
}
# Bytes of each scalar metadata type; strings (8) and arrays (9) are read apart.
_SCALAR_BYTES = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}
_STRING, _ARRAY, _UINT32 = 8, 9, 4
_DEFAULT_ALIGNMENT = 32


@dataclass(frozen=True)
class Tensor:
    name: str
    type: str
    ne: tuple[int, ...]  # ggml's order: ne[0] varies fastest
    offset: int  # of the data, from the start of the file
    data: bytes


def read(path: Path) -> dict[str, Tensor]:
    """Every tensor of a GGUF file by name, with its raw bytes."""
    content = path.read_bytes()
    with path.open("rb") as f:
        magic, version, n_tensors, n_kv = struct.unpack("<4sIQQ", f.read(24))
        if magic != b"GGUF" or version != 3:
            raise ValueError(f"{path}: not a GGUF v3 file")
        alignment = _DEFAULT_ALIGNMENT
        for _ in range(n_kv):
            key = _string(f)
            (kind,) = struct.unpack("<I", f.read(4))
            if key == "general.alignment" and kind == _UINT32:
                (alignment,) = struct.unpack("<I", f.read(4))
            else:
                _skip(f, kind)
        infos = []
        for _ in range(n_tensors):
            name = _string(f)
            (n_dims,) = struct.unpack("<I", f.read(4))
            ne = struct.unpack(f"<{n_dims}Q", f.read(8 * n_dims))
            type_id, relative = struct.unpack("<IQ", f.read(12))
            infos.append((name, type_id, ne, relative))
        data_start = -(-f.tell() // alignment) * alignment
    tensors = {}
    for name, type_id, ne, relative in infos:
        label, block_size, block_bytes = GGML_TYPES[type_id]
        size = -(-math.prod(ne) // block_size) * block_bytes
        at = data_start + relative
        tensors[name] = Tensor(name, label, tuple(ne), at, content[at : at + size])
    return tensors


def _string(f: BinaryIO) -> str:
    (n,) = struct.unpack("<Q", f.read(8))
    return f.read(n).decode("utf-8")


def _skip(f: BinaryIO, kind: int) -> None:
    if kind == _STRING:
        _string(f)
    elif kind == _ARRAY:
        element, n = struct.unpack("<IQ", f.read(12))
        for _ in range(n):
            _skip(f, element)
    else:
        f.read(_SCALAR_BYTES[kind])
