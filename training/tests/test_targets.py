"""Quality targets: each is met or missed by the card's own accuracies, a missed one brings what
was tried, and a card without the accuracies a target reads stops with the file and the set."""
from __future__ import annotations

import json
import shutil
import tempfile
import unittest
from pathlib import Path

from training.errors import DataError
from training.record_targets import main, record
from training.targets import assess


def card(test=(0.99, 0.98), headline=(0.80, 0.70), first=(0.90, 0.88)) -> dict:
    def metrics(pair):
        return {"int8": {"accuracy": pair[0]}, "baseline": {"accuracy": pair[1]}}
    return {"id": "news-topic", "metrics": metrics(test),
            "outOfDomain": {"headline": {"title": "Headline only", **metrics(headline)}, "first-sentence": metrics(first)}}


class AssessTest(unittest.TestCase):
    def test_each_target_is_met_or_missed_by_the_cards_accuracies(self):
        section = assess("news-topic", card(), Path("manifest.json"))
        self.assertEqual([(i["set"], i["met"]) for i in section["items"]], [("test", True), ("headline", True), ("first-sentence", False)])
        self.assertEqual(section["items"][2]["target"], "at least 3 points above the baseline on first sentences alone")
        self.assertAlmostEqual(section["items"][2]["needed"], 0.91)
        self.assertEqual(section["items"][2]["reached"], 0.90)
        self.assertIn("Tried:", section["tried"])

    def test_every_target_met_needs_no_account_of_what_was_tried(self):
        section = assess("news-topic", card(first=(0.95, 0.90)), Path("manifest.json"))
        self.assertTrue(all(i["met"] for i in section["items"]))
        self.assertNotIn("tried", section)

    def test_the_baselines_accuracy_exactly_is_enough_where_the_target_is_the_baseline(self):
        product = {"metrics": {"int8": {"accuracy": 0.93}, "baseline": {"accuracy": 0.93}},
                   "outOfDomain": {"title-12-words": {"int8": {"accuracy": 0.8}, "baseline": {"accuracy": 0.81}}}}
        section = assess("product-category", product, Path("manifest.json"))
        self.assertEqual([i["met"] for i in section["items"]], [True, False])

    def test_a_card_without_a_set_a_target_reads_names_the_file_and_the_set(self):
        broken = card()
        del broken["outOfDomain"]["headline"]
        with self.assertRaises(DataError) as ctx:
            assess("news-topic", broken, Path("models/news-topic/manifest.json"))
        self.assertIn("news-topic/manifest.json", str(ctx.exception))
        self.assertIn("'headline'", str(ctx.exception))


class RecordTest(unittest.TestCase):
    def test_records_the_targets_in_an_existing_card_and_keeps_the_rest(self):
        folder = Path(tempfile.mkdtemp()) / "news-topic"
        folder.mkdir()
        (folder / "manifest.json").write_text(json.dumps({**card(), "files": [{"path": "config.json"}]}))
        record("news-topic", folder)
        written = json.loads((folder / "manifest.json").read_text())
        self.assertEqual(len(written["targets"]["items"]), 3)
        self.assertEqual(written["files"], [{"path": "config.json"}])
        shutil.rmtree(folder.parent)

    def test_a_folder_without_a_card_names_the_missing_file(self):
        with self.assertRaises(DataError) as ctx:
            record("news-topic", Path(tempfile.mkdtemp()))
        self.assertIn("manifest.json", str(ctx.exception))

    def test_the_command_exits_2_naming_a_missing_card_and_refuses_an_unknown_task(self):
        models = Path(tempfile.mkdtemp())
        self.assertEqual(main(["--models", str(models), "--tasks", "news-topic"]), 2)
        with self.assertRaises(SystemExit) as ctx:
            main(["--models", str(models), "--tasks", "weather"])
        self.assertIn("unknown task 'weather'", str(ctx.exception))
        shutil.rmtree(models)


if __name__ == "__main__":
    unittest.main()
