"""Arrow IPC files written by ``lazyq export``."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow


def read_arrow(path: str | os.PathLike[str]) -> pyarrow.Table:
    """Reads an Arrow IPC file or stream, as ``lazyq export`` writes them, into a pyarrow Table.

    Quantized columns exported raw keep their ``lazyq.quantized`` extension metadata on the
    field; :func:`lazyq.dequantize` decodes their blocks given that metadata.

    Raises:
        ImportError: if pyarrow is not installed; nothing else in this package needs it.
    """
    try:
        import pyarrow as pa
        import pyarrow.ipc
    except ImportError as e:
        raise ImportError("lazyq.read_arrow needs pyarrow: pip install pyarrow") from e
    with pa.memory_map(os.fspath(path)) as source:
        try:
            return pyarrow.ipc.open_file(source).read_all()
        except pa.ArrowInvalid:
            # Not the random-access file format: `lazyq export --stream` writes the stream format.
            source.seek(0)
            return pyarrow.ipc.open_stream(source).read_all()
