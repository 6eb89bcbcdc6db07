"""The calibration of the unfamiliar-text note counts word pieces per word as the page does."""
from __future__ import annotations

import unittest
from pathlib import Path

import numpy as np

from training.familiarity import pieces_per_word, share_above
from training.tokenizer import WordPieceTokenizer

TOKENIZER = WordPieceTokenizer(Path("test/fixtures/data/tokenizer/bert-base-uncased/tokenizer.json"))


class FamiliarityTest(unittest.TestCase):
    def test_english_words_are_about_one_piece_and_other_languages_more(self):
        self.assertEqual(pieces_per_word(TOKENIZER, "Oil prices hit a record high on Monday."), (1.0, 8))
        german = "Die Bundesregierung hat am Dienstag ein neues Gesetz zur Förderung erneuerbarer Energien beschlossen."
        ratio, words = pieces_per_word(TOKENIZER, german)
        self.assertGreater(ratio, 1.5)
        self.assertEqual(words, 13)

    def test_the_bar_rises_for_short_texts_by_the_allowance_over_the_square_root_of_the_words(self):
        # (pieces per word, words): a 4-word text at 1.8 and a 100-word text at 1.6.
        values = np.array([[1.8, 4.0], [1.6, 100.0]])
        self.assertEqual(share_above(values, 1.5, 0.0), 1.0)
        self.assertEqual(share_above(values, 1.5, 0.9), 0.5)
        self.assertEqual(share_above(values, 1.5, 1.1), 0.0)

    def test_a_text_without_letters_has_no_ratio(self):
        self.assertIsNone(pieces_per_word(TOKENIZER, "1234 !!! 😀"))


if __name__ == "__main__":
    unittest.main()
