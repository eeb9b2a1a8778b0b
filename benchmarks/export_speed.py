"""Export speed: one chart in each format, and the briefing pack of the sample corpus.

    python benchmarks/export_speed.py [--repeat 7] [--build DIR]

Builds the sample corpus with the real model (or reopens a build folder given with --build),
then, in this process, times:

1. the first export of a chart (the aid-imbalance chart as PNG), which starts the browser;
2. each format afterwards (PNG at print scale, SVG, PDF, self-contained HTML; CSV of the data),
   the median of --repeat calls (the chart's layout, measured once, is reused), a PNG of a chart
   not drawn before, and all four at once through `export_charts`;
3. one PNG with a new browser for every image, as plotly's `write_image` does without a server
   (what the shared browser saves);
4. the briefing pack, PDF and PPTX, with every section.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def median_time(action, repeat: int) -> float:
    return statistics.median(timed(action)[0] for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--build", type=Path, help="A build folder to use instead of building the sample.")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from analysis import (
        Settings,
        build_analysis,
        build_briefing,
        chart_csv,
        chart_documents,
        export_chart,
        export_charts,
        flow_balance,
        load_analysis,
        load_corpus,
        source_line,
        stop_export_browser,
    )
    from analysis.charts import aid_balance_chart

    if args.build:
        result = load_analysis(args.build)
    else:
        sample = ROOT / "data" / "sample"
        settings = Settings(themes_file=str(sample / "themes.toml"))
        cache = Path(tempfile.mkdtemp(prefix="export-speed-"))
        seconds, result = timed(
            lambda: build_analysis(load_corpus([sample / "corpus"], settings=settings), settings, cache_dir=cache)
        )
        print(f"sample built with the real model in {seconds:.1f} s")
    counts = result.provenance.counts
    print(
        f"corpus: {counts['documents']} documents, {counts['paragraphs']} paragraphs, "
        f"{len(result.themes)} themes, {counts['flows']} flows"
    )

    balance = flow_balance(result.figures)
    figure = aid_balance_chart(balance)
    source = source_line(result.documents, result.provenance.corpus_hash, chart_documents(balance))
    provenance = result.provenance

    first, png = timed(lambda: export_chart(figure, "png", source=source, provenance=provenance))
    print(f"first PNG, browser start included: {first:.2f} s ({len(png) / 1e3:.0f} kB)")
    for fmt in ("png", "svg", "pdf", "html"):
        seconds = median_time(
            lambda fmt=fmt: export_chart(figure, fmt, source=source, provenance=provenance), args.repeat
        )
        size = len(export_chart(figure, fmt, source=source, provenance=provenance))
        print(f"{fmt.upper():>4}: {seconds:.2f} s median of {args.repeat} ({size / 1e3:,.0f} kB)")
    fresh = iter(range(10**6))
    seconds = median_time(
        lambda: export_chart(
            figure, "png", title=f"Aid imbalance {next(fresh)}", source=source, provenance=provenance
        ),
        args.repeat,
    )
    print(
        f" PNG of a chart not drawn before (its layout measured first): {seconds:.2f} s median of {args.repeat}"
    )
    seconds = median_time(lambda: export_charts(figure, source=source, provenance=provenance), args.repeat)
    print(f"all four at once (export_charts): {seconds:.2f} s median of {args.repeat}")
    seconds = median_time(
        lambda: chart_csv(balance, provenance, title="Aid imbalance", source=source), args.repeat
    )
    print(f" CSV: {seconds * 1e3:.1f} ms median of {args.repeat}")

    stop_export_browser()
    import kaleido

    repeat = min(args.repeat, 3)
    without = median_time(
        lambda: kaleido.calc_fig_sync(
            figure, opts={"format": "png", "width": 1000, "height": 500, "scale": 2.5}
        ),
        repeat,
    )
    print(f"PNG with a new browser each time (no shared browser): {without:.2f} s median of {repeat}")

    for fmt in ("pdf", "pptx"):
        first, pack = timed(lambda fmt=fmt: build_briefing(result, fmt=fmt, note="Benchmark"))
        again = median_time(
            lambda fmt=fmt: build_briefing(result, fmt=fmt, note="Benchmark"), min(args.repeat, 3)
        )
        print(
            f"briefing {fmt.upper()}, all sections: first {first:.2f} s"
            + (" (browser start included)" if fmt == "pdf" else "")
            + f", then {again:.2f} s median of "
            f"{min(args.repeat, 3)} ({len(pack) / 1e6:.2f} MB)"
        )


if __name__ == "__main__":
    main()
