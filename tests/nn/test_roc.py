"""ROC curve and AUC against the pairwise definition."""

import numpy as np
import pytest

from nn import roc_auc, roc_curve


def pairwise_auc(scores, positive):
    """P(score of a random positive > score of a random negative), ties counting 1/2."""
    pos, neg = scores[positive], scores[~positive]
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return wins / (len(pos) * len(neg))


@pytest.mark.parametrize("seed", range(5))
def test_auc_is_the_chance_a_positive_outscores_a_negative(seed):
    rng = np.random.default_rng(seed)
    positive = rng.random(60) < 0.3
    positive[:2] = [True, False]
    scores = np.round(rng.normal(size=60) + positive, 1)        # rounding makes ties
    assert roc_auc(scores, positive) == pytest.approx(pairwise_auc(scores, positive))
    fpr, tpr = roc_curve(scores, positive)
    assert fpr[0] == tpr[0] == 0 and fpr[-1] == tpr[-1] == 1
    assert (np.diff(fpr) >= 0).all() and (np.diff(tpr) >= 0).all()


def test_roc_edge_cases():
    assert roc_auc([1, 2, 3], [0, 1, 1]) == 1.0 and roc_auc([3, 2, 1], [0, 1, 1]) == 0.0
    assert roc_auc([5, 5, 5, 5], [0, 1, 0, 1]) == 0.5
    with pytest.raises(ValueError, match="needs both positive and negative"):
        roc_auc([1, 2], [1, 1])
    with pytest.raises(ValueError, match="3 scores but 2 labels"):
        roc_curve([1, 2, 3], [0, 1])
