"""lazyq.jars: the bundle named by the environment, the jar the package came from, the build output."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import lazyq
from lazyq import _jars

PACKAGE = Path(lazyq.__file__).parent


def test_the_environment_variable_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    jar = tmp_path / "lazyq.jar"
    jar.write_bytes(b"")
    monkeypatch.setenv(lazyq.JAR_ENV, str(jar))
    assert lazyq.jars() == str(jar.resolve())
    monkeypatch.setenv(lazyq.JAR_ENV, str(tmp_path / "missing.jar"))
    with pytest.raises(FileNotFoundError, match="missing.jar is not a file"):
        lazyq.jars()


def test_imported_from_a_jar_it_names_that_jar(tmp_path: Path) -> None:
    """As PySpark imports it from a bundle that --packages or --py-files put on sys.path."""
    jar = tmp_path / "lazyq-spark-datasource-0.1.0-bundle.jar"
    with zipfile.ZipFile(jar, "w") as z:
        z.writestr("io/lazyq/spark/LazyQSource.class", b"")
        for f in sorted(PACKAGE.glob("*.py")):
            z.write(f, f"lazyq/{f.name}")
    env = {k: v for k, v in os.environ.items() if k not in (lazyq.JAR_ENV, "PYTHONPATH")}
    out = subprocess.run(
        [sys.executable, "-c", "import lazyq; print(lazyq.__file__); print(lazyq.jars())"],
        env={**env, "PYTHONPATH": str(jar)}, cwd=tmp_path, capture_output=True, text=True, check=True,
    ).stdout.splitlines()
    assert out == [str(jar / "lazyq" / "__init__.py"), str(jar.resolve())]


def test_in_the_repository_it_finds_the_build_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(lazyq.JAR_ENV, raising=False)
    copy = tmp_path / "spark-datasource" / "python" / "lazyq"
    shutil.copytree(PACKAGE, copy)
    monkeypatch.setattr(_jars, "__file__", str(copy / "_jars.py"))
    with pytest.raises(FileNotFoundError, match="set LAZYQ_JAR"):
        lazyq.jars()
    target = tmp_path / "spark-datasource" / "target"
    target.mkdir()
    (target / "lazyq-spark-datasource-0.1.0.jar").write_bytes(b"")
    bundle = target / "lazyq-spark-datasource-0.1.0-bundle.jar"
    bundle.write_bytes(b"")
    assert lazyq.jars() == str(bundle)
