"""Benchmarks printed by `make bench` (never asserted by timed tests)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from kidney_navigator.answers.compose import Composer
from kidney_navigator.evaluation.ask_eval import load_questions, percentile
from kidney_navigator.knowledge.loader import Pack, load_pack
from kidney_navigator.retrieval.pack_index import PackIndex
from kidney_navigator.trials.bench import trials_bench


def extraction_bench(pack: Pack, folders: list[Path], rounds: int = 3) -> list[str]:
    """Pages per second for text and PDF records, resources per second for FHIR, over the files found."""
    from kidney_navigator.records.context import forget_documents
    from kidney_navigator.records.load import read_record
    from kidney_navigator.records.readers import ReadError

    files = [f for folder in folders if folder.exists() for f in sorted(folder.rglob("*"))
             if f.suffix.lower() in (".txt", ".pdf", ".json", ".xml")]
    totals: dict[str, list[float]] = {}
    for _ in range(rounds):
        for path in files:
            forget_documents()  # each round reads every file as if for the first time
            start = time.perf_counter()
            try:
                record = read_record(path, pack)
            except ReadError:
                continue
            elapsed = time.perf_counter() - start
            unit = record.pages
            entry = totals.setdefault(record.kind, [0.0, 0.0])
            entry[0] += unit
            entry[1] += elapsed
    for jsonl in [f for folder in folders if folder.exists() for f in folder.glob("*.jsonl")]:
        from kidney_navigator.records.extract_text import extract
        from kidney_navigator.records.text.source import TextSource

        texts = [json.loads(line)["text"] for line in jsonl.read_text().splitlines() if line.strip()]
        elapsed = 0.0
        for _ in range(rounds):
            for text in texts:
                forget_documents()
                start = time.perf_counter()
                extract(TextSource(jsonl.name, text), pack)
                elapsed += time.perf_counter() - start
        entry = totals.setdefault("text", [0.0, 0.0])
        entry[0] += len(texts) * rounds
        entry[1] += elapsed
    lines = []
    names = {"text": "text pages", "pdf": "PDF pages", "fhir": "FHIR resources", "ccda": "C-CDA entries",
             "markdown": "markdown pages", "html": "HTML pages"}
    for kind, (units, seconds) in sorted(totals.items()):
        rate = units / seconds if seconds else 0.0
        lines.append(f"extraction {names.get(kind, kind):<15} {rate:,.0f} per second ({units / rounds:.0f} per round)")
    return lines or ["extraction: no record files found (eval/records/cases, ../shared/data)"]


def run_bench(questions_path: Path, rounds: int = 3) -> list[str]:
    t0 = time.perf_counter()
    pack = load_pack()
    t1 = time.perf_counter()
    builds = []
    for _ in range(5):
        start = time.perf_counter()
        PackIndex(pack)
        builds.append((time.perf_counter() - start) * 1000)
    composer = Composer.from_pack(pack)
    questions = [q.q for q in load_questions(questions_path)]
    for q in questions:  # warm up caches
        composer.answer(q)
    latencies = []
    for _ in range(rounds):
        for q in questions:
            start = time.perf_counter()
            composer.answer(q)
            latencies.append((time.perf_counter() - start) * 1000)
    return [
        f"pack load + validate      {(t1 - t0) * 1000:.1f} ms ({len(pack.topics)} topics, {len(pack.sources)} sources)",
        f"index build (FTS5)        {min(builds):.1f} ms (best of 5)",
        f"answers timed             {len(latencies)} ({len(questions)} questions x {rounds} rounds, warm)",
        f"answer latency p50        {percentile(latencies, 50):.2f} ms",
        f"answer latency p95        {percentile(latencies, 95):.2f} ms  (target <= 50 ms)",
        f"answer latency max        {max(latencies, default=0):.2f} ms",
        *extraction_bench(pack, [Path("eval/records/cases"), Path("../shared/data/tcga_kidney_reports"),
                                 Path("../shared/data/fhir_examples"), Path("../shared/data/ccda_examples")]),
        *_web_bench(questions),
        *trials_bench(pack),
    ]


def _web_bench(questions: list[str]) -> list[str]:
    """Web app throughput, p95 and page render times (see kidney_navigator.web.bench)."""
    from kidney_navigator.web.bench import web_bench

    return web_bench(questions)
