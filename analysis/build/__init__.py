"""The build: one `Pipeline` that the command line and the dashboard both run, and the build
folder's store (tables as Parquet, CSV copies for people, vectors, build.json)."""

import sys
import types

from ._derived import DerivedResults, code_version
from ._pipeline import Pipeline, build
from ._store import is_build_folder, load_analysis, save_analysis

__all__ = ["DerivedResults", "Pipeline", "build", "code_version", "is_build_folder", "load_analysis", "save_analysis"]


class _CallablePackage(types.ModuleType):
    """`analysis.build` is this sub-package, and `from analysis import build` gives it once
    anything has imported it: calling it calls `build(corpus, settings, ...)`, so the name works
    as the function in every import order, and `analysis.build.load_analysis` as the package."""

    def __call__(self, *args, **kwargs):
        return build(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
