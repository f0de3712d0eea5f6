"""Gallery figure: loss curves of full batch, mini-batch and SGD."""

from gdlab import datasets
from gdlab.models import LeastSquares
from gdlab.optim import descend
from gdlab.plotting import loss_curves
from gdlab.scaling import StandardScaler

X, y = datasets.make_regression(n_samples=1000, weights=(200, -1), bias=1.0, seed=24)
A = datasets.add_intercept(StandardScaler().fit_transform(X))
model = LeastSquares()
f_star = model.loss(model.optimum(A, y), A, y)
runs = {
    f"batch {b or 'full'}": descend(model, A, y, lr=0.02, epochs=20, batch_size=b, seed=24)
    for b in (None, 50, 1)
}
loss_curves(runs, optimum=f_star)
