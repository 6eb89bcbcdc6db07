"""TF-IDF + logistic regression on the same split: the bar a BERT has to clear, and the teacher
whose soft labels can be distilled into it."""
from __future__ import annotations

from typing import List

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline

from .data import Example


def train_baseline(train: List[Example], ngram_max: int = 2, c: float = 10.0) -> Pipeline:
    model = make_pipeline(
        TfidfVectorizer(sublinear_tf=True, ngram_range=(1, ngram_max), min_df=2 if len(train) > 2000 else 1),
        LogisticRegression(C=c, max_iter=2000),
    )
    model.fit([e.text for e in train], [e.label for e in train])
    return model


def predict_proba(model: Pipeline, texts: List[str], num_labels: int) -> np.ndarray:
    """Probabilities in label-id order, also when a label was absent from a tiny training set."""
    probs = np.zeros((len(texts), num_labels), dtype=np.float32)
    probs[:, model.classes_] = model.predict_proba(texts)
    return probs
