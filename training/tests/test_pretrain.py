"""Pretraining resumes after an interrupt and can start from an existing Hugging Face checkpoint."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

import torch

from training.checkpoint import load_hf, save_hf
from training.electra import ElectraForPretraining, generator_config
from training.model import BertForMaskedLM, preset_config

REPO = Path(__file__).resolve().parents[2]
# The miniature copy of the data in the repository (training/make_test_corpus.py): no folder beside it needed.
DATA = REPO / "test" / "fixtures" / "data"
SMALL_RUN = ["--preset", "tiny", "--limit", "60", "--seq-len", "32", "--batch", "4", "--threads", "1"]


def pretrain_command(out: Path, *extra: str) -> list:
    return [sys.executable, "-m", "training.pretrain", "--data", str(DATA), "--out", str(out), *SMALL_RUN, *extra]


class PretrainTest(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())

    def test_interrupt_then_resume_loses_nothing_since_the_last_checkpoint(self):
        out = self.tmp / "run"
        command = pretrain_command(out, "--tokens", str(400 * 4 * 32), "--checkpoint-minutes", "0")
        proc = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        state = out / "pretrain" / "state.pt"
        deadline = time.time() + 240
        while not state.is_file() and time.time() < deadline and proc.poll() is None:
            time.sleep(0.2)
        time.sleep(1.0)
        proc.send_signal(signal.SIGINT)
        output, _ = proc.communicate(timeout=120)
        self.assertEqual(proc.returncode, 130, output)
        saved = torch.load(state)["step"]
        self.assertGreater(saved, 0)
        self.assertLess(saved, 400)
        self.assertIn(f"interrupted at step {saved}", output)

        resumed = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)
        self.assertEqual(resumed.returncode, 0, resumed.stderr)
        self.assertIn(f"resuming at step {saved}/400", resumed.stdout)
        summary = json.loads((out / "pretrain" / "summary.json").read_text())
        self.assertEqual(summary["steps"], 400)
        config, weights = load_hf(out / "pretrain" / "encoder")
        self.assertEqual(config.hidden_size, 128)
        self.assertIn("bert.embeddings.word_embeddings.weight", weights)

    def test_init_from_a_hugging_face_checkpoint(self):
        config = preset_config("tiny", num_hidden_layers=1)
        source = BertForMaskedLM(config)
        marker = source.bert.encoder.layer[0].attention.self.query.bias
        with torch.no_grad():
            marker.fill_(0.125)
        folder = self.tmp / "hf"
        save_hf(folder, config, source.state_dict())
        out = self.tmp / "from-init"
        result = subprocess.run(pretrain_command(out, "--tokens", str(2 * 4 * 32), "--init", str(folder), "--lr", "1e-9"),
                                cwd=REPO, capture_output=True, text=True, timeout=600)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(f"from {folder}", result.stdout)
        loaded_config, weights = load_hf(out / "pretrain" / "encoder")
        self.assertEqual(loaded_config.num_hidden_layers, 1)
        bias = weights["bert.encoder.layer.0.attention.self.query.bias"]
        self.assertTrue(torch.allclose(bias, torch.full_like(bias, 0.125), atol=1e-4))

    def test_electra_generator_shares_the_embeddings_and_both_parts_learn(self):
        config = preset_config("tiny", vocab_size=500, num_hidden_layers=1)
        model = ElectraForPretraining(config)
        self.assertIs(model.generator.embeddings, model.bert.embeddings)
        self.assertEqual(generator_config(config).hidden_size, 32)
        ids = torch.randint(5, 500, (3, 16))
        labels = torch.full_like(ids, -100)
        labels[:, 3:7] = ids[:, 3:7]
        masked = ids.clone()
        masked[:, 3:7] = 4
        out = model(masked, torch.ones_like(ids), labels, torch.Generator().manual_seed(0))
        out["loss"].backward()
        self.assertTrue(torch.isfinite(out["loss"]))
        # Replaced tokens can only be at masked positions: 4 of 16 here.
        self.assertLessEqual(float(out["replaced_share"]), 4 / 16)
        for part in (model.generator.encoder, model.discriminator_out, model.bert.encoder):
            self.assertTrue(any(p.grad is not None and p.grad.abs().sum() > 0 for p in part.parameters()))

    def test_the_encoder_keeps_only_the_discriminator_and_a_resume_keeps_the_objective(self):
        out = self.tmp / "run"
        done = subprocess.run(pretrain_command(out, "--tokens", str(2 * 4 * 32)), cwd=REPO, capture_output=True, text=True, timeout=600)
        self.assertEqual(done.returncode, 0, done.stderr)
        _, weights = load_hf(out / "pretrain" / "encoder")
        self.assertTrue(all(name.startswith("bert.") for name in weights))
        summary = json.loads((out / "pretrain" / "summary.json").read_text())
        self.assertEqual(summary["objective"], "electra")
        self.assertIn("final_discriminator_accuracy", summary)
        self.assertEqual(summary["lossCurve"][-1]["step"], 2)
        self.assertIn("discriminator_loss", summary["lossCurve"][-1])
        other = subprocess.run(pretrain_command(out, "--tokens", str(2 * 4 * 32), "--objective", "mlm"), cwd=REPO, capture_output=True, text=True, timeout=600)
        self.assertNotEqual(other.returncode, 0)
        self.assertIn("was written with --objective electra; this command asks for --objective mlm", other.stderr)

    def test_init_with_a_wrong_vocabulary_is_refused(self):
        config = preset_config("tiny", num_hidden_layers=1, vocab_size=1000)
        folder = self.tmp / "hf"
        save_hf(folder, config, BertForMaskedLM(config).state_dict())
        result = subprocess.run(pretrain_command(self.tmp / "x", "--tokens", "256", "--init", str(folder)), cwd=REPO, capture_output=True, text=True, timeout=600)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("vocab_size 1000 does not match the tokenizer's 30522", result.stderr)


if __name__ == "__main__":
    unittest.main()
