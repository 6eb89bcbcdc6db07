"""Replaced-token detection (ELECTRA, Clark et al. 2020) for a compact BERT.

A small generator fills 15% of the positions with plausible tokens; the discriminator, the encoder
that ships, learns on every position whether its token was replaced. The discriminator gets a
training signal from all positions instead of 15%, which is why ELECTRA learns more per step than a
masked-language model of the same size. As in the paper, the generator shares the discriminator's
embeddings (token, position and type) and is a quarter of its width.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Dict

import torch
from torch import nn
from torch.nn import functional as F

from .model import MASK_NEGATIVE, BertConfig, BertEmbeddings, BertEncoder, BertModel, _init_weights

# The paper's weight of the discriminator's loss against the generator's.
DISCRIMINATOR_WEIGHT = 50.0
GENERATOR_WIDTH = 0.25


def generator_config(c: BertConfig) -> BertConfig:
    hidden = max(32, int(c.hidden_size * GENERATOR_WIDTH))
    return replace(c, hidden_size=hidden, num_attention_heads=max(1, hidden // 64), intermediate_size=hidden * 4, id2label={})


def _mask_bias(attention_mask: torch.Tensor) -> torch.Tensor:
    return (1.0 - attention_mask[:, None, None, :].to(torch.float32)) * MASK_NEGATIVE


class ElectraGenerator(nn.Module):
    """A narrow masked-language model reading and writing through the shared embeddings."""

    def __init__(self, c: BertConfig, embeddings: BertEmbeddings):
        super().__init__()
        g = generator_config(c)
        self.embeddings = embeddings
        self.project_in = nn.Linear(c.hidden_size, g.hidden_size)
        self.encoder = BertEncoder(g)
        self.project_out = nn.Linear(g.hidden_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.bias = nn.Parameter(torch.zeros(c.vocab_size))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, picked: torch.Tensor) -> torch.Tensor:
        """Vocabulary logits at the picked positions only: the projection is the costly part on CPU."""
        # Under bf16 autocast a Linear returns bf16; the encoder's LayerNorms need fp32 residuals.
        h = self.encoder(self.project_in(self.embeddings(input_ids, torch.zeros_like(input_ids))).float(), _mask_bias(attention_mask))
        h = self.LayerNorm(F.gelu(self.project_out(h[picked])).float())
        return h @ self.embeddings.word_embeddings.weight.t() + self.bias


class ElectraForPretraining(nn.Module):
    """Generator plus discriminator; `bert` is the discriminator's encoder under Hugging Face names."""

    def __init__(self, c: BertConfig):
        super().__init__()
        self.config = c
        self.bert = BertModel(c, with_pooler=False)
        self.generator = ElectraGenerator(c, self.bert.embeddings)
        self.discriminator_dense = nn.Linear(c.hidden_size, c.hidden_size)
        self.discriminator_out = nn.Linear(c.hidden_size, 1)
        self.apply(lambda m: _init_weights(m, c.initializer_range))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, labels: torch.Tensor, sampler: torch.Generator) -> Dict[str, torch.Tensor]:
        """`input_ids` are masked, `labels` hold the original ids at masked positions and -100 elsewhere."""
        picked = labels != -100
        generator_logits = self.generator(input_ids, attention_mask, picked)
        generator_loss = F.cross_entropy(generator_logits.float(), labels[picked])
        with torch.no_grad():
            sampled = torch.multinomial(torch.softmax(generator_logits.float(), dim=-1).cpu(), 1, generator=sampler).squeeze(1).to(input_ids.device)
        corrupted = input_ids.clone()
        corrupted[picked] = sampled
        # A sampled token equal to the original counts as original, as in the paper.
        replaced = torch.zeros_like(input_ids, dtype=torch.float32)
        replaced[picked] = (sampled != labels[picked]).float()
        hidden = self.bert(corrupted, attention_mask, torch.zeros_like(input_ids))
        scores = self.discriminator_out(F.gelu(self.discriminator_dense(hidden))).squeeze(-1).float()
        counted = attention_mask.bool()
        discriminator_loss = F.binary_cross_entropy_with_logits(scores[counted], replaced[counted])
        accuracy = ((scores[counted] > 0).float() == replaced[counted]).float().mean()
        return {"loss": generator_loss + DISCRIMINATOR_WEIGHT * discriminator_loss, "generator_loss": generator_loss,
                "discriminator_loss": discriminator_loss, "discriminator_accuracy": accuracy,
                "replaced_share": replaced[counted].mean()}
