"""LazyQ from Python: find the Spark bundle, shape tensors, decode raw quantized blocks.

Only numpy is required; pyarrow is imported by :func:`read_arrow` alone, when it is called.

The same package ships at the root of the Spark bundle jar, so that a PySpark session started
with the bundle on its Python path (``--packages`` or ``--py-files``) can ``import lazyq`` without
installing anything.
"""

from lazyq._arrow import read_arrow
from lazyq._blocks import dequantize
from lazyq._jars import JAR_ENV, jars
from lazyq._tensors import tensor

__all__ = ["JAR_ENV", "dequantize", "jars", "read_arrow", "tensor"]
__version__ = "0.1.0"
