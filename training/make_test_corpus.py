"""Writes test/fixtures/data/: a miniature copy of ../shared/data for the test suite.

The tests (the training smoke run, pretraining's resume test, tokenizer and engine parity, the batch
end-to-end test) read this copy, so they pass from a bare clone; ../shared/data is for full training
runs only. Every n-th row of each file, so every label keeps its share (the files are grouped by
label); the same layout and columns as ../shared/data, so the training code reads it unchanged.

    scripts/python.sh -m training.make_test_corpus [--data ../shared/data]
"""
import argparse
import csv
import gzip
import io
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "test" / "fixtures" / "data"

# Rows kept per file: enough for the smoke run's --limit 200 (and its test split of limit/4), and a
# few hundred texts per model for the parity tests.
ROWS = {
    "bbc/bbc.csv": 250,
    "imdb/train.csv.gz": 250,
    "imdb/test.csv.gz": 250,
    "imdb/unsup.csv.gz": 200,
    "ecommerce/ecommerce.csv": 400,
}
# Line files without a header: the out-of-domain review sentences.
LINES = {
    "sentences/amazon_cells_labelled.txt": 60,
    "sentences/yelp_labelled.txt": 60,
}
COPIED = ["ecommerce/PROVENANCE.txt", "tokenizer/bert-base-uncased"]


def read_text(path: Path) -> str:
    raw = path.read_bytes()
    return (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8")


def every_nth(rows: list, count: int) -> list:
    step = len(rows) / count
    return [rows[int(i * step)] for i in range(min(count, len(rows)))]


def write_rows(path: Path, header: list, rows: list) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same input gives the same bytes, so regenerating changes nothing in git.
    path.write_bytes(gzip.compress(data, mtime=0) if path.suffix == ".gz" else data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    for name, count in ROWS.items():
        header, *rows = list(csv.reader(io.StringIO(read_text(args.data / name))))
        kept = every_nth(rows, count)
        write_rows(OUT / name, header, kept)
        print(name, len(kept))
    for name, count in LINES.items():
        kept = every_nth(read_text(args.data / name).splitlines(), count)
        (OUT / name).parent.mkdir(parents=True, exist_ok=True)
        (OUT / name).write_text("".join(f"{line}\n" for line in kept), encoding="utf-8")
        print(name, len(kept))
    for name in COPIED:
        source, target = args.data / name, OUT / name
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)


if __name__ == "__main__":
    main()
