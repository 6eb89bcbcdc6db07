"""Classification metrics as the model card reports them."""
from __future__ import annotations

from typing import Dict, List, Sequence

import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support


def classification_report(y_true: Sequence[int], y_pred: Sequence[int], labels: List[str]) -> Dict:
    ids = list(range(len(labels)))
    precision, recall, f1, support = precision_recall_fscore_support(y_true, y_pred, labels=ids, zero_division=0)
    return {
        "accuracy": round(float(accuracy_score(y_true, y_pred)), 5),
        "macroF1": round(float(f1_score(y_true, y_pred, labels=ids, average="macro", zero_division=0)), 5),
        "perClass": {
            label: {"precision": round(float(precision[i]), 5), "recall": round(float(recall[i]), 5), "f1": round(float(f1[i]), 5), "support": int(support[i])}
            for i, label in enumerate(labels)
        },
        "confusionMatrix": confusion_matrix(y_true, y_pred, labels=ids).tolist(),
        "examples": int(len(y_true)),
    }


def argmax_rows(logits: np.ndarray) -> np.ndarray:
    return np.asarray(logits).argmax(axis=1)
