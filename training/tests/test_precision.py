"""bf16 autocast: the models run under it, their weights stay fp32, and 'auto' follows the hardware."""
from __future__ import annotations

import unittest

import torch
from torch.nn import functional as F

from training.model import BertForMaskedLM, BertForSequenceClassification, preset_config
from training.runtime import autocast, cpu_has_native_bf16, pick_precision

CPU = torch.device("cpu")


def tiny_batch(rows: int = 3, width: int = 12):
    torch.manual_seed(0)
    ids = torch.randint(1000, 2000, (rows, width))
    mask = torch.ones_like(ids)
    mask[0, width // 2:] = 0
    return ids, mask, torch.zeros_like(ids)


class PrecisionTest(unittest.TestCase):
    def test_bf16_classifier_step_keeps_fp32_weights_and_close_logits(self):
        model = BertForSequenceClassification(preset_config("tiny", vocab_size=2000, id2label={0: "a", 1: "b"}))
        ids, mask, types = tiny_batch()
        model.eval()  # without dropout, so the two passes differ by rounding alone
        with torch.no_grad():
            exact = model(ids, mask, types)
            with autocast("bf16", CPU):
                approx = model(ids, mask, types).float()
        self.assertLess((approx - exact).abs().max().item(), 0.01)

        model.train()

        optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
        with autocast("bf16", CPU):
            loss = F.cross_entropy(model(ids, mask, types).float(), torch.tensor([0, 1, 0]))
        loss.backward()
        optimizer.step()
        self.assertTrue(torch.isfinite(loss))
        self.assertEqual({p.dtype for p in model.parameters()}, {torch.float32})

    def test_masked_lm_runs_under_bf16(self):
        model = BertForMaskedLM(preset_config("tiny", vocab_size=2000))
        ids, mask, _ = tiny_batch()
        labels = torch.full_like(ids, -100)
        labels[:, 1] = ids[:, 1]
        with autocast("bf16", CPU):
            loss = model(ids, mask, labels)
        self.assertEqual(loss.dtype, torch.float32)
        self.assertTrue(torch.isfinite(loss))

    def test_auto_follows_the_cpu_and_names_are_checked(self):
        self.assertEqual(pick_precision("auto", CPU), "bf16" if cpu_has_native_bf16() else "fp32")
        self.assertEqual(pick_precision("fp32", CPU), "fp32")
        with self.assertRaisesRegex(SystemExit, "--precision must be auto, bf16 or fp32, not 'fp16'"):
            pick_precision("fp16", CPU)


if __name__ == "__main__":
    unittest.main()
