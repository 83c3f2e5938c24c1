"""Build hook: the reader's modules compiled by Cython, when Cython and a C compiler are there.

Everything else about the package is in setup.cfg. The compiled files are optional: a failed build
leaves a pure-Python install that reads the same (timeline/native.py says how they are loaded).
"""

import importlib.util
import os
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent


def _native():
    """timeline/native.py, loaded on its own: the package's dependencies are not installed yet."""
    spec = importlib.util.spec_from_file_location("_timeline_native", HERE / "timeline" / "native.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


native = _native()


class BuildCompiled(build_ext):
    """Names each compiled file after the hash of its source, and removes the ones built before."""

    def finalize_options(self):
        super().finalize_options()
        if self.parallel is None:
            self.parallel = os.cpu_count() or 1  # sixteen modules to compile: one per core at a time

    def get_ext_filename(self, fullname):
        default = Path(super().get_ext_filename(fullname))  # timeline/lexicon.cpython-311-....so
        module = fullname.rpartition(".")[2]
        suffix = default.name[len(module):]
        digest = native.source_hash((HERE / "timeline" / f"{module}.py").read_bytes())
        return str(default.with_name(native.compiled_name(module, digest, suffix)))

    def run(self):
        super().run()
        if self.inplace or getattr(self, "editable_mode", False):
            self._remove_outdated(HERE / "timeline")

    def _remove_outdated(self, package: Path):
        for module in native.MODULES:
            current = native.compiled_path(module, package)
            for old in package.glob(f"{module}.*{native.SUFFIX}"):  # this Python's builds only
                if old != current:
                    old.unlink()


def extensions():
    try:
        from Cython.Build import cythonize
    except ImportError:
        print("Cython is not installed: timeline installs as pure Python", file=sys.stderr)
        return []
    modules = [Extension(f"timeline.{m}", [f"timeline/{m}.py"], optional=True) for m in native.MODULES]
    # annotation_typing off: the annotations document Python types; Cython would enforce them
    return cythonize(modules, build_dir="build/cython", quiet=True, nthreads=os.cpu_count() or 1,
                     compiler_directives={"language_level": 3, "annotation_typing": False})


setup(ext_modules=extensions(), cmdclass={"build_ext": BuildCompiled})
