"""Pretraining of a compact BERT on unlabeled training text: replaced-token detection (ELECTRA,
`electra.py`, the default) or masked-language modelling (`--objective mlm`).

Resumable: a checkpoint (weights, optimizer, step) is written every few minutes and on interrupt;
running the same command again continues from it. Usage:
  python3 -m training.pretrain --out training/runs/mini --preset mini --tokens 24000000
"""
from __future__ import annotations

import argparse
from collections import deque
import json
import math
import signal
import sys
import time
from pathlib import Path

import numpy as np
import torch

from .checkpoint import atomic_save, load_hf, save_hf
from .corpus import load_token_stream
from .errors import DataError
from .electra import ElectraForPretraining
from .model import BertForMaskedLM, count_parameters, preset_config
from .runtime import autocast, pick_device, pick_precision, set_threads
from .tokenizer import WordPieceTokenizer

MASK_PROBABILITY = 0.15
OBJECTIVES = ("electra", "mlm")


# The shipped encoder's budget (one pass over the corpus); the pipeline pretrains with the same defaults.
DEFAULT_TOKENS = 24_000_000
DEFAULT_BATCH = 32


def mask_tokens(ids: torch.Tensor, tokenizer: WordPieceTokenizer, generator: torch.Generator, mask_share: float = 0.8):
    """Masks 15% of the non-special positions; labels are -100 elsewhere. BERT's 80/10/10 split by
    default (80% [MASK], 10% a random token, 10% kept); ELECTRA's generator sees [MASK] everywhere."""
    special = (ids == tokenizer.cls_id) | (ids == tokenizer.sep_id) | (ids == tokenizer.pad_id)
    chosen = (torch.rand(ids.shape, generator=generator) < MASK_PROBABILITY) & ~special
    labels = torch.where(chosen, ids, torch.full_like(ids, -100))
    roll = torch.rand(ids.shape, generator=generator)
    inputs = ids.clone()
    inputs[chosen & (roll < mask_share)] = tokenizer.mask_id
    random_slots = chosen & (roll >= mask_share) & (roll < (1 + mask_share) / 2)
    inputs[random_slots] = torch.randint(999, tokenizer.vocab_size, (int(random_slots.sum()),), generator=generator)
    return inputs, labels


def batch_at(step: int, stream: np.ndarray, batch: int, seq_len: int, seed: int, tokenizer: WordPieceTokenizer) -> torch.Tensor:
    """Windows at random offsets of the token stream, chosen from (seed, step) so a resumed run
    sees exactly the batches it would have seen."""
    rng = np.random.default_rng([seed, step])
    body = seq_len - 2
    starts = rng.integers(0, stream.size - body, size=batch)
    windows = np.stack([stream[s:s + body] for s in starts]).astype(np.int64)
    cls = np.full((batch, 1), tokenizer.cls_id, dtype=np.int64)
    sep = np.full((batch, 1), tokenizer.sep_id, dtype=np.int64)
    return torch.from_numpy(np.concatenate([cls, windows, sep], axis=1))


def learning_rate(step: int, total: int, peak: float, warmup: int) -> float:
    if step < warmup:
        return peak * (step + 1) / warmup
    return peak * max(0.0, (total - step) / max(1, total - warmup))


def final_losses(recent: deque, log_path: Path) -> dict:
    """Mean of the last 50 steps' losses, or of the last five logged ones for a run finished without new steps."""
    records = list(recent) or ([json.loads(line) for line in log_path.read_text().splitlines()[-5:]] if log_path.is_file() else [])
    names = [k for k in ("loss", "generator_loss", "discriminator_loss", "discriminator_accuracy") if records and k in records[0]]
    return {("final_loss" if k == "loss" else f"final_{k}"): round(float(np.mean([r[k] for r in records])), 4) for k in names} or {"final_loss": None}


def loss_curve(log_path: Path, points: int = 40) -> list:
    """About `points` evenly spaced records of the log (step, tokens, seconds and the losses), for the model card."""
    records = [json.loads(line) for line in log_path.read_text().splitlines()] if log_path.is_file() else []
    stride = max(1, math.ceil(len(records) / points))
    picked = records[stride - 1::stride]
    if records and (not picked or picked[-1] is not records[-1]):
        picked.append(records[-1])
    return [{k: r[k] for k in ("step", "tokens", "seconds", "loss", "generator_loss", "discriminator_loss", "discriminator_accuracy") if k in r} for r in picked]


def step_losses(model: torch.nn.Module, inputs: torch.Tensor, labels: torch.Tensor, sampler: torch.Generator) -> dict:
    if isinstance(model, ElectraForPretraining):
        return model(inputs, torch.ones_like(inputs), labels, sampler)
    return {"loss": model(inputs, torch.ones_like(inputs), labels)}


def build_model(args, vocab_size: int) -> torch.nn.Module:
    # Dropout costs more than half the step time on CPU and a short run over plenty of text does
    # not overfit, so pretraining runs without it by default.
    dropout = dict(hidden_dropout_prob=args.dropout, attention_probs_dropout_prob=args.dropout)
    architecture = ElectraForPretraining if args.objective == "electra" else BertForMaskedLM
    if args.init is None:
        return architecture(preset_config(args.preset, vocab_size=vocab_size, **dropout))
    config, state = load_hf(args.init)
    config.hidden_dropout_prob = config.attention_probs_dropout_prob = args.dropout
    if config.vocab_size != vocab_size:
        raise DataError(args.init / "config.json", f"vocab_size {config.vocab_size} does not match the tokenizer's {vocab_size}")
    config.id2label = {}
    model = architecture(config)
    own = model.state_dict()
    loaded = 0
    for name, tensor in state.items():
        if name not in own:
            continue
        if own[name].shape != tensor.shape:
            raise DataError(args.init / "pytorch_model.bin", f"{name} has shape {tuple(tensor.shape)}, config.json implies {tuple(own[name].shape)}")
        own[name].copy_(tensor)
        loaded += 1
    if loaded == 0:
        raise DataError(args.init / "pytorch_model.bin", "holds no BERT weights (expected names like bert.embeddings.word_embeddings.weight)")
    print(f"initialised {loaded} tensors from {args.init}", flush=True)
    return model


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Pretraining of a compact BERT (ELECTRA or masked-language model)")
    p.add_argument("--data", type=Path, default=Path("../shared/data"))
    p.add_argument("--tokenizer", type=Path, default=None, help="folder with tokenizer.json (default: DATA/tokenizer/bert-base-uncased)")
    p.add_argument("--out", type=Path, required=True, help="run folder; pretraining writes OUT/pretrain/")
    p.add_argument("--preset", default="mini", choices=["tiny", "mini", "small"])
    p.add_argument("--objective", default="electra", choices=OBJECTIVES, help="electra: replaced-token detection (default); mlm: masked-language model")
    p.add_argument("--init", type=Path, default=None, help="start from a Hugging Face BERT folder (config.json + pytorch_model.bin)")
    p.add_argument("--tokens", type=int, default=DEFAULT_TOKENS, help="token budget (sequence positions seen)")
    p.add_argument("--seq-len", type=int, default=128)
    p.add_argument("--batch", type=int, default=DEFAULT_BATCH)
    p.add_argument("--lr", type=float, default=5e-4)
    p.add_argument("--dropout", type=float, default=0.0)
    p.add_argument("--warmup", type=float, default=0.05, help="fraction of steps spent warming up")
    p.add_argument("--checkpoint-minutes", type=float, default=5.0)
    p.add_argument("--limit", type=int, default=None, help="use only this many documents per source (smoke runs)")
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--device", default="auto")
    p.add_argument("--threads", type=int, default=None)
    p.add_argument("--precision", default="auto", help="auto (bf16 autocast where the hardware has it), bf16 or fp32")
    args = p.parse_args(argv)

    set_threads(args.threads)
    device = pick_device(args.device)
    precision = pick_precision(args.precision, device)
    torch.manual_seed(args.seed)
    tokenizer = WordPieceTokenizer((args.tokenizer or args.data / "tokenizer" / "bert-base-uncased") / "tokenizer.json")
    folder = args.out / "pretrain"
    folder.mkdir(parents=True, exist_ok=True)
    stream, corpus_info = load_token_stream(args.data, tokenizer, args.out.parent / "cache" if args.out.parent.name else Path("cache"), args.limit)
    if stream.size <= args.seq_len:
        raise DataError(args.data, f"only {stream.size} pretraining tokens; need more than the sequence length {args.seq_len}")

    model = build_model(args, tokenizer.vocab_size).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01, betas=(0.9, 0.98), eps=1e-6)
    total_steps = max(1, math.ceil(args.tokens / (args.batch * args.seq_len)))
    warmup = max(1, int(total_steps * args.warmup))
    state_path = folder / "state.pt"
    step, elapsed_before = 0, 0.0
    if state_path.is_file():
        state = torch.load(state_path, map_location=device)
        if state.get("preset") != args.preset:
            raise DataError(state_path, f"belongs to a {state.get('preset')} run; this command asks for {args.preset}. Use another --out or delete it")
        if state.get("objective", "mlm") != args.objective:
            raise DataError(state_path, f"was written with --objective {state.get('objective', 'mlm')}; this command asks for --objective {args.objective}. Use another --out or delete it")
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        step, elapsed_before = state["step"], state["elapsed"]
        if state.get("total_steps") != total_steps:
            # A new token budget re-plans the learning-rate decay from here on; the warm-up already done stands.
            print(f"token budget changed: {state.get('total_steps')} -> {total_steps} steps", flush=True)
        if step >= total_steps:
            # A budget at or below what is done finishes the run here: weights are written as they are.
            print(f"step {step} already meets the budget of {total_steps} steps: finishing without further training", flush=True)
            total_steps = step
        else:
            print(f"resuming at step {step}/{total_steps}", flush=True)

    def save_state() -> None:
        atomic_save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": step, "total_steps": total_steps,
                     "preset": args.preset, "objective": args.objective, "elapsed": elapsed_before + time.time() - started}, state_path)

    interrupted = False

    def on_signal(signum, _frame):
        nonlocal interrupted
        interrupted = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    print(f"pretraining {args.preset} by {args.objective} ({count_parameters(model):,} parameters) on {device}: {corpus_info['tokens']:,} corpus tokens, "
          f"{total_steps} steps of {args.batch}x{args.seq_len}, {precision}", flush=True)
    started = last_save = time.time()
    generator = torch.Generator().manual_seed(args.seed)
    sampler = torch.Generator().manual_seed(args.seed + 1)
    recent_losses: deque = deque(maxlen=50)
    model.train()
    with open(folder / "log.jsonl", "a") as log:
        while step < total_steps and not interrupted:
            generator.manual_seed(args.seed * 1_000_003 + step)
            sampler.manual_seed(args.seed * 1_000_003 + step + 1)
            ids = batch_at(step, stream, args.batch, args.seq_len, args.seed, tokenizer)
            inputs, labels = mask_tokens(ids, tokenizer, generator, 1.0 if args.objective == "electra" else 0.8)
            for group in optimizer.param_groups:
                group["lr"] = learning_rate(step, total_steps, args.lr, warmup)
            with autocast(precision, device):
                losses = step_losses(model, inputs.to(device), labels.to(device), sampler)
            loss = losses["loss"]
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            recent_losses.append({k: v.item() for k, v in losses.items()})
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            step += 1
            if step % 20 == 0 or step == total_steps:
                seconds = elapsed_before + time.time() - started
                record = {"step": step, **{k: round(v, 4) for k, v in recent_losses[-1].items()}, "tokens": step * args.batch * args.seq_len, "lr": optimizer.param_groups[0]["lr"], "seconds": round(seconds, 1)}
                log.write(json.dumps(record) + "\n")
                log.flush()
                print(json.dumps(record), flush=True)
            if time.time() - last_save > args.checkpoint_minutes * 60:
                save_state()
                last_save = time.time()
    save_state()
    if interrupted:
        print(f"interrupted at step {step}; run the same command to resume", flush=True)
        return 130
    # Only the encoder ships: the MLM head or ELECTRA's generator and discriminator head stay behind.
    save_hf(folder / "encoder", model.config, {k: v for k, v in model.state_dict().items() if k.startswith("bert.")})
    summary = {"preset": args.preset, "objective": args.objective, "steps": step, "batch": args.batch, "seq_len": args.seq_len, "tokens_seen": step * args.batch * args.seq_len,
               "peak_lr": args.lr, "precision": precision, "seconds": round(elapsed_before + time.time() - started, 1), "device": str(device), "corpus": corpus_info,
               **final_losses(recent_losses, folder / "log.jsonl"), "lossCurve": loss_curve(folder / "log.jsonl"), "init": str(args.init) if args.init else "random", "parameters": count_parameters(model)}
    (folder / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
