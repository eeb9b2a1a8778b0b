"""The shape of the code: `analysis/` stays a plain package that never imports Streamlit, no
private name crosses a module, its sub-packages form layers that only import downwards,
reopening a build imports only what reading it needs, and every setting is documented."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis.settings import SETTINGS, Settings, settings_table

from .conftest import ROOT, SAMPLE, run_cli

PACKAGE = ROOT / "analysis"
# Folders and files whose imports are checked, and the first-party top-level names.
CHECKED = [PACKAGE, ROOT / "ui", ROOT / "pages", ROOT / "dashboard.py", ROOT / "tests", ROOT / "benchmarks"]
FIRST_PARTY = {"analysis", "ui", "pages", "tests", "benchmarks", "dashboard"}


def _files(*places: Path) -> list[Path]:
    found: list[Path] = []
    for place in places:
        if place.is_file():
            found.append(place)
        elif place.is_dir():
            found += sorted(p for p in place.rglob("*.py") if "__pycache__" not in p.parts)
    return found


def _module_of(path: Path) -> str:
    """The dotted name of a file under ROOT: analysis/ingest/_corpus.py -> analysis.ingest._corpus."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _package_of(path: Path) -> str:
    """The package a file's relative imports start from."""
    module = _module_of(path)
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def _is_module(dotted: str) -> bool:
    """Whether a dotted name is a first-party module or package (a file or folder under ROOT)."""
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _imports(path: Path) -> Iterator[tuple[int, str, str | None]]:
    """(line, absolute module, imported name or None) of every import in a file, at any depth
    (inside functions and `if TYPE_CHECKING:` too). `from M import n` where M.n is a module is
    given as the module M.n. A script's sibling modules (benchmarks' `from _news import ...`,
    run with their folder on sys.path) are named as modules of that folder."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    folder = _package_of(path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, _absolute(alias.name, folder), None
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = _package_of(path).split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = _absolute(node.module or "", folder)
            for alias in node.names:
                if alias.name != "*" and _is_module(f"{module}.{alias.name}"):
                    yield node.lineno, f"{module}.{alias.name}", None
                else:
                    yield node.lineno, module, alias.name


def _absolute(module: str, folder: str) -> str:
    top = module.split(".")[0]
    if top not in FIRST_PARTY and folder and _is_module(f"{folder}.{module}"):
        return f"{folder}.{module}"  # a script's sibling module
    return module


def _private(part: str) -> bool:
    return part.startswith("_") and not (part.startswith("__") and part.endswith("__"))


# --- 1. no Streamlit in analysis/ ------------------------------------------------------------------


def test_analysis_never_imports_streamlit():
    found = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path in _files(PACKAGE)
        for line, module, _ in _imports(path)
        if module.split(".")[0] == "streamlit"
    ]
    assert not found, "analysis/ must stay a plain Python package:\n" + "\n".join(found)


# --- 2. no private name crosses a module -----------------------------------------------------------


def test_no_private_name_is_imported_from_another_module():
    """`from X import _name` is refused anywhere; a private module (a `_name` in its dotted
    path, such as analysis.ingest._readers) may be imported only by modules of the package
    that holds it (analysis/ingest/_corpus.py: `from ._readers import read_paths`)."""
    found = []
    for path in _files(*CHECKED):
        importer = _module_of(path)
        for line, module, name in _imports(path):
            where = f"{path.relative_to(ROOT)}:{line}"
            if name is not None and _private(name):
                found.append(f"{where}: imports the private name {name} from {module}")
            if module.split(".")[0] not in FIRST_PARTY and not _is_module(module):
                continue  # another project's modules: its own business
            parts = module.split(".")
            for depth, part in enumerate(parts):
                holder = ".".join(parts[:depth])  # the package that holds the private module
                if _private(part) and importer.rpartition(".")[0] != holder and importer != holder:
                    found.append(f"{where}: imports {module}, private to {holder or 'its folder'}")
                    break
    assert not found, "\n".join(found)


# --- 3. layers ---------------------------------------------------------------------------------------

# What each part of analysis/ may import besides itself. From the bottom: settings, tables and
# lookups; then run (engines); then ingest, embed and claims, which do not import each other;
# then themes; then build (the pipeline), which imports every stage but nothing that reads a
# finished Analysis; then views, charts and export, over the tables only.
BOTTOM = {"settings", "tables", "lookups"}
ALLOWED = {
    "settings": set(),
    "tables": {"settings"},
    "lookups": {"settings", "tables"},
    "run": BOTTOM,
    "ingest": BOTTOM | {"run"},
    "embed": BOTTOM | {"run"},
    "claims": BOTTOM | {"run"},
    "themes": BOTTOM | {"run", "ingest", "embed", "claims"},
    "build": BOTTOM | {"run", "ingest", "embed", "claims", "themes"},
    "views": {"claims", "lookups", "tables"},
    "charts": {"tables"},
    "export": {"views", "charts", "tables", "settings"},
}
# The package's entry points, above every layer: the lazy names of `import analysis` and the
# command line.
ENTRY_POINTS = {"analysis", "analysis.__main__"}


def _part(module: str) -> str | None:
    """The part of analysis/ a module belongs to (analysis.ingest._corpus -> ingest)."""
    parts = module.split(".")
    return parts[1] if parts[0] == "analysis" and len(parts) > 1 else None


def _dependencies() -> dict[str, dict[str, list[str]]]:
    """part -> part it imports -> where ("file:line")."""
    edges: dict[str, dict[str, list[str]]] = {}
    for path in _files(PACKAGE):
        importer = _module_of(path)
        if importer in ENTRY_POINTS:
            continue
        source = _part(importer)
        for line, module, name in _imports(path):
            if module.split(".")[0] != "analysis":
                continue
            target = _part(module) or "analysis (the top-level package)"
            if target != source:
                edges.setdefault(source, {}).setdefault(target, []).append(
                    f"{path.relative_to(ROOT)}:{line} ({module}{'.' + name if name else ''})"
                )
    return edges


def test_every_part_of_analysis_has_a_layer():
    parts = {_part(_module_of(path)) for path in _files(PACKAGE)} - {None, "__main__"}
    assert parts == set(ALLOWED)


def test_parts_import_only_their_own_package_and_lower_layers():
    found = [
        f"{source} imports {target}: {', '.join(places)}"
        for source, targets in _dependencies().items()
        for target, places in targets.items()
        if target not in ALLOWED.get(source, set())
    ]
    assert not found, "\n".join(found)


def test_parts_form_no_cycle():
    edges = {source: set(targets) for source, targets in _dependencies().items()}
    done: set[str] = set()

    def visit(part: str, path: tuple[str, ...]) -> None:
        assert part not in path, " -> ".join([*path, part])
        if part in done:
            return
        for target in sorted(edges.get(part, ())):
            visit(target, (*path, part))
        done.add(part)

    for part in sorted(edges):
        visit(part, ())


def test_the_rules_see_imports_inside_functions_and_relative_imports():
    """The checks above read every import: one inside a function, relative, of a private name."""
    found = {(module, name) for _, module, name in _imports(PACKAGE / "__main__.py")}
    assert ("analysis.build", "Pipeline") in found  # imported inside a function
    found = {(module, name) for _, module, name in _imports(PACKAGE / "build" / "_pipeline.py")}
    assert ("analysis.build._derived", "DerivedResults") in found  # from ._derived import ...


# --- 4. reopening a build imports only what reading it needs ------------------------------------


@pytest.fixture(scope="module")
def small_build(tmp_path_factory) -> Path:
    from analysis import HashingEmbedder, Settings, build_analysis, load_corpus, save_analysis

    folder = tmp_path_factory.mktemp("small-build")
    result = build_analysis(load_corpus([SAMPLE / "corpus"]), Settings(), embedder=HashingEmbedder(dim=384),
                   cache_dir=folder / "cache")  # fmt: skip
    return save_analysis(result, folder / "build")


HEAVY = ("torch", "sentence_transformers", "sklearn", "plotly", "streamlit")


@pytest.mark.parametrize(
    "opening",
    [
        "import analysis.build\nresult = analysis.build.load_analysis(sys.argv[1])",
        "import analysis\nresult = analysis.load_analysis(sys.argv[1])",
    ],
)
def test_reopening_a_build_imports_no_model_plotly_or_streamlit(small_build, opening):
    code = "\n".join(
        [
            "import sys",
            opening,
            "assert len(result.paragraphs) > 0 and len(result.embeddings) == len(result.paragraphs)",
            "assert result.provenance.corpus_hash and result.themes['theme'].notna().all()",
            f"print(','.join(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r})))",
        ]
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(small_build)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "", f"reopening a build imported {result.stdout.strip()}"


# --- 5. every setting is documented ----------------------------------------------------------------

BEGIN = "<!-- settings: generated from analysis/settings.py by settings_table() -->"
END = "<!-- /settings -->"
REGENERATE = 'python -c "from analysis.settings import settings_table; print(settings_table())"'


def test_readme_has_the_settings_table_made_from_the_declarations():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert BEGIN in lines and END in lines, (
        f"README.md lacks the settings table between the lines {BEGIN} and {END}; make it with {REGENERATE}"
    )
    begin, end = lines.index(BEGIN), lines.index(END)
    shown = "\n".join(lines[begin + 1 : end]).strip()
    assert shown == settings_table().strip(), (
        f"README.md's settings table is not what analysis/settings.py declares; make it again with {REGENERATE}"
    )


def test_every_setting_says_what_it_does():
    assert {spec.name for spec in SETTINGS} == set(Settings().to_dict())
    for spec in SETTINGS:
        assert spec.help.strip(), f"{spec.name} has no help text"
        assert spec.flag.startswith("--") and spec.label, spec.name


def _out_of_bounds(spec) -> list:
    values = []
    if spec.minimum is not None:
        values.append(spec.minimum - 1)
    if spec.maximum is not None:
        values.append(spec.maximum + 1)
    if spec.choices:
        values.append("not-" + spec.choices[0])
    return values


@pytest.mark.parametrize("spec", [s for s in SETTINGS if _out_of_bounds(s)], ids=lambda s: s.name)
def test_a_value_out_of_bounds_is_refused_with_one_line(spec):
    for value in _out_of_bounds(spec):
        with pytest.raises(ValueError) as refused:
            Settings(**{spec.name: value})
        message = str(refused.value)
        assert message.startswith(f"{spec.name} must be ") and "\n" not in message, message
    # The bounds themselves are allowed.
    for value in (spec.minimum, spec.maximum, *spec.choices[:1]):
        if value is not None:
            assert getattr(Settings(**{spec.name: value}), spec.name) == value


def test_the_command_line_has_a_flag_for_every_setting():
    shown = run_cli("build", "--help").stdout
    for spec in SETTINGS:
        assert f"{spec.flag} " in shown or f"{spec.flag}\n" in shown, spec.flag
