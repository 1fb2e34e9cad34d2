"""Tensors from the rows of Spark's ``view=tensors`` of a GGUF or Safetensors file."""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def tensor(row: Any) -> np.ndarray:
    """The tensor of one ``view=tensors`` row as a float32 array of its shape.

    ``row`` is a PySpark ``Row``, a dict, or a pandas row: anything indexed by column name, with
    ``data`` (the values, flat, as Spark returns them) and ``shape`` (outermost dimension first,
    as numpy orders it). ``name`` is used in error messages when present.

    Raises:
        ValueError: if ``data`` does not hold exactly as many values as ``shape`` asks for.
    """
    shape = tuple(int(n) for n in row["shape"])
    data = np.asarray(row["data"], dtype=np.float32)
    if data.ndim != 1 or data.size != math.prod(shape):
        raise ValueError(
            f"tensor {_name(row)!r} has {data.size} values, but its shape {list(shape)}"
            f" holds {math.prod(shape)}"
        )
    return data.reshape(shape)


def _name(row: Any) -> str:
    try:
        return str(row["name"])
    except (KeyError, IndexError, ValueError):
        return "?"
