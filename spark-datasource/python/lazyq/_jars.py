"""Where the Spark bundle jar is."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

#: Names the bundle jar explicitly; it wins over every other place.
JAR_ENV = "LAZYQ_JAR"

_BUNDLE_GLOB = "lazyq-spark-datasource-*-bundle.jar"


def jars() -> str:
    """The path of the LazyQ Spark bundle jar, for ``spark.jars``.

    Looked for, in order: the file named by the ``LAZYQ_JAR`` environment variable; the jar this
    package was imported from (PySpark puts ``--packages`` and ``--py-files`` jars on
    ``sys.path``); the build output of the repository this package sits in
    (``spark-datasource/target``).

    Raises:
        FileNotFoundError: if none of these holds the bundle.
    """
    named = os.environ.get(JAR_ENV)
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"{JAR_ENV}={named} is not a file")
        return str(path.resolve())
    enclosing = _enclosing_jar(Path(__file__))
    if enclosing is not None:
        return str(enclosing)
    built = _built_bundle(Path(__file__).resolve().parents[2] / "target")
    if built is not None:
        return str(built)
    raise FileNotFoundError(
        f"no LazyQ bundle jar: set {JAR_ENV} to its path, or build it in the repository with"
        " `mvn -pl spark-datasource -am package -DskipTests`"
    )


def _enclosing_jar(module: Path) -> Path | None:
    """The jar (a zip file) that holds ``module``, when Python imported it through zipimport."""
    for parent in module.parents:
        if parent.suffix == ".jar" and parent.is_file() and zipfile.is_zipfile(parent):
            return parent.resolve()
    return None


def _built_bundle(target: Path) -> Path | None:
    """The newest bundle in a Maven ``target`` directory, if any."""
    candidates = sorted(target.glob(_BUNDLE_GLOB), key=lambda p: p.stat().st_mtime)
    return candidates[-1] if candidates else None
