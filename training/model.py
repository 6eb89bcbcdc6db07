"""A BERT encoder with Hugging Face's parameter names, so checkpoints and exports are standard
`BertForSequenceClassification` / `BertForMaskedLM` folders."""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Dict, Optional

import torch
from torch import nn
from torch.nn import functional as F


@dataclass
class BertConfig:
    vocab_size: int = 30522
    hidden_size: int = 256
    num_hidden_layers: int = 4
    num_attention_heads: int = 4
    intermediate_size: int = 1024
    max_position_embeddings: int = 512
    type_vocab_size: int = 2
    hidden_dropout_prob: float = 0.1
    attention_probs_dropout_prob: float = 0.1
    layer_norm_eps: float = 1e-12
    initializer_range: float = 0.02
    pad_token_id: int = 0
    id2label: Dict[int, str] = field(default_factory=dict)

    def to_hf_dict(self) -> dict:
        """The config.json of a Hugging Face BertForSequenceClassification (or BertForMaskedLM)."""
        d = asdict(self)
        id2label = {str(k): v for k, v in self.id2label.items()}
        d.update(
            model_type="bert",
            architectures=["BertForSequenceClassification" if id2label else "BertForMaskedLM"],
            hidden_act="gelu",
            position_embedding_type="absolute",
            classifier_dropout=None,
            id2label=id2label,
            label2id={v: int(k) for k, v in id2label.items()},
        )
        if id2label:
            d["problem_type"] = "single_label_classification"
        return d

    @classmethod
    def from_hf_dict(cls, d: dict) -> "BertConfig":
        known = {k: d[k] for k in cls.__dataclass_fields__ if k in d and k != "id2label"}
        cfg = cls(**known)
        cfg.id2label = {int(k): v for k, v in (d.get("id2label") or {}).items()}
        return cfg


PRESETS: Dict[str, dict] = {
    "tiny": dict(hidden_size=128, num_hidden_layers=2, num_attention_heads=2, intermediate_size=512),
    "mini": dict(hidden_size=256, num_hidden_layers=4, num_attention_heads=4, intermediate_size=1024),
    "small": dict(hidden_size=512, num_hidden_layers=4, num_attention_heads=8, intermediate_size=2048),
}


def preset_config(name: str, **overrides) -> BertConfig:
    if name not in PRESETS:
        raise ValueError(f"unknown size preset {name!r}; choose one of {', '.join(PRESETS)}")
    return BertConfig(**{**PRESETS[name], **overrides})


class BertEmbeddings(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden_size, padding_idx=c.pad_token_id)
        self.position_embeddings = nn.Embedding(c.max_position_embeddings, c.hidden_size)
        self.token_type_embeddings = nn.Embedding(c.type_vocab_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, input_ids: torch.Tensor, token_type_ids: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(input_ids.shape[1], device=input_ids.device).unsqueeze(0)
        x = self.word_embeddings(input_ids) + self.position_embeddings(positions) + self.token_type_embeddings(token_type_ids)
        return self.dropout(self.LayerNorm(x))


class BertSelfAttention(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.heads = c.num_attention_heads
        self.head_size = c.hidden_size // c.num_attention_heads
        self.query = nn.Linear(c.hidden_size, c.hidden_size)
        self.key = nn.Linear(c.hidden_size, c.hidden_size)
        self.value = nn.Linear(c.hidden_size, c.hidden_size)
        self.dropout = nn.Dropout(c.attention_probs_dropout_prob)

    def _split(self, x: torch.Tensor) -> torch.Tensor:
        b, s, _ = x.shape
        return x.view(b, s, self.heads, self.head_size).transpose(1, 2)

    def forward(self, x: torch.Tensor, mask_bias: torch.Tensor) -> torch.Tensor:
        q, k, v = self._split(self.query(x)), self._split(self.key(x)), self._split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_size) + mask_bias
        probs = self.dropout(torch.softmax(scores, dim=-1))
        out = torch.matmul(probs, v).transpose(1, 2)
        return out.reshape(x.shape[0], x.shape[1], -1)


class BertSelfOutput(nn.Module):
    def __init__(self, c: BertConfig, in_size: int):
        super().__init__()
        self.dense = nn.Linear(in_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, h: torch.Tensor, residual: torch.Tensor) -> torch.Tensor:
        return self.LayerNorm(self.dropout(self.dense(h)) + residual)


class BertAttention(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.self = BertSelfAttention(c)
        self.output = BertSelfOutput(c, c.hidden_size)

    def forward(self, x: torch.Tensor, mask_bias: torch.Tensor) -> torch.Tensor:
        return self.output(self.self(x, mask_bias), x)


class BertIntermediate(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.intermediate_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.gelu(self.dense(x))


class BertLayer(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.attention = BertAttention(c)
        self.intermediate = BertIntermediate(c)
        self.output = BertSelfOutput(c, c.intermediate_size)

    def forward(self, x: torch.Tensor, mask_bias: torch.Tensor) -> torch.Tensor:
        a = self.attention(x, mask_bias)
        return self.output(self.intermediate(a), a)


class BertEncoder(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.layer = nn.ModuleList(BertLayer(c) for _ in range(c.num_hidden_layers))

    def forward(self, x: torch.Tensor, mask_bias: torch.Tensor) -> torch.Tensor:
        for layer in self.layer:
            x = layer(x, mask_bias)
        return x


class BertPooler(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.tanh(self.dense(x[:, 0]))


# A large finite negative (not -inf) keeps fully padded rows finite; exp(-10000) is exactly 0 in fp32.
MASK_NEGATIVE = -10000.0


class BertModel(nn.Module):
    def __init__(self, c: BertConfig, with_pooler: bool = True):
        super().__init__()
        self.embeddings = BertEmbeddings(c)
        self.encoder = BertEncoder(c)
        self.pooler = BertPooler(c) if with_pooler else None

    def forward(self, input_ids, attention_mask, token_type_ids):
        mask_bias = (1.0 - attention_mask[:, None, None, :].to(torch.float32)) * MASK_NEGATIVE
        return self.encoder(self.embeddings(input_ids, token_type_ids), mask_bias)


def _init_weights(module: nn.Module, std: float) -> None:
    if isinstance(module, nn.Linear):
        nn.init.normal_(module.weight, std=std)
        if module.bias is not None:
            nn.init.zeros_(module.bias)
    elif isinstance(module, nn.Embedding):
        nn.init.normal_(module.weight, std=std)
        if module.padding_idx is not None:
            with torch.no_grad():
                module.weight[module.padding_idx].zero_()
    elif isinstance(module, nn.LayerNorm):
        nn.init.ones_(module.weight)
        nn.init.zeros_(module.bias)


class BertForSequenceClassification(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        if not c.id2label:
            raise ValueError("a classifier needs id2label")
        self.config = c
        self.bert = BertModel(c)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)
        self.classifier = nn.Linear(c.hidden_size, len(c.id2label))
        self.apply(lambda m: _init_weights(m, c.initializer_range))

    def forward(self, input_ids, attention_mask, token_type_ids):
        hidden = self.bert(input_ids, attention_mask, token_type_ids)
        return self.classifier(self.dropout(self.bert.pooler(hidden)))


class BertLMPredictionHead(nn.Module):
    def __init__(self, c: BertConfig, word_embeddings: nn.Embedding):
        super().__init__()
        self.transform = nn.Module()
        self.transform.dense = nn.Linear(c.hidden_size, c.hidden_size)
        self.transform.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.decoder = nn.Linear(c.hidden_size, c.vocab_size, bias=False)
        self.decoder.weight = word_embeddings.weight
        self.bias = nn.Parameter(torch.zeros(c.vocab_size))

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        # Under bf16 autocast the dense layer returns bf16; LayerNorm's fp32 parameters need fp32 input.
        h = self.transform.LayerNorm(F.gelu(self.transform.dense(h)).float())
        return self.decoder(h) + self.bias


class BertForMaskedLM(nn.Module):
    """MLM head on top of BERT. Logits are computed only at masked positions: on CPU the vocabulary
    projection would otherwise dominate the step time."""

    def __init__(self, c: BertConfig):
        super().__init__()
        self.config = c
        self.bert = BertModel(c, with_pooler=False)
        self.cls = nn.Module()
        self.cls.predictions = BertLMPredictionHead(c, self.bert.embeddings.word_embeddings)
        self.apply(lambda m: _init_weights(m, c.initializer_range))

    def forward(self, input_ids, attention_mask, labels: torch.Tensor) -> torch.Tensor:
        """Mean cross-entropy over positions whose label is not -100."""
        hidden = self.bert(input_ids, attention_mask, torch.zeros_like(input_ids))
        picked = labels != -100
        logits = self.cls.predictions(hidden[picked])
        return F.cross_entropy(logits.float(), labels[picked])

    def encoder_state_dict(self) -> Dict[str, torch.Tensor]:
        """Encoder weights under BertForSequenceClassification names (pooler left to fine-tuning)."""
        return {f"bert.{k}": v for k, v in self.bert.state_dict().items()}


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in {id(p): p for p in model.parameters()}.values())


def load_encoder_weights(model: BertForSequenceClassification, state: Dict[str, torch.Tensor], source: str) -> list:
    """Copies matching encoder tensors into `model`; a tensor of the wrong shape is an error naming it."""
    own = model.state_dict()
    loaded = []
    for name, tensor in state.items():
        if not name.startswith("bert.") or name not in own:
            continue
        if own[name].shape != tensor.shape:
            raise ValueError(f"{source}: {name} has shape {tuple(tensor.shape)}, the model expects {tuple(own[name].shape)}")
        own[name].copy_(tensor)
        loaded.append(name)
    if not loaded:
        raise ValueError(f"{source}: no BERT encoder weights found (expected names like bert.embeddings.word_embeddings.weight)")
    return loaded
