"""The dashboard's process-wide store of results, shared by every visitor's session."""

from __future__ import annotations

import threading
import time

import pytest

from ui.loaders import ResultStore


def test_a_result_asked_for_at_once_by_many_sessions_is_made_once():
    """20 visitors arriving at a cold server each ran the whole analysis of the same corpus."""
    store, made, results = ResultStore(size=4), [], []

    def make():
        made.append(threading.get_ident())
        time.sleep(0.3)  # long enough for every thread to arrive while it is being made
        return object()

    threads = [threading.Thread(target=lambda: results.append(store.get_or_make(("k",), make))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 1 and len(results) == 8 and len({id(r) for r in results}) == 1


def test_a_failed_making_is_tried_again_and_other_keys_do_not_wait():
    store, calls = ResultStore(size=4), []

    def fail():
        calls.append("fail")
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        store.get_or_make(("a",), fail)
    assert store.get_or_make(("a",), lambda: 1) == 1 and calls == ["fail"]
    assert store.get_or_make(("b",), lambda: 2) == 2
    for key in range(6):  # the least recently used go past the size
        store.get_or_make((key,), lambda: 0)
    assert len(store.items) == 4 and not store.making


def test_a_build_read_in_row_groups_comes_back_in_one_piece_per_column(hostile_builds, tmp_path):
    """Parquet is read a row group at a time; a column left in pieces is copied whole by every
    selection of its rows (at a million paragraphs, a quarter of a second each time). Reopened,
    each column is one piece, and the tables are what pandas reads."""
    import shutil

    import pandas as pd
    import pyarrow.parquet as pq

    from analysis import load_analysis

    folder = tmp_path / "pieces"
    shutil.copytree(hostile_builds / "hostile", folder)
    paragraphs = pq.read_table(folder / "paragraphs.parquet")
    pq.write_table(paragraphs, folder / "paragraphs.parquet", row_group_size=1)  # a piece per row
    assert pd.read_parquet(folder / "paragraphs.parquet")["text"].array.__arrow_array__().num_chunks > 1
    result = load_analysis(folder, with_texts=False)
    assert result.paragraphs.equals(pd.read_parquet(folder / "paragraphs.parquet"))
    for column in ("text", "pid", "doc"):
        assert result.paragraphs[column].array.__arrow_array__().num_chunks == 1
