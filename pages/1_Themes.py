"""Themes: the map, sizes, keywords and examples, outlets and time; rename and merge themes."""

import streamlit as st

from analysis import OTHER_NAME, map_density, map_sample
from analysis.charts import (
    theme_history_chart,
    theme_map_chart,
    theme_share_by_outlet_chart,
    theme_sizes_chart,
    themes_over_time_chart,
)
from analysis.views import (
    broad_themes,
    changes_summary,
    counted,
    document_origin,
    percent,
    plan_merge,
    theme_history,
    theme_languages,
    theme_members,
    theme_to_show,
    what_changed,
)
from ui.components import chart_tabs, merge_themes, paged_dataframe, paragraph_in_context, selected_pid
from ui.downloads import show_chart
from ui.loaders import build_view, computed
from ui.session import current_analysis, sync_url

st.title("Themes")

result, state = current_analysis()
broad_groups_shown: list[tuple[int, ...]] = []
if st.toggle("Broad themes", key="broad", help="Show the handful of broad themes, each grouping the narrow themes beneath it."):
    result, broad_groups_shown = computed(result, "broad themes", lambda: broad_themes(result))
themes, paragraphs = result.themes, result.paragraphs
names = dict(zip(themes["theme_id"], themes["theme"], strict=True))
requested = state.theme
state.theme, unknown = theme_to_show(
    requested, list(names), [*state.merges, *broad_groups_shown], sizes=themes["size"].tolist()
)
if unknown:  # said at the top, where the link's other notices are
    st.info(f"This link's theme ({requested}) is not in this analysis; showing the first theme with paragraphs.", icon=":material/link:")

# The map and the charts made from every paragraph, one at a time: a tab's click reruns this
# part alone. Each is made once per analysis (an analysis with the link's renames and merges is
# another): a page's run only lays them out.
@st.fragment
def theme_charts(result, state) -> None:
    themes, paragraphs = result.themes, result.paragraphs

    def theme_map() -> None:
        shown = computed(result, "map sample", lambda: map_sample(paragraphs, seed=result.provenance.settings.random_seed))
        sampled = len(shown) < len(paragraphs)
        figure = computed(
            result,
            "map",
            lambda: theme_map_chart(shown, themes, density=map_density(paragraphs) if sampled else None, total=len(paragraphs)),
        )
        data = shown[["pid", "doc", "theme_id", "theme", "x", "y", "outlet", "date"]]
        show_chart(figure, data, title="Theme map", result=result, key="map")
        if sampled:
            st.caption(
                f"The map draws {len(shown):,} of {len(paragraphs):,} paragraphs, each theme in proportion; "
                "grey shading shows where all of them lie. Tables and search use every paragraph."
            )

    def sizes() -> None:
        figure = computed(result, "sizes chart", lambda: theme_sizes_chart(themes))
        data = themes[["theme_id", "theme", "size", "share", "keywords"]]
        show_chart(figure, data, title="Paragraphs per theme", result=result, key="sizes")

    def by_outlet() -> None:
        shares = build_view(result, "themes by outlet")
        figure = computed(result, "themes by outlet chart", lambda: theme_share_by_outlet_chart(shares, themes))
        show_chart(figure, shares, title="Themes by outlet", result=result, key="outlets")

    def over_time() -> None:
        counts = build_view(result, "themes over time")
        if counts.empty:
            st.caption("No dates are known, so themes cannot be shown over time.")
            return
        figure = computed(result, "themes over time chart", lambda: themes_over_time_chart(counts, themes))
        show_chart(figure, counts, title="Themes over time", result=result, key="time")

    charts = {"map": ("Map", theme_map), "sizes": ("Sizes", sizes), "outlets": ("By outlet", by_outlet), "time": ("Over time", over_time)}
    chart_tabs(charts, state, "theme_chart")
    sync_url(state)


theme_charts(result, state)

ids = list(names)
ids_by_name = {name: theme_id for theme_id, name in names.items()}
# The picker's options are the theme names (unique, renames included); the link keeps the id.
if st.session_state.get("theme_id") not in ids_by_name:
    st.session_state["theme_id"] = names[state.theme]
state.theme = ids_by_name[st.selectbox("Theme", list(ids_by_name), key="theme_id")]
row = themes[themes["theme_id"] == state.theme].iloc[0]
st.caption(f"{counted(int(row['size']), 'paragraph')} ({percent(row['share'])}) · {'seeded' if row['seeded'] else 'discovered'}")
if row["keywords"]:
    st.text(f"Keywords: {row['keywords']}")
if languages := computed(result, ("theme languages", state.theme), lambda: theme_languages(paragraphs, state.theme)):
    st.text(f"Languages: {languages}")
if row["representative"]:
    st.subheader("Most representative paragraphs")
    for index in row["representative"]:
        with st.container(border=True):
            st.text(document_origin(result.documents, paragraphs.iloc[index]["doc"], paragraphs.iloc[index]["title"]))
            st.text(paragraphs.iloc[index]["text"])

st.subheader("All paragraphs of the theme")
members = computed(result, ("theme members", state.theme), lambda: theme_members(paragraphs, state.theme))
table, event = paged_dataframe(members, "members", on_select="rerun", selection_mode="single-row")
pid = selected_pid(event, table) or (state.pid if state.pid in set(table["pid"]) else "")
if pid:
    state.pid = pid
    st.caption("In its article:")
    paragraph_in_context(result, pid)
else:
    st.caption("Select a row to read the paragraph in its article.")

changes = what_changed(result.theme_changes, themes, state.merges)
if not changes.empty:  # only a build made over an earlier one has a change record
    st.subheader("What changed")
    st.caption(changes_summary(result.theme_changes))
    st.dataframe(changes.drop(columns="theme_id"), hide_index=True)
    history = theme_history(result.theme_changes, themes, state.merges)
    show_chart(theme_history_chart(history, themes), history, title="Themes across updates", result=result, key="history")

with st.expander("Rename or merge themes"):
    st.caption("Names and merges apply on every page and in exports, and are kept in the link.")
    new_name = st.text_input("New name for the selected theme", key="new_name", max_chars=80)
    if st.button("Rename", key="rename") and new_name.strip():
        if new_name.strip() in names.values() or new_name.strip() == OTHER_NAME:
            st.warning("That name is taken.")
        else:
            state.renames[state.theme] = new_name.strip()
            st.rerun()
    mergeable = [names[i] for i in ids if names[i] != OTHER_NAME]
    # Names merged away leave the picker's choice (a stale choice would name no theme).
    st.session_state["to_merge"] = [n for n in st.session_state.get("to_merge", []) if n in mergeable]
    to_merge = st.multiselect("Themes to merge into one", mergeable, key="to_merge")
    group, merged_name, problem = plan_merge(
        [ids_by_name[name] for name in to_merge], st.session_state.get("merged_name", ""), names
    )
    st.text_input(
        "Name of the merged theme",
        key="merged_name",
        max_chars=80,
        placeholder=f"{names[group[0]]} (the first theme's name)" if group else "",
        help="Leave it empty to keep the first theme's name.",
    )
    if problem and len(group) >= 2:
        st.warning(problem)
    st.button("Merge", key="merge", disabled=bool(problem), on_click=merge_themes, args=(state, group, merged_name))
    if (state.renames or state.merges) and st.button("Undo all renames and merges", key="undo"):
        state.renames.clear()
        state.merges.clear()
        st.rerun()
sync_url(state)
