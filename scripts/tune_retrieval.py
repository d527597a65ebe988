"""Grid-search retrieval settings on the writers' question files; report the held-out file separately.

Usage: .venv/bin/python scripts/tune_retrieval.py   (prints hit@1/hit@3 for each setting; changes nothing)
"""

from __future__ import annotations

import itertools
from pathlib import Path

from kidney_navigator.answers import compose
from kidney_navigator.answers.compose import Composer
from kidney_navigator.evaluation.ask_eval import evaluate, load_questions
from kidney_navigator.knowledge.loader import default_pack
from kidney_navigator.retrieval import pack_index

ROOT = Path(__file__).resolve().parent.parent
tuning = [q for f in sorted((ROOT / "eval/questions").glob("*.yaml")) if f.name != "heldout.yaml"
          for q in load_questions(f)]
heldout = load_questions(ROOT / "eval/questions/heldout.yaml")
pack = default_pack()
for mix, threshold in itertools.product([(1.0, 0.0, 0.0), (1.0, 1.0, 0.5), (1.0, 2.0, 0.5), (0.5, 2.0, 1.0),
                                         (1.0, 1.0, 1.0)], (0.3, 0.4)):
    compose.MIN_TOPIC_COVERAGE = threshold
    index = pack_index.PackIndex(pack)
    index.mix = mix
    composer = Composer(pack=pack, index=index)
    title_w, phr_w = mix[0], mix[1]
    a, b = evaluate(composer, tuning), evaluate(composer, heldout)
    print(f"mix {mix} thr {threshold}: tuning hit@1 {a.topic_hit1:.3f} hit@3 {a.topic_hit3:.3f} "
          f"facts {a.key_fact_recall:.3f} | heldout hit@1 {b.topic_hit1:.3f} hit@3 {b.topic_hit3:.3f} "
          f"oos {b.out_of_scope_accuracy:.3f}")
