"""Out-of-domain sets: bad files stop with the file and the problem; the cuts give what they promise;
pretraining leaves test texts out and refuses a corpus file that is a test split."""
from __future__ import annotations

import csv
import gzip
import io
import shutil
import tempfile
import unittest
from pathlib import Path

from training.corpus import pretraining_texts
from training.data import Example, Split, read_csv_rows
from training.errors import DataError
from training.out_of_domain import SETS, read_sentences
from training.text_spans import first_sentence, first_words, headline, sentences, training_span

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "test" / "fixtures" / "data"


class SentenceFileTest(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())

    def write(self, text: str) -> Path:
        path = self.tmp / "sentences.txt"
        path.write_text(text, encoding="utf-8")
        return path

    def test_reads_sentence_and_score(self):
        examples = read_sentences(self.write("Great phone.\t1\nBroke in a day.\t0\n"))
        self.assertEqual([(e.text, e.label) for e in examples], [("Great phone.", 1), ("Broke in a day.", 0)])

    def test_missing_file_names_it(self):
        with self.assertRaises(DataError) as ctx:
            read_sentences(self.tmp / "nowhere.txt")
        self.assertIn("nowhere.txt", str(ctx.exception))
        self.assertIn("not found", str(ctx.exception))

    def test_a_bad_file_names_the_line_and_the_problem(self):
        cases = [
            ("Fine.\t1\nno tab here\n", "line 2: expected 'sentence<TAB>score'"),
            ("Fine.\t5\n", "line 1: the score must be 0 or 1, not '5'"),
            ("  \t1\n", "line 1: the sentence is empty"),
            ("\n\n", "holds no sentences"),
        ]
        for text, problem in cases:
            with self.subTest(problem=problem):
                with self.assertRaises(DataError) as ctx:
                    read_sentences(self.write(text))
                self.assertIn("sentences.txt", str(ctx.exception))
                self.assertIn(problem, str(ctx.exception))


class CutTest(unittest.TestCase):
    def test_headline_and_first_sentence(self):
        text = "Dollar gains on speech\nThe dollar rose 2.5% on Friday. Traders said \"more\" later."
        self.assertEqual(headline(text), "Dollar gains on speech")
        self.assertEqual(first_sentence(text), "The dollar rose 2.5% on Friday.")

    def test_first_words(self):
        self.assertEqual(first_words(" ".join(str(i) for i in range(20))), " ".join(str(i) for i in range(12)))

    def test_an_empty_span_names_the_file_and_the_row(self):
        split = Split([], [], [Example("Title\nBody.", 0), Example("\nOnly a body.", 1)], "")
        spec = next(s for s in SETS["news-topic"] if s.id == "headline")
        with self.assertRaises(DataError) as ctx:
            spec.build(Path("data"), split)
        self.assertIn("bbc.csv", str(ctx.exception))
        self.assertIn("test example 2 has an empty headline", str(ctx.exception))


class CorpusTest(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())
        shutil.copytree(DATA, self.tmp / "data")

    def test_the_corpus_leaves_out_a_test_review_and_an_evaluation_sentence(self):
        data = self.tmp / "data"
        test_review = read_csv_rows(data / "imdb" / "test.csv.gz", ["text"])[0]["text"]
        sentence = read_sentences(data / "sentences" / "yelp_labelled.txt")[0].text
        rows = read_csv_rows(data / "imdb" / "unsup.csv.gz", ["id", "text"])
        rows += [{"id": "copy-1", "text": test_review.upper()}, {"id": "copy-2", "text": f"  {sentence} "}]
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, ["id", "text"])
        writer.writeheader()
        writer.writerows(rows)
        (data / "imdb" / "unsup.csv.gz").write_bytes(gzip.compress(buffer.getvalue().encode()))
        texts, info = pretraining_texts(data, None)
        self.assertEqual(info["droppedAsTestText"]["imdb/unsup"], 2)
        self.assertEqual(info["sources"]["imdb/unsup"], len(rows) - 2)
        self.assertEqual(sum(info["sources"].values()), len(texts))
        self.assertNotIn(test_review.upper(), texts)

    def test_a_corpus_file_that_is_a_test_split_stops_the_run(self):
        data = self.tmp / "data"
        shutil.copyfile(data / "imdb" / "test.csv.gz", data / "imdb" / "unsup.csv.gz")
        with self.assertRaises(DataError) as ctx:
            pretraining_texts(data, None)
        self.assertIn("unsup.csv.gz", str(ctx.exception))
        self.assertIn("looks like a test split", str(ctx.exception))


if __name__ == "__main__":
    unittest.main()
