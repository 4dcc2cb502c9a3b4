import numpy as np
import pytest

from nn import (
    KFold,
    Normalizer,
    Standardizer,
    StratifiedKFold,
    batches,
    normalize,
    one_hot,
    standardize,
    train_test_split,
)


def test_one_hot_and_bad_labels():
    assert one_hot([1, 0, 2]).tolist() == [[0, 1, 0], [1, 0, 0], [0, 0, 1]]
    assert one_hot(np.array([0]), num_classes=3).shape == (1, 3)
    with pytest.raises(ValueError, match="label 3 is outside 0..2"):
        one_hot([0, 3], num_classes=3)


def test_scalers_fit_on_train_and_apply_the_same_numbers_to_test():
    train = np.array([[1.0, 10.0], [3.0, 10.0], [5.0, 10.0]])
    test = np.array([[7.0, 12.0]])
    s = Standardizer().fit(train)
    assert s.transform(train).mean(axis=0) == pytest.approx([0, 0])
    assert s.transform(train)[:, 0].std() == pytest.approx(1)
    assert s.transform(test)[0, 0] == pytest.approx((7 - 3) / np.std([1, 3, 5]))
    assert s.transform(test)[0, 1] == pytest.approx(2.0)          # constant column: centred only
    assert s.inverse_transform(s.transform(test)) == pytest.approx(test)
    tr, te = normalize(train, test)
    assert tr[:, 0].tolist() == [0, 0.5, 1] and te[0, 0] == pytest.approx(1.5)
    tr2, te2 = standardize(train, test)
    assert te2 == pytest.approx(s.transform(test))
    n = Normalizer().fit(train)
    assert n.low.tolist() == [1, 10] and n.span.tolist() == [4, 1]   # constant: span 1
    assert n.inverse_transform(n.transform(test)) == pytest.approx(test)
    with pytest.raises(RuntimeError, match="Normalizer.transform before fit"):
        Normalizer().transform(test)
    with pytest.raises(RuntimeError, match="Standardizer.inverse_transform before fit"):
        Standardizer().inverse_transform(test)
    with pytest.raises(ValueError, match=r"fitted on samples of shape \(2,\)"):
        s.transform(np.ones((1, 3)))


def test_train_test_split_keeps_rows_paired_and_is_seeded():
    X = np.arange(20).reshape(10, 2)
    y = np.arange(10)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, seed=1)
    assert len(X_te) == 3 and len(X_tr) == 7
    assert (X_tr[:, 0] // 2 == y_tr).all() and (X_te[:, 0] // 2 == y_te).all()
    assert sorted(np.concatenate([y_tr, y_te]).tolist()) == list(range(10))
    again = train_test_split(X, y, test_size=0.3, seed=1)
    assert (again[3] == y_te).all()


def test_stratified_split_keeps_class_shares():
    y = np.array([0] * 80 + [1] * 20)
    _, _, y_tr, y_te = train_test_split(np.zeros(100), y, test_size=0.25, stratify=y, seed=0)
    assert len(y_te) == 25 and y_te.sum() == 5 and y_tr.sum() == 15
    # shares that all round to 0 still give the test set the size asked for
    y = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2])
    _, _, y_tr, y_te = train_test_split(np.zeros(9), y, test_size=0.2, stratify=y, seed=0)
    assert len(y_te) == 2 and len(y_tr) == 7 and len(set(y_te.tolist())) == 2


def test_kfold_uses_every_sample_once_for_validation():
    folds = list(KFold(4, shuffle=True, seed=0).split(np.zeros(10)))
    validation = np.concatenate([val for _, val in folds])
    assert sorted(validation.tolist()) == list(range(10))
    for train, val in folds:
        assert not set(train) & set(val) and len(train) + len(val) == 10


def test_stratified_kfold_balances_classes():
    y = np.array([0] * 9 + [1] * 3)
    for _, val in StratifiedKFold(3, shuffle=True, seed=0).split(y, y):
        assert y[val].sum() == 1 and len(val) == 4
    with pytest.raises(ValueError, match="needs the labels"):
        next(StratifiedKFold(3).split(y))


def test_batches_shuffle_with_a_seed_and_cover_everything():
    X, y = np.arange(10), np.arange(10) * 10
    first = [b for b in batches(X, y, batch_size=4, seed=3)]
    assert [len(xb) for xb, _ in first] == [4, 4, 2]
    assert sorted(np.concatenate([xb for xb, _ in first]).tolist()) == list(range(10))
    assert all((yb == xb * 10).all() for xb, yb in first)
    again = [xb for xb, _ in batches(X, y, batch_size=4, seed=3)]
    assert all((a == b).all() for a, (b, _) in zip(again, first, strict=True))
    assert [len(b[0]) for b in batches(X, batch_size=4, drop_last=True)] == [4, 4]
    with pytest.raises(ValueError, match="same number of samples"):
        next(batches(X, y[:3]))
    with pytest.raises(ValueError, match="batch_size"):
        next(batches(X, batch_size=0))
