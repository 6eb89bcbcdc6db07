"""Writes test/fixtures/test-texts/<model>.json: a seeded sample of each shipped model's test split.

The explanation benchmark (bench/explain-quality.ts) reads these, so it runs from a bare clone. Only
test-split texts: nothing here is ever trained, tuned or selected on.

    scripts/python.sh -m training.make_test_texts [--data ../shared/data] [--count 120]
"""
import argparse
import json
import random
from pathlib import Path

from training.tasks import TASKS

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--count", type=int, default=120)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    out = ROOT / "test" / "fixtures" / "test-texts"
    out.mkdir(parents=True, exist_ok=True)
    for task in TASKS.values():
        test = task.load_split(args.data, None).test
        rows = random.Random(args.seed).sample(test, min(args.count, len(test)))
        texts = [{"text": e.text, "label": task.labels[e.label]} for e in rows]
        (out / f"{task.id}.json").write_text(json.dumps({
            "model": task.id,
            "source": f"{len(texts)} texts drawn (seed {args.seed}) from the test split of the training pipeline (training/tasks.py)",
            "texts": texts,
        }, ensure_ascii=False, indent=1) + "\n")
        print(task.id, len(texts))


if __name__ == "__main__":
    main()
