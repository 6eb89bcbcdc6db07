"""Fine-tuning a BERT classifier for one task, optionally distilling a teacher's soft labels on
unlabeled text, and keeping the epoch that scores best on the validation split."""
from __future__ import annotations

import copy
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, List, Optional, Sequence

import numpy as np
import torch
from torch.nn import functional as F

from .augment import span_targets, spans, variants
from .checkpoint import load_hf, save_hf
from .data import Example
from .model import BertConfig, BertForSequenceClassification, load_encoder_weights, preset_config
from .runtime import autocast
from .tasks import Task
from .tokenizer import WordPieceTokenizer


@dataclass
class FinetuneSettings:
    epochs: int = 4
    batch: int = 32
    lr: float = 2e-4
    warmup: float = 0.1
    dropout: float = 0.1
    max_minutes: Optional[float] = None
    seed: int = 42
    distill_weight: float = 0.5
    # Also train on one short span of every text each epoch (augment.spans); needs a teacher.
    spans: bool = False
    precision: str = "fp32"
    extra: dict = field(default_factory=dict)


def encode_all(tokenizer: WordPieceTokenizer, texts: Sequence[str], max_tokens: int) -> List[List[int]]:
    return [tokenizer.encode(t, max_length=max_tokens).input_ids for t in texts]


def pad_batch(rows: Sequence[List[int]], pad_id: int):
    width = max(len(r) for r in rows)
    ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, r in enumerate(rows):
        ids[i, : len(r)] = torch.tensor(r)
        mask[i, : len(r)] = 1
    return ids, mask, torch.zeros_like(ids)


def length_bucketed_batches(lengths: Sequence[int], batch: int, rng: np.random.Generator) -> List[np.ndarray]:
    """Shuffled batches of similar lengths: shuffle, sort within windows of 50 batches, shuffle the batches.
    Padding then wastes little compute while every epoch still sees a new order."""
    order = rng.permutation(len(lengths))
    window = batch * 50
    batches = []
    for start in range(0, len(order), window):
        chunk = order[start:start + window]
        chunk = chunk[np.argsort([lengths[i] for i in chunk], kind="stable")]
        batches += [chunk[i:i + batch] for i in range(0, len(chunk), batch)]
    rng.shuffle(batches)
    return batches


CPU = torch.device("cpu")


@torch.no_grad()
def predict_logits(model: BertForSequenceClassification, encoded: Sequence[List[int]], pad_id: int, batch: int = 64, precision: str = "fp32") -> np.ndarray:
    model.eval()
    order = np.argsort([len(r) for r in encoded], kind="stable")
    out = np.zeros((len(encoded), model.classifier.out_features), dtype=np.float32)
    for start in range(0, len(order), batch):
        idx = order[start:start + batch]
        ids, mask, types = pad_batch([encoded[i] for i in idx], pad_id)
        with autocast(precision, CPU):
            out[idx] = model(ids, mask, types).float().numpy()
    return out


def build_classifier(task: Task, preset: str, encoder: Optional[Path], dropout: float, vocab_size: int) -> tuple[BertForSequenceClassification, str]:
    id2label = dict(enumerate(task.labels))
    if encoder is None:
        config = preset_config(preset, vocab_size=vocab_size, id2label=id2label)
        init = "random"
    else:
        config, state = load_hf(encoder)
        config.id2label = id2label
        init = str(encoder)
    config.hidden_dropout_prob = config.attention_probs_dropout_prob = dropout
    model = BertForSequenceClassification(config)
    if encoder is not None:
        load_encoder_weights(model, state, str(encoder / "pytorch_model.bin"))
    return model, init


def finetune(task: Task, tokenizer: WordPieceTokenizer, train: List[Example], validation: List[Example], out: Path, preset: str,
             encoder: Optional[Path], settings: FinetuneSettings, unlabeled: Optional[List[str]] = None,
             teacher: Optional[Callable[[List[str]], np.ndarray]] = None) -> dict:
    """Trains, keeps the best validation epoch, writes OUT/config.json + pytorch_model.bin + finetune.json.

    With a teacher, targets mix the label with the teacher's probabilities, unlabeled texts are
    learnt from the teacher alone, and every epoch after the first trains on fresh variants of the
    texts (see augment.py) labelled by the teacher."""
    torch.manual_seed(settings.seed)
    rng = np.random.default_rng(settings.seed)
    model, init = build_classifier(task, preset, encoder, settings.dropout, tokenizer.vocab_size)
    n_labels = len(task.labels)

    if unlabeled and teacher is None:
        raise ValueError("unlabeled texts need a teacher to label them")
    if settings.spans and teacher is None:
        raise ValueError("training on spans needs a teacher to label them")
    source_texts = [e.text for e in train] + list(unlabeled or [])
    one_hot = np.eye(n_labels, dtype=np.float32)[[e.label for e in train]]

    def epoch_data(texts: List[str]):
        targets = one_hot
        if teacher is not None:
            soft = teacher(texts).astype(np.float32)
            targets = np.concatenate([(1 - settings.distill_weight) * one_hot + settings.distill_weight * soft[: len(train)], soft[len(train):]])
        if settings.spans:
            short = spans(source_texts, rng)
            texts = list(texts) + short
            targets = np.concatenate([targets, span_targets(teacher(short).astype(np.float32), targets)])
        return encode_all(tokenizer, texts, task.max_tokens), targets

    encoded, targets = epoch_data(source_texts)
    val_encoded = encode_all(tokenizer, [e.text for e in validation], task.max_tokens)
    val_labels = np.array([e.label for e in validation])
    lengths = [len(r) for r in encoded]

    steps_per_epoch = (len(encoded) + settings.batch - 1) // settings.batch
    total = steps_per_epoch * settings.epochs
    warmup = max(1, int(total * settings.warmup))
    no_decay = [p for n, p in model.named_parameters() if n.endswith("bias") or "LayerNorm" in n]
    decay = [p for n, p in model.named_parameters() if not (n.endswith("bias") or "LayerNorm" in n)]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}], lr=settings.lr)
    budget = settings.max_minutes * 60 if settings.max_minutes is not None else None

    def lr_factor(step: int) -> float:
        """Linear warm-up, then linear decay to zero by the last step or the time budget, whichever
        comes first, so a run cut short by its budget still ends on a small learning rate."""
        progress = (step - warmup) / max(1, total - warmup)
        if budget is not None:
            progress = max(progress, (time.time() - started) / budget)
        return min((step + 1) / warmup, max(0.0, 1.0 - progress))

    def validate() -> tuple[float, float]:
        """Validation accuracy and cross-entropy, in the training precision."""
        logits = torch.from_numpy(predict_logits(model, val_encoded, tokenizer.pad_id, precision=settings.precision))
        return float((logits.argmax(1).numpy() == val_labels).mean()), float(F.cross_entropy(logits, torch.from_numpy(val_labels)))

    started = time.time()
    history, best, best_epoch, best_state, step, stopped_early = [], (-1.0, 0.0), 0, None, 0, False
    for epoch in range(settings.epochs):
        if epoch > 0 and teacher is not None:
            encoded, targets = epoch_data(variants(source_texts, rng))
            lengths = [len(r) for r in encoded]
        model.train()
        seen_loss = []
        for idx in length_bucketed_batches(lengths, settings.batch, rng):
            ids, mask, types = pad_batch([encoded[i] for i in idx], tokenizer.pad_id)
            with autocast(settings.precision, CPU):
                logits = model(ids, mask, types).float()
            loss = -(torch.from_numpy(targets[idx]) * F.log_softmax(logits, dim=-1)).sum(-1).mean()
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            for group in optimizer.param_groups:
                group["lr"] = settings.lr * lr_factor(step)
            optimizer.step()
            step += 1
            seen_loss.append(loss.item())
            if budget is not None and time.time() - started > budget:
                stopped_early = True
                break
        val_acc, val_loss = validate()
        history.append({"epoch": epoch + 1, "steps": step, "train_loss": round(float(np.mean(seen_loss)), 4), "validation_accuracy": round(val_acc, 5),
                        "validation_loss": round(val_loss, 4), "seconds": round(time.time() - started, 1)})
        print(f"[{task.id}] {json.dumps(history[-1])}", flush=True)
        # A small validation split often ties on accuracy; the lower cross-entropy breaks the tie.
        if (val_acc, -val_loss) > best:
            best, best_epoch, best_state = (val_acc, -val_loss), epoch + 1, copy.deepcopy(model.state_dict())
        if stopped_early:
            break
    model.load_state_dict(best_state)
    save_hf(out, model.config, model.state_dict())
    summary = {
        "init": init, "preset": preset, "max_tokens": task.max_tokens, "train_examples": len(train), "unlabeled_examples": len(unlabeled or []),
        "distillation": (f"targets mix the label with the TF-IDF (word + character n-gram) teacher's probabilities ({settings.distill_weight:.0%} teacher); epochs after the first train on teacher-labelled variants (word dropout, random spans)" if teacher is not None else None),
        "spans": ("every epoch also trains on one short span of each text (its first sentence or line, a sentence, two or three sentences, or its first 3 to 12 words), its target the teacher's reading of the span weighed by the document's target" if settings.spans else None),
        "epochs_planned": settings.epochs, "epochs_run": len(history), "stopped_by_time_budget": stopped_early, "batch": settings.batch, "peak_lr": settings.lr, "precision": settings.precision,
        "dropout": settings.dropout, "seed": settings.seed, "best_validation_accuracy": round(best[0], 5), "best_epoch": best_epoch, "best_epoch_rule": "highest validation accuracy, ties to the lower validation loss", "history": history, "seconds": round(time.time() - started, 1),
    }
    (out / "finetune.json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary


def load_classifier(folder: Path) -> BertForSequenceClassification:
    config, state = load_hf(folder)
    model = BertForSequenceClassification(config)
    missing = set(model.state_dict()) - set(state)
    if missing:
        raise ValueError(f"{folder / 'pytorch_model.bin'}: missing {', '.join(sorted(missing)[:5])}")
    model.load_state_dict({k: state[k] for k in model.state_dict()})
    model.eval()
    return model
