"""Benchmarks printed by `make bench` (never asserted by timed tests)."""

from __future__ import annotations

import time
from pathlib import Path

from kidney_navigator.answers.compose import Composer
from kidney_navigator.evaluation.ask_eval import load_questions, percentile
from kidney_navigator.knowledge.loader import load_pack
from kidney_navigator.retrieval.pack_index import PackIndex


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
    ]
