"""The build: one `Pipeline` that the command line and the dashboard both run, and the build
folder's store (tables as Parquet, CSV copies for people, vectors, build.json)."""

from ._derived import DerivedResults, code_version
from ._pipeline import Pipeline, build_analysis
from ._store import is_build_folder, load_analysis, save_analysis

__all__ = [
    "DerivedResults",
    "Pipeline",
    "build_analysis",
    "code_version",
    "is_build_folder",
    "load_analysis",
    "save_analysis",
]
