"""Training spans: short pieces of real text, labelled by the teacher where the document's label may not hold."""
from __future__ import annotations

import unittest

import numpy as np

from training.augment import span_targets, spans
from training.text_spans import sentences, training_span


class SpanTest(unittest.TestCase):
    def test_sentences_split_lines_tags_and_sentence_ends(self):
        text = "A fine film. It drags later!<br /><br />Still, go.\nThe end"
        self.assertEqual(sentences(text), ["A fine film.", "It drags later!", "Still, go.", "The end"])

    def test_every_span_is_short_non_empty_text_of_its_document(self):
        text = "Great acting. " * 30 + "A plot that never quite lands, sadly."
        rng = np.random.default_rng(0)
        for _ in range(200):
            span = training_span(text, rng)
            self.assertTrue(span.strip())
            self.assertLess(len(span.split()), len(text.split()))
            self.assertTrue(all(word in text for word in span.split()))

    def test_a_text_without_sentence_breaks_still_gives_a_span(self):
        self.assertEqual(spans(["oneword"], np.random.default_rng(1)), ["oneword"])

    def test_a_neutral_span_keeps_the_documents_label_and_a_contrary_one_follows_the_teacher(self):
        document = np.array([[0.0, 1.0], [0.0, 1.0]], dtype=np.float32)
        teacher = np.array([[0.5, 0.5], [0.95, 0.05]], dtype=np.float32)
        targets = span_targets(teacher, document)
        np.testing.assert_allclose(targets.sum(axis=1), 1.0, rtol=1e-6)
        self.assertAlmostEqual(float(targets[0, 1]), 0.75, places=5)
        self.assertGreater(float(targets[1, 0]), 0.8)


if __name__ == "__main__":
    unittest.main()
