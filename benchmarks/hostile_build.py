"""A build over a folder of hostile files: time, peak memory, what was kept and what refused.

    python benchmarks/hostile_build.py [--work FOLDER]

Writes one folder holding every hostile case the project guards against, next to two ordinary
articles written for this script, then runs `python -m analysis build` on it and `brief` on the
result, each as its own process (the real model; the embedding cache starts empty). Prints the
wall time and peak memory of both, how many records were kept, and every refusal with its
reason. Goal: the build under 2 minutes and 1.5 GB, every valid record kept, `brief` exit 0.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent

MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
print(done.returncode, time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.stderr.write(done.stderr[-3000:])
"""

ARTICLE = (
    "Grain Shipments Resume Along the Coast\n\n"
    "Officials in the port city said on Tuesday that grain exports had resumed after a pause of "
    "three weeks, with the first convoy of ships leaving under naval escort.\n\n"
    "The ministry of agriculture told reporters that 1.2 million tonnes of wheat were waiting in "
    "silos and that the government had pledged $40 million to repair the damaged terminals.\n\n"
    "Analysts at a research institute said the route remained exposed to attacks, and that "
    "insurers would watch the next convoys before lowering their premiums.\n"
)


def write_cases(folder: Path) -> dict[str, str]:
    """The hostile folder; returns file name -> what it is."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    cases: dict[str, str] = {}

    def case(name: str, what: str, data: bytes) -> None:
        (folder / name).write_bytes(data)
        cases[name] = what

    case("ordinary.txt", "an ordinary article", ARTICLE.encode())
    case("ordinary.md", "an ordinary article with front matter", (
        "---\ntitle: Convoys\noutlet: Coastal Times\ndate: 2025-03-04\n---\n\n" + ARTICLE).encode())
    bomb = io.BytesIO()
    pq.write_table(pa.table({"text": pa.array(["x" * 1_000_000] * 300).dictionary_encode()}), bomb,
                   compression="zstd")  # fmt: skip
    case("bomb.parquet", "Parquet whose text grows to 300 M characters", bomb.getvalue())
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as docx:
        docx.writestr("[Content_Types].xml", "<Types/>")
        docx.writestr("word/document.xml", b"\0" * 300_000_000)
    case("bomb.docx", "a Word package with a 300 MB part of zeros", package.getvalue())
    case("numbers.txt", "one line of 20,000 numbers", (" ".join(str(i * 7) for i in range(20_000)) + "\n").encode())
    case("wide.csv", "a CSV of 300,000 columns",
         (",".join(f"c{i}" for i in range(300_000)) + ",text\n" + "1," * 300_000 + "hello\n").encode())  # fmt: skip
    lines = [json.dumps({"text": f"Record {i}: " + ARTICLE.split("\n\n")[1], "outlet": "Wire"}) for i in range(5)]
    lines[1] = "{not json"
    lines[3] = '{"text": "half a pair \\ud800 and a NUL \\u0000 here, officials said on Monday.", "outlet": "Wire"}'
    lines.append("[" * 100_000)  # nesting deep enough to exhaust a recursive parser
    case("mixed.jsonl", "5 records, 1 malformed, 1 with a lone surrogate and a NUL, 1 deeply nested line",
         "\n".join(lines).encode())  # fmt: skip
    case("report.txt", "54 KB of one repeated sentence", (" ".join(["The report said 5 million."] * 2000)).encode())
    case("page.html", "HTML with scripts, styles and a link in the body", (
        "<html><head><title>T</title><style>body{background:url(http://10.0.0.1/x)}</style></head><body>"
        "<script>alert(1)</script><article><h1>Convoys</h1><p>" + ARTICLE.replace("\n\n", "</p><p>")
        + '<a href="javascript:alert(2)">more</a></p></article></body></html>').encode())  # fmt: skip
    case("garbage.pdf", "bytes that are not a PDF", os.urandom(4096))
    case("large.bin.txt", "a file over the 50 MB limit", b"a" * (51 * 2**20))
    case("control.txt", "text of control characters", bytes(range(32)) * 200)
    return cases


def measured(command: list[str], env: dict[str, str]) -> tuple[int, float, float, str]:
    done = subprocess.run([sys.executable, "-c", MEASURE, *command], env=env, capture_output=True, text=True)
    code, seconds, peak = done.stdout.split()
    return int(code), float(seconds), float(peak) / 1024, done.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="hostile-build-"))
    cases = write_cases(work / "corpus")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "GEONEWS_CACHE_DIR": str(work / "cache"), "PYTHONPATH": str(ROOT)}
    print(f"{len(cases)} files in {work / 'corpus'}")
    code, seconds, peak, errors = measured(
        [sys.executable, "-m", "analysis", "build", str(work / "corpus"), "--out", str(work / "out"), "--quiet"], env
    )
    print(f"build: exit {code}, {seconds:.1f} s, peak {peak:,.0f} MiB (goal: under 120 s and 1,536 MiB)")
    print("  " + errors.strip().splitlines()[-1] if errors.strip() else "")
    if code == 0:
        documents = pd.read_parquet(work / "out" / "documents.parquet")
        skipped = pd.read_parquet(work / "out" / "skipped.parquet")
        figures = pd.read_parquet(work / "out" / "figures.parquet")
        print(f"kept {len(documents)} documents: {', '.join(sorted(documents['path'].map(lambda p: Path(p).name).unique()))}")
        print(f"figure rows {len(figures)}, their sentences {int(figures['sentence'].str.len().sum()):,} characters")
        print(f"refused or skipped ({len(skipped)}):")
        for path, reason in skipped.itertuples(index=False):
            print(f"  {Path(path).name}: {reason}")
        code, seconds, peak, errors = measured(
            [sys.executable, "-m", "analysis", "brief", str(work / "out"), "--out", str(work / "brief.pdf")], env
        )
        print(f"brief: exit {code}, {seconds:.1f} s, peak {peak:,.0f} MiB; {errors.strip().splitlines()[-1] if errors.strip() else ''}")


if __name__ == "__main__":
    main()
