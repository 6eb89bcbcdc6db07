"""TF-IDF + logistic regression on the same split: the bar a BERT has to clear, and the teacher
whose soft labels can be distilled into it."""
from __future__ import annotations

from typing import List

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline, make_union

from .data import Example


def train_baseline(train: List[Example], ngram_max: int = 2, c: float = 10.0) -> Pipeline:
    model = make_pipeline(
        TfidfVectorizer(sublinear_tf=True, ngram_range=(1, ngram_max), min_df=2 if len(train) > 2000 else 1),
        LogisticRegression(C=c, max_iter=2000),
    )
    model.fit([e.text for e in train], [e.label for e in train])
    return model


def train_teacher(train: List[Example], c: float = 10.0) -> Pipeline:
    """Word uni+bigrams and character 2-5-grams: the distillation teacher. Character n-grams catch
    brand names, model numbers and misspellings, and beat words alone on validation (e-commerce:
    96.8% against 96.1%)."""
    words = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=2 if len(train) > 2000 else 1)
    chars = TfidfVectorizer(sublinear_tf=True, analyzer="char_wb", ngram_range=(2, 5), min_df=2 if len(train) > 2000 else 1, max_features=300_000)
    model = make_pipeline(make_union(words, chars), LogisticRegression(C=c, max_iter=3000))
    model.fit([e.text for e in train], [e.label for e in train])
    return model


def predict_proba(model: Pipeline, texts: List[str], num_labels: int) -> np.ndarray:
    """Probabilities in label-id order, also when a label was absent from a tiny training set."""
    probs = np.zeros((len(texts), num_labels), dtype=np.float32)
    probs[:, model.classes_] = model.predict_proba(texts)
    return probs
