"""lazyq.tensor over rows shaped as Spark's view=tensors gives them."""

from __future__ import annotations

import numpy as np
import pytest

import lazyq


def test_a_row_becomes_a_float32_array_of_its_shape_outermost_first() -> None:
    # A GGUF tensor of ne = [4, 3, 2] (ne[0] fastest) has the shape [2, 3, 4] in Spark.
    row = {"name": "blk.0.w", "type": "q8_0", "shape": [2, 3, 4], "data": [float(i) for i in range(24)]}
    t = lazyq.tensor(row)
    assert t.dtype == np.float32 and t.shape == (2, 3, 4)
    # The last dimension varies fastest, as ne[0] does in ggml.
    assert t[1, 2, 3] == 23 and t[0, 1, 0] == 4 and t[1, 0, 0] == 12


def test_a_scalar_shape_and_array_data() -> None:
    assert lazyq.tensor({"shape": [], "data": np.array([1.5], np.float32)}).shape == ()


def test_a_row_whose_data_does_not_fill_its_shape_is_refused() -> None:
    with pytest.raises(ValueError, match=r"tensor 'w' has 5 values, but its shape \[2, 3\] holds 6"):
        lazyq.tensor({"name": "w", "shape": [2, 3], "data": [0.0] * 5})
