"""The course's helper functions, reproduced exactly so the lesson's code runs unchanged.

``from gdlab.lesson import *`` stands in for the course's ``from ML_basic_function import *``.
Everything here keeps the course's names, defaults, shapes and random draws: the data
generators use NumPy's legacy global RNG (callers run ``np.random.seed(24)`` first), labels are
``(n, 1)`` columns, the losses return ``(1, 1)`` arrays and ``w_cal`` updates ``w`` in place.
These functions are the reference behaviour, written with NumPy alone; the engine
(:mod:`gdlab.optim`) and the scalers (:mod:`gdlab.scaling`) are the tools for real work.
"""

# The course draws from NumPy's legacy global RNG; its printed numbers depend on it.
# ruff: noqa: NPY002

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "MSELoss",
    "SSELoss",
    "arrayGenCla",
    "arrayGenReg",
    "array_split",
    "logit_acc",
    "logit_cla",
    "logit_gd",
    "lr_gd",
    "maxmin_norm",
    "sgd_cal",
    "sigmoid",
    "w_cal",
    "w_cal_rec",
    "z_score",
]

Array = NDArray[Any]
GradFn = Callable[[Array, Array, Array], Array]


def maxmin_norm(X: Array) -> Array:
    """0-1 (min-max) normalization, column by column.

    .. math:: x' = (x - \\min_j) / (\\max_j - \\min_j)

    A constant column gives ``0 / 0 = nan`` (with NumPy's warning), as in the course;
    :class:`gdlab.scaling.MinMaxScaler` has a policy for it.

    Examples
    --------
    >>> maxmin_norm(np.arange(6).reshape(3, 2))
    array([[0. , 0. ],
           [0.5, 0.5],
           [1. , 1. ]])
    """
    maxmin_range = X.max(axis=0) - X.min(axis=0)
    return (X - X.min(axis=0)) / maxmin_range


def z_score(X: Array) -> Array:
    """Z-score standardization, column by column, with the population standard deviation.

    .. math:: x' = (x - \\mu_j) / \\sigma_j, \\quad \\sigma_j^2 = \\tfrac{1}{n}\\sum_i (x_{ij}
       - \\mu_j)^2

    No constant is added to the denominator (the course only mentions it), so a constant
    column gives ``nan``; :class:`gdlab.scaling.StandardScaler` takes an ``eps``.

    Examples
    --------
    >>> z_score(np.array([[1.0], [3.0]]))
    array([[-1.],
           [ 1.]])
    """
    return (X - X.mean(axis=0)) / X.std(axis=0)


def sigmoid(x: ArrayLike) -> NDArray[np.floating[Any]] | np.floating[Any]:
    """The logistic function, element-wise.

    .. math:: \\sigma(x) = 1 / (1 + e^{-x})

    ``exp(-x)`` overflows to ``inf`` for ``x < -709``; the result is then exactly 0, the true
    limit, so the overflow warning is silenced. Returns an array for array input and a NumPy
    scalar for scalar input, as the course's one-liner does.

    Examples
    --------
    >>> sigmoid(np.array([0, 2]))
    array([0.5       , 0.88079708])
    """
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-np.asarray(x)))


def arrayGenReg(
    num_examples: int = 1000,
    w: ArrayLike = (2, -1, 1),
    bias: bool = True,
    delta: float = 0.01,
    deg: int = 1,
) -> tuple[Array, Array]:
    """Regression data ``y = (X ** deg) @ w + b + noise`` from the global RNG.

    With ``bias=True`` the last element of ``w`` is the intercept ``b`` and a ones column is
    appended to the features. The features are drawn first
    (``np.random.randn(num_examples, k)``), then the noise
    (``delta * np.random.normal(size=(num_examples, 1))``).

    Returns
    -------
    features : ndarray, shape (num_examples, len(w))
    labels : ndarray, shape (num_examples, 1)

    Examples
    --------
    >>> np.random.seed(24)
    >>> X, y = arrayGenReg(num_examples=3)
    >>> X.shape, y.shape, X[:, -1]
    ((3, 3), (3, 1), array([1., 1., 1.]))
    """
    w_arr = np.asarray(w)
    if bias:
        features_true = np.random.randn(num_examples, len(w_arr) - 1)
        w_true = w_arr[:-1].reshape(-1, 1)
        labels_true = np.power(features_true, deg).dot(w_true) + w_arr[-1]
        features = np.concatenate((features_true, np.ones_like(labels_true)), axis=1)
    else:
        features = np.random.randn(num_examples, len(w_arr))
        labels_true = np.power(features, deg).dot(w_arr.reshape(-1, 1))
    labels = labels_true + np.random.normal(size=labels_true.shape) * delta
    return features, labels


def arrayGenCla(
    num_examples: int = 500,
    num_inputs: int = 2,
    num_class: int = 3,
    deg_dispersion: ArrayLike = (4, 2),
    bias: bool = False,
) -> tuple[Array, Array]:
    """Classification data: ``num_examples`` normal points per class from the global RNG.

    With ``deg_dispersion = (m, s)`` and ``C = num_class``, class ``i`` is drawn, in class
    order, from

    .. math:: \\mathcal{N}(i m - m (C - 1) / 2,\\; s^2)

    in every coordinate. Labels are float class ids; ``bias=True`` appends a ones column.

    Returns
    -------
    features : ndarray, shape (num_examples * num_class, num_inputs + bias)
    labels : ndarray, shape (num_examples * num_class, 1)

    Examples
    --------
    >>> np.random.seed(24)
    >>> X, y = arrayGenCla(num_examples=2, num_class=2)
    >>> X.shape, y.ravel()
    ((4, 2), array([0., 0., 1., 1.]))
    """
    mean_, std_ = np.asarray(deg_dispersion)[:2]
    k = mean_ * (num_class - 1) / 2
    lf, ll = [], []
    for i in range(num_class):
        lf.append(np.random.normal(i * mean_ - k, std_, size=(num_examples, num_inputs)))
        ll.append(np.full((num_examples, 1), i, dtype=float))
    features = np.concatenate(lf)
    labels = np.concatenate(ll)
    if bias:
        features = np.concatenate((features, np.ones(labels.shape)), 1)
    return features, labels


def SSELoss(X: Array, w: Array, y: Array) -> Array:
    """Sum of squared residuals, as a ``(1, 1)`` array for column ``w`` and ``y``.

    .. math:: \\mathrm{SSE} = (y - Xw)^\\top (y - Xw)

    Examples
    --------
    >>> SSELoss(np.array([[1.0], [2.0]]), np.array([[1.0]]), np.array([[0.0], [0.0]]))
    array([[5.]])
    """
    y_hat = X.dot(w)
    return np.asarray((y - y_hat).T.dot(y - y_hat))


def MSELoss(X: Array, w: Array, y: Array) -> Array:
    """Mean squared residual, ``SSELoss / m`` with ``m`` the number of rows.

    .. math:: \\mathrm{MSE} = \\tfrac{1}{m} (y - Xw)^\\top (y - Xw)

    Examples
    --------
    >>> MSELoss(np.array([[1.0], [2.0]]), np.array([[1.0]]), np.array([[0.0], [0.0]]))
    array([[2.5]])
    """
    return SSELoss(X, w, y) / X.shape[0]


def lr_gd(X: Array, w: Array, y: Array) -> Array:
    """Gradient of :func:`MSELoss` with respect to ``w``, over the rows passed in.

    .. math:: \\nabla_w \\mathrm{MSE} = \\tfrac{2}{m} X^\\top (Xw - y)

    Examples
    --------
    >>> lr_gd(np.array([[1.0], [3.0]]), np.array([[0.0]]), np.array([[2.0], [4.0]]))
    array([[-14.]])
    """
    m = X.shape[0]
    return np.asarray(2 * X.T.dot(X.dot(w) - y) / m)


def logit_gd(X: Array, w: Array, y: Array) -> Array:
    """Gradient of the mean binary cross-entropy of logistic regression.

    .. math:: \\nabla_w = \\tfrac{1}{m} X^\\top (\\sigma(Xw) - y)

    Examples
    --------
    >>> logit_gd(np.array([[1.0], [-1.0]]), np.array([[0.0]]), np.array([[1.0], [0.0]]))
    array([[-0.5]])
    """
    m = X.shape[0]
    return np.asarray(X.T.dot(sigmoid(X.dot(w)) - y) / m)


def w_cal(
    X: Array, w: Array, y: Array, gd_cal: GradFn, lr: float = 0.02, itera_times: int = 20
) -> Array:
    """Full-batch gradient descent: ``itera_times`` updates of ``w`` **in place**.

    .. math:: w \\leftarrow w - \\eta\\, g(X, w, y)

    Returns the same array object ``w`` (a float array; an integer ``w`` cannot be updated).

    Examples
    --------
    >>> w = np.zeros((1, 1))
    >>> w_cal(np.array([[1.0]]), w, np.array([[2.0]]), lr_gd, lr=0.25, itera_times=1) is w
    True
    >>> w
    array([[1.]])
    """
    for _ in range(itera_times):
        w -= lr * gd_cal(X, w, y)
    return w


def w_cal_rec(
    X: Array, w: Array, y: Array, gd_cal: GradFn, lr: float = 0.02, itera_times: int = 20
) -> tuple[Array, list[Array]]:
    """As :func:`w_cal`, also returning the path: ``itera_times + 1`` copies of ``w``.

    .. math:: w_{t+1} = w_t - \\eta\\, g(X, w_t, y), \\quad t = 0, \\dots, T - 1

    Examples
    --------
    >>> w, path = w_cal_rec(np.array([[1.0]]), np.zeros((1, 1)), np.array([[2.0]]), lr_gd,
    ...                     lr=0.25, itera_times=2)
    >>> [float(p[0, 0]) for p in path]
    [0.0, 1.0, 1.5]
    """
    w_res = [np.copy(w)]
    for _ in range(itera_times):
        w -= lr * gd_cal(X, w, y)
        w_res.append(np.copy(w))
    return w, w_res


def sgd_cal(
    X: Array,
    w: Array,
    y: Array,
    gd_cal: GradFn,
    epoch: int,
    batch_size: int = 1,
    lr: float = 0.02,
    shuffle: bool = True,
    random_state: int = 24,
) -> Array:
    """Mini-batch gradient descent (SGD for ``batch_size=1``), updating ``w`` in place.

    ``X`` and ``y`` are copied once. Before every epoch, if ``shuffle``, the global RNG is
    reseeded with ``random_state`` and the copy of ``X`` shuffled, then reseeded again and the
    copy of ``y`` shuffled: rows stay aligned and the *same* permutation is applied again each
    epoch. Each epoch makes ``ceil(m / batch_size)`` updates, one per batch of rows
    ``[i b, min((i + 1) b, m))`` (the last partial batch is kept):

    .. math:: w \\leftarrow w - \\eta\\, g(X_B, w, y_B)

    Examples
    --------
    >>> X = np.array([[1.0], [1.0], [1.0]])
    >>> w = sgd_cal(X, np.zeros((1, 1)), 2 * X, lr_gd, epoch=1, batch_size=2, lr=0.25)
    >>> w  # batch of 2 rows: w = 1, then the last row alone: w = 1.5
    array([[1.5]])
    """
    m = X.shape[0]
    n = int(np.ceil(m / batch_size))
    X = np.copy(X)
    y = np.copy(y)
    for _ in range(epoch):
        if shuffle:
            # Reseeding before each shuffle gives X and y the same permutation.
            np.random.seed(random_state)
            np.random.shuffle(X)
            np.random.seed(random_state)
            np.random.shuffle(y)
        for i in range(n):
            rows = slice(i * batch_size, min((i + 1) * batch_size, m))
            w = w_cal(X[rows], w, y[rows], gd_cal=gd_cal, lr=lr, itera_times=1)
    return w


def array_split(
    features: Array, labels: Array, rate: float = 0.7, random_state: int = 24
) -> tuple[Array, Array, Array, Array]:
    """Shuffle (reseeding the global RNG before features and before labels) and split.

    The inputs are copied, so the caller's arrays are left as they were. The split index is
    ``int(n * rate)``.

    Returns
    -------
    Xtrain, Xtest, ytrain, ytest : ndarray

    Examples
    --------
    >>> Xtr, Xte, ytr, yte = array_split(np.arange(10).reshape(5, 2), np.arange(5).reshape(5, 1))
    >>> Xtr.shape, Xte.shape, bool(np.all(Xtr[:, :1] // 2 == ytr))
    ((3, 2), (2, 2), True)
    """
    features = np.copy(features)
    labels = np.copy(labels)
    np.random.seed(random_state)
    np.random.shuffle(features)
    np.random.seed(random_state)
    np.random.shuffle(labels)
    split = int(len(labels) * rate)
    return features[:split], features[split:], labels[:split], labels[split:]


def logit_cla(yhat: Array, thr: float = 0.5) -> Array:
    """Class labels from probabilities: 1 where ``yhat >= thr``, else 0 (same dtype/shape).

    Examples
    --------
    >>> logit_cla(np.array([0.2, 0.5, 0.9]))
    array([0., 1., 1.])
    """
    ycla = np.zeros_like(yhat)
    ycla[yhat >= thr] = 1
    return ycla


def logit_acc(X: Array, w: Array, y: Array, thr: float = 0.5) -> float:
    """Accuracy of logistic regression ``w`` on ``(X, y)``.

    .. math:: \\mathrm{acc} = \\tfrac{1}{m} \\sum_i [\\,[\\sigma(x_i^\\top w) \\ge thr] = y_i\\,]

    Examples
    --------
    >>> logit_acc(np.array([[1.0], [-1.0]]), np.array([[1.0]]), np.array([[1.0], [1.0]]))
    0.5
    """
    y_cal = logit_cla(np.asarray(sigmoid(X.dot(w))), thr=thr)
    return float((y_cal == y).mean())
