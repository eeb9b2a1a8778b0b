"""The sidebar every page shares (corpus, uploads, settings, skipped files) and the view state.

The view state lives in `st.session_state["view"]` for the session and is mirrored into the URL
on every run, so that a copied link reopens the same view; it is read from the URL once, when a
session starts.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import streamlit as st

import analysis
from analysis import Analysis, Settings
from analysis.settings import SETTING
from analysis.views import counted

from . import loaders
from .auth import require_password
from .components import literal
from .navigation import ENTRY_POINT, navigation
from .urlstate import ViewState, parse_view_state

_VIEW = "view"
_UPLOADS = "uploads"
_CURRENT = "current_analysis"
_HASHED = "upload_hashes"  # uploaded file id -> (name, content hash)
# What one visitor's uploads may hold together, in MB (GEONEWS_SESSION_UPLOAD_MB overrides it):
# each upload is bounded by the reader's limit, and this bounds a session that keeps adding
# files, so that a few visitors cannot fill the server's memory.
SESSION_UPLOAD_MB = float(os.environ.get("GEONEWS_SESSION_UPLOAD_MB") or 200)
SOURCES = {"sample": "Sample corpus", "build": "Prebuilt analysis", "upload": "My uploads"}


def view_state() -> ViewState:
    """This session's view, read from the URL on the session's first run."""
    if _VIEW not in st.session_state:
        params = {key: st.query_params.get_all(key) for key in st.query_params.keys()}  # noqa: SIM118
        state, notices = parse_view_state(params)
        if "corpus" not in params and loaders.DEFAULT_BUILD in loaders.prebuilt_names():
            state.corpus = f"build:{loaders.DEFAULT_BUILD}"
        st.session_state[_VIEW] = state
        st.session_state["link_notices"] = notices
    return st.session_state[_VIEW]


def sync_url(state: ViewState) -> None:
    """Write the view into the address bar (only when it changed, to avoid extra reruns)."""
    wanted = state.to_params()
    current = {key: st.query_params.get_all(key) for key in st.query_params.keys()}  # noqa: SIM118
    normalised = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if current != normalised:
        st.query_params.from_dict(wanted)


def _uploads() -> dict[tuple[str, str], bytes]:
    return st.session_state.setdefault(_UPLOADS, {})


# The theme settings' widgets, by key: shown for the sample and uploads only (a prebuilt analysis
# keeps the settings it was built with), and kept through the runs that do not show them.
_SETTING_KEYS = ("seed_file", "n_themes", "seed_threshold", "teasers_themed")


def _keep_settings() -> None:
    """Streamlit forgets a widget's value after a run that does not draw it: an analyst who set
    the number of themes for the sample, looked at a prebuilt analysis and came back would find
    the defaults. Written back at the start of every run, the values outlive such runs."""
    for key in _SETTING_KEYS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def _settings_widgets() -> Settings:
    # Labels, help, bounds and defaults as declared on Settings: the command line reads the same.
    themes_file, n_themes, seed_threshold = SETTING["themes_file"], SETTING["n_themes"], SETTING["seed_threshold"]
    teasers = SETTING["teasers"]
    # Defaults given through the session state rather than the widgets: a widget given a
    # default and a value the session state set would warn on the page.
    st.session_state.setdefault("seed_threshold", float(seed_threshold.default))
    with st.sidebar.expander("Theme settings"):
        seeds = st.selectbox(
            "Seeded themes",
            ["Sample seeds", "None (discover all)"],
            key="seed_file",
            help=themes_file.help,
        )
        n_themes = st.number_input(
            n_themes.label, min_value=0, max_value=int(n_themes.maximum), step=1, key="n_themes",
            help=n_themes.help,
        )  # fmt: skip
        threshold = st.slider(
            seed_threshold.label, float(seed_threshold.minimum), float(seed_threshold.maximum),
            step=0.01, key="seed_threshold", help=seed_threshold.help,
        )  # fmt: skip
        # Clutter is out of the themes by default (the settings' "apart"); an analyst who wants
        # a page's teasers and excerpts themed switches them back in here.
        themed = st.toggle("Teasers and excerpts in themes", key="teasers_themed", help=teasers.help)
    return Settings(
        themes_file=str(loaders.SAMPLE_THEMES) if seeds == "Sample seeds" else None,
        n_themes=int(n_themes) or None,
        seed_threshold=float(threshold),
        teasers="themed" if themed else "apart",
    )


def current_analysis() -> tuple[Analysis, ViewState]:
    """The analysis the visitor is looking at, with their theme renames and merges applied, and
    the view state: as the entry point's sidebar chose them for this run. A page run on its own
    (as Streamlit's AppTest runs one) lays out the sidebar itself."""
    current = st.session_state.get(_CURRENT)
    if current is not None:
        return current
    if _run_by_the_pages_folder():
        # Streamlit runs a server's first requests for a page's address (a shared link) straight
        # from pages/, in its older multipage mode, until some run has called st.navigation; that
        # run then showed the pages folder's own navigation ("dashboard" first, no icons).
        # Calling it now ends that mode; the rerun then goes through the entry point.
        navigation()
        st.rerun()
    return _lay_out_sidebar()


def _run_by_the_pages_folder() -> bool:
    """Whether Streamlit ran this page from its pages/ folder, without the entry point (its
    older multipage mode): the run's main script is the entry point, which has not laid out
    this run's sidebar. Streamlit's own flag for that mode is one for the whole server and is
    cleared by the first session to call st.navigation, possibly while another session's run is
    already under way in the older mode: several visitors opening links on a fresh server. Under
    AppTest a page is itself the main script."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    context = get_script_run_ctx()
    return context is not None and Path(context.main_script_path).resolve() == ENTRY_POINT


def lay_out_sidebar() -> tuple[Analysis, ViewState]:
    """Lay out the shared sidebar (corpus, uploads, theme settings, skipped files) once per run
    and keep its choice for the page about to run (`current_analysis`)."""
    result = _lay_out_sidebar()
    st.session_state[_CURRENT] = result
    return result


def page_done() -> None:
    """Forget this run's choice once the page has run: the next run lays the sidebar out again."""
    st.session_state.pop(_CURRENT, None)


def _lay_out_sidebar() -> tuple[Analysis, ViewState]:
    require_password()
    state = view_state()
    notices = st.session_state.pop("link_notices", [])
    if notices:
        # The notices quote the link, which anyone can write: shown as plain text.
        st.info("Parts of this link could not be used; the rest of the view is as shared.", icon=":material/link:")
        st.text("\n".join(notices))
    sidebar = st.sidebar
    sidebar.header("Corpus")
    builds = loaders.prebuilt_names()
    default_source = "build" if state.corpus.startswith("build:") else "sample"
    if default_source == "build" and state.corpus.removeprefix("build:") not in builds:
        st.warning("The prebuilt analysis this link names is not available here; showing the sample.")
        state.corpus, default_source = "sample", "sample"
    st.session_state.setdefault("source", default_source)
    source = sidebar.radio(
        "Corpus", list(SOURCES), format_func=SOURCES.get, key="source", label_visibility="collapsed"
    )
    _keep_settings()
    # A prebuilt analysis keeps the settings it was built with: no widgets that would do nothing.
    settings = Settings() if source == "build" else _settings_widgets()
    try:
        if source == "build":
            if not builds:
                sidebar.caption(f"No prebuilt analyses in {loaders.BUILDS_DIR.name}/.")
                raise analysis.CorpusError("no prebuilt analysis is available")
            st.session_state.setdefault(
                "build_name",
                state.corpus.removeprefix("build:") if state.corpus.startswith("build:") else builds[0],
            )
            name = sidebar.selectbox("Prebuilt analysis", builds, key="build_name")
            state.corpus = f"build:{name}"
            result = loaders.prebuilt_analysis(name)
            sidebar.caption("A prebuilt analysis keeps the theme settings it was built with.")
        elif source == "upload":
            state.corpus = "sample"  # uploads are private to this session and never in a link
            files = sidebar.file_uploader(
                "Add files (txt, md, html, pdf, docx, csv, jsonl, parquet)",
                accept_multiple_files=True,
                key="uploader",
            )
            refused = []
            hashed = st.session_state.setdefault(_HASHED, {})
            kept = sum(len(data) for data in _uploads().values())  # counted once, then added to
            for file in files or []:
                # Above the reader's limit: refused before it is kept or read (the uploader
                # hands every file back on every rerun).
                if file.size > settings.max_bytes:
                    refused.append(
                        f"{file.name}: {file.size / 2**20:,.1f} MB, above the {settings.max_file_mb:g} MB a file may have"
                    )
                    continue
                # Keyed by name and content: a different file of the same name is kept (the
                # reader names it "~2"), and the same content under another name is listed as a
                # duplicate. Hashed once per uploaded file, not on every rerun.
                if file.file_id not in hashed:
                    if kept + file.size > SESSION_UPLOAD_MB * 2**20:
                        refused.append(
                            f"{file.name}: {file.size / 2**20:,.1f} MB more would pass the "
                            f"{SESSION_UPLOAD_MB:g} MB your uploads may hold together"
                        )
                        continue
                    data = file.getvalue()
                    hashed[file.file_id] = (file.name, hashlib.sha256(data).hexdigest())
                    kept += len(data) if hashed[file.file_id] not in _uploads() else 0
                    _uploads()[hashed[file.file_id]] = data
            if refused:
                sidebar.warning(f"{counted(len(refused), 'file')} not kept:", icon=":material/block:")
                sidebar.text("\n".join(refused))  # file names are the visitor's: plain text
            if _uploads() and sidebar.button("Remove my uploads"):
                _uploads().clear()
            if not _uploads():
                st.info("Add files in the sidebar to analyse them; showing the sample meanwhile.")
                result = loaders.corpus_analysis(loaders.sample_corpus(settings), settings)
            else:
                uploads = [(name, data) for (name, _), data in sorted(_uploads().items())]
                corpus = analysis.load_corpus(uploads=uploads, settings=settings)
                result = loaders.corpus_analysis(corpus, settings, private=True)
        else:
            state.corpus = "sample"
            result = loaders.corpus_analysis(loaders.sample_corpus(settings), settings)
    except analysis.CorpusError as error:
        st.error("This corpus cannot be analysed; showing the sample instead.")
        st.text(str(error))  # it may quote uploaded file names: plain text
        state.corpus = "sample"
        result = loaders.corpus_analysis(loaders.sample_corpus(Settings()), Settings())
    if not result.skipped.empty:
        # Files skipped, and records of a table skipped or texts cut: not only whole files.
        with sidebar.expander(f"Not read in full ({len(result.skipped):,})"):
            st.dataframe(result.skipped, hide_index=True)
    result = loaders.edited_analysis(result, state.renames, state.merges)
    sidebar.caption(
        f"Model {literal(result.provenance.model_id)} · seed {result.provenance.settings.random_seed} · "
        f"corpus {literal(result.corpus_hash)}"
    )
    return result, state


def figure_edits(result: Analysis, state: ViewState) -> analysis.FigureEdits:
    """The analyst's corrections to this corpus's figures (none if the link's were made on
    another corpus)."""
    corpus = result.corpus_hash
    edits = state.figure_edits
    return edits if edits and edits.corpus == corpus else analysis.FigureEdits(corpus=corpus)


def edited_figures(result: Analysis, state: ViewState):
    """The figures as the analyst corrected them: what the aid chart and the exports use."""
    return analysis.apply_figure_edits(result.figures, figure_edits(result, state))
