# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lesson 4.5 Gradient-descent optimization basics: data normalization and learning-rate scheduling
#
# The previous lesson showed that the randomness of stochastic and mini-batch gradient descent helps
# the parameters get past poor points, at a price: the iteration converges unsteadily, keeps
# oscillating around its result and, on harder data, needs many iterations. The two most basic and
# most general fixes that act on the iteration itself are **data normalization** and
# **learning-rate scheduling**.
#
# This notebook follows the lesson's order:
#
# - Part 1, data normalization: 1. the formulas (min-max, z-score, non-linear); 2. how
#   normalization is used; 3. what it does; 4. z-score compared with min-max.
# - Part 2, first optimizations of gradient descent: 1. normalization and gradient descent;
#   2. learning-rate scheduling; 3. mini-batch gradient descent and convergence speed;
#   4. the combined strategy.
#
# Each step is first the lesson's own code, with `from gdlab.lesson import *` in place of the
# course's `from ML_basic_function import *` (and, here and there, a commented line that keeps a
# copy of the data for gdlab's version), so it prints the lesson's numbers; then
# the same step with gdlab's own tools (`gdlab.scaling`, `gdlab.schedules`, `gdlab.optim.descend`,
# `gdlab.analysis`, `gdlab.plotting`).

# %%
# scientific computing
import numpy as np
import pandas as pd

# plotting
import matplotlib as mpl
import matplotlib.pyplot as plt

# the course's helpers: gdlab.lesson is ML_basic_function, same names, defaults and random draws
from gdlab.lesson import *

plt.rcParams["figure.dpi"] = 80

# %% [markdown]
# ## Part 1. Data normalization
#
# Normalization is a linear transformation of the data: a linear map between sample spaces that
# changes the values without changing the distribution, so the structure in the data stays as it
# was. The two classic methods are min-max (0-1) normalization and z-score standardization.
#
# ### 1. The formulas
#
# #### 1.1 Min-max (0-1) normalization
#
# Column by column, record the maximum and the minimum and scale by their difference:
#
# $$x_{normalization} = \frac{x - Min}{Max - Min}$$

# %%
a = np.arange(12).reshape(6, 2)
a

# %%
# maximum, minimum and range of each column
a.max(axis=0), a.min(axis=0), a.max(axis=0) - a.min(axis=0)

# %%
maxmin_norm(a)

# %% [markdown]
# **With gdlab.** `gdlab.scaling.MinMaxScaler` is a scikit-learn transformer: `fit` records each
# column's minimum and range, `transform` applies them. Displayed on its own, it shows
# scikit-learn's estimator card.

# %%
from gdlab.scaling import MinMaxScaler, SigmoidScaler, StandardScaler

mm = MinMaxScaler().fit(a)
print("column minima data_min_:", mm.data_min_, " column ranges data_range_:", mm.data_range_)
print(mm.transform(a))
mm

# %% [markdown]
# #### 1.2 Z-score standardization
#
# Subtract each column's mean μ and divide by its standard deviation σ. Normally distributed
# data becomes standard normal.
#
# $$x_{normalization} = \frac{x - \mu}{\sigma}$$

# %%
# column means and standard deviations
a.mean(0), a.std(0)

# %%
z_score(a)

# %% [markdown]
# **With gdlab.** `StandardScaler` records `mean_` and `scale_` (the population standard
# deviation, as `a.std(0)`). The lesson notes that a rigorous version adds a tiny constant to the
# denominator so that it is never zero: that is the `eps` parameter.

# %%
zs = StandardScaler().fit(a)
print("mean_:", zs.mean_, " scale_:", zs.scale_)
print(zs.transform(a))
StandardScaler(eps=1e-8)

# %% [markdown]
# #### 1.3 Non-linear normalization
#
# Besides the two linear methods there are non-linear ones, the best known being the sigmoid:
# applied column by column, it squeezes the data into (0, 1).

# %%
sigmoid(a)

# %%
# gdlab: SigmoidScaler applies the sigmoid to the raw values by default, as the lesson's sigmoid(a)
print(np.allclose(SigmoidScaler().fit_transform(a), sigmoid(a)))
SigmoidScaler()

# %% [markdown]
# ### 2. How normalization is used
#
# Take min-max normalization and a data set with $y = 200x_1 - x_2 + 1$ whose units were mixed up
# when it was recorded: the first feature is in a unit ten times too large (x 0.1), the second in
# one ten times too small (x 10).

# %%
# random seed
np.random.seed(24)
# noise level 0.01
features, labels = arrayGenReg(w=[200, -1, 1], delta=0.01)
features[:, :1] = features[:, :1] * 0.1
features[:, 1:2] = features[:, 1:2] * 10
features_raw = features.copy()  # keep the mis-scaled data for gdlab's version below
features

# %% [markdown]
# Least squares on these features gives:

# %%
np.linalg.lstsq(features, labels, rcond=-1)[0]

# %%
1999.99618924 / -0.09998528

# %% [markdown]
# To capture the first column's larger effect, its coefficient becomes huge: the two coefficients
# are about 20,000 times apart instead of the true 200. Small coefficients cost precision, and a
# feature with a small coefficient is easily taken as unimportant. So normalize the features first,
# recording the training data's extremes:

# %%
features_max = features[:, :2].max(0)
features_min = features[:, :2].min(0)
features_range = features[:, :2].max(0) - features[:, :2].min(0)
features[:, :2] = maxmin_norm(features[:, :2])
features

# %% [markdown]
# The labels take both signs while the normalized features are all positive, so the lesson also
# normalizes the labels to make the parameters easier to read (this is not required):

# %%
w = np.linalg.lstsq(features, maxmin_norm(labels), rcond=-1)[0]
w

# %%
-0.00622912 * 200, 0.00410845 * 200

# %% [markdown]
# The first feature matters far more than the second, about 200 times: a more accurate picture.
#
# New data is scaled **with the extremes of the training data** before it goes into the model.
# The lesson's code leaves out the line that scales `features1`; it is added below (without it the
# predictions do not match the true labels).

# %%
features1, labels1 = arrayGenReg(num_examples=100, w=[200, -1, 1], delta=0.01)
features1[:, :1] = features1[:, :1] * 0.1
features1[:, 1:2] = features1[:, 1:2] * 10
features1_raw = features1.copy()
# min-max normalize the new data with the training data's extremes
features1[:, :2] = (features1[:, :2] - features_min) / features_range
yhat = features1.dot(w)
yhat[:5]

# %% [markdown]
# The model was trained on normalized labels, so its predictions must be **mapped back** to the
# labels' units:

# %%
labels_min = labels.min(0)
labels_max = labels.max(0)
labels_range = labels.max(0) - labels.min(0)
yhat = yhat * labels_range + labels_min
yhat[:5]

# %%
# compare with the true labels
labels1[:5]

# %% [markdown]
# **With gdlab.** One `MinMaxScaler` is fitted on the training features and one on the labels; new
# data goes through the same feature scaler, predictions through the label scaler's
# `inverse_transform`. `gdlab.datasets.add_intercept` appends the ones column last, as the lesson
# does, and `gdlab.analysis.coefficients_to_raw` maps the parameters learned on scaled data back
# to raw units.

# %%
from gdlab import analysis, datasets

x_scaler = MinMaxScaler().fit(features_raw[:, :2])  # fitted on the training data only
y_scaler = MinMaxScaler().fit(labels)
A = datasets.add_intercept(x_scaler.transform(features_raw[:, :2]))
w_gdlab = np.linalg.lstsq(A, y_scaler.transform(labels), rcond=None)[0]
print("same parameters as the lesson:", np.allclose(w_gdlab, w))
A_new = datasets.add_intercept(x_scaler.transform(features1_raw[:, :2]))
yhat_gdlab = y_scaler.inverse_transform(A_new @ w_gdlab)
print("same predictions as the lesson:", np.allclose(yhat_gdlab, yhat))
print(f"largest prediction error: {np.abs(yhat_gdlab - labels1).max():.4f}")
raw = analysis.coefficients_to_raw(w_gdlab.ravel(), x_scaler=x_scaler, y_scaler=y_scaler)
print("coefficients in raw units:", ", ".join(f"{c:.6g}" for c in raw.coef),
      " intercept:", f"{raw.intercept:.6g}")  # fmt: skip

# %% [markdown]
# In raw units the coefficients are those of least squares on the mis-scaled data, (2000, -0.1, 1):
# normalization is an affine map, which changes how hard the structure is to find, not the
# structure.
#
# ### 3. What normalization does
#
# Linear and distance-based models (linear regression, KNN, k-means) are affected by the size of
# each column; tree models are not. Normalization is an affine map, a shift (minus the column
# minimum) and a scaling (divided by the range), and leaves the data's distribution as it was:

# %%
# random seed
np.random.seed(24)
# noise level 0.01
features, labels = arrayGenReg(delta=0.01)
# plot to compare
plt.subplot(121)
plt.plot(features[:, 0], labels, "o")
plt.title("before")
plt.subplot(122)
plt.plot(maxmin_norm(features[:, 0]), maxmin_norm(labels), "o")
plt.title("after min-max")
plt.show()

# %% [markdown]
# **With gdlab.** `plot_scaling` draws the mis-scaled data of section 2 before and after scaling
# on the same equal-aspect axes: raw, the cloud is a vertical line (the first column spans tenths,
# the second tens); z-scored, it is round. The cloud is shifted and stretched, and the points
# keep their relative positions.

# %%
from gdlab.plotting import loss_curves, plot_scaling, plot_schedules, raw_vs_scaled_contours

X2 = features_raw[:, :2]  # the two mis-scaled features of section 2
ax = plot_scaling(X2, StandardScaler().fit_transform(X2), labels=("raw", "z-scored"))
ax.set_title("the data before and after scaling")
plt.show()

# %% [markdown]
# For gradient descent the more important effect is **faster convergence**: after normalization
# the loss contours are rounder, and each step points closer to the minimum. The contour example
# of the previous lessons, before and after normalization:

# %%
# data, and a deep copy to normalize
x = np.array([[1, 1], [3, 1]])
x_norm = np.copy(x)
x_norm[:, :1] = z_score(x_norm[:, :1])
y = np.array([[2], [4]])
x_norm

# %%
np.random.seed(24)
w = np.random.randn(2, 1)
w_norm = np.copy(w)
w0 = w.ravel().copy()  # the starting point, for gdlab's run below
w, w_res = w_cal_rec(x, w, y, gd_cal=lr_gd, lr=0.1, itera_times=100)
w_norm, w_res_norm = w_cal_rec(x_norm, w_norm, y, gd_cal=lr_gd, lr=0.1, itera_times=100)
plt.subplot(121)
# grid
x1, x2 = np.meshgrid(np.arange(1, 2, 0.001), np.arange(-1, 1, 0.001))
# contours
plt.contour(x1, x2, (2 - x1 - x2) ** 2 + (4 - 3 * x1 - x2) ** 2)
# path of the parameters
plt.plot(np.array(w_res)[:, 0], np.array(w_res)[:, 1], "-o", color="#ff7f0e")
plt.title("raw")
plt.subplot(122)
# grid
x1, x2 = np.meshgrid(np.arange(0, 4, 0.01), np.arange(-1, 3, 0.01))
# contours
plt.contour(x1, x2, (2 + x1 - x2) ** 2 + (4 - x1 - x2) ** 2)
# path of the parameters
plt.plot(np.array(w_res_norm)[:, 0], np.array(w_res_norm)[:, 1], "-o", color="#ff7f0e")
plt.title("z-scored")
plt.show()

# %% [markdown]
# On normalized data the contours are even and the iteration is more efficient. Each step moves
# perpendicular to the contour it starts on, but that direction is the best one only at the
# start of the step; when the contours are even, the perpendicular of the outer ring is also that
# of the inner rings, each step removes more of the loss, and fewer steps reach the minimum.
#
# **With gdlab.** `descend` runs full-batch gradient descent (`batch_size=None`) at lr 0.1 for 100
# epochs and gives the lesson's `w_cal_rec` path; `raw_vs_scaled_contours` draws both panels, with
# the condition number κ = L / μ (largest over smallest Hessian eigenvalue) in each title: the
# closer κ is to 1, the rounder the contours.

# %%
from gdlab.models import LeastSquares, Logistic
from gdlab.optim import descend

model = LeastSquares()
run = descend(model, x, y, lr=0.1, epochs=100, w0=w0)
run_norm = descend(model, x_norm, y, lr=0.1, epochs=100, w0=w0)
print("same paths as the lesson:", np.allclose(run.params, np.hstack(w_res).T),
      np.allclose(run_norm.params, np.hstack(w_res_norm).T))  # fmt: skip
raw_vs_scaled_contours(model, x, x_norm, y, run, run_norm)
plt.show()
kappa_raw = analysis.conditioning(x, intercept=False).kappa
kappa_norm = analysis.conditioning(x_norm, intercept=False).kappa
print(f"condition number kappa: raw {kappa_raw:.4g}, z-scored {kappa_norm:.4g}")

# %% [markdown]
# A run's whole record is its `Trajectory`; displayed in Jupyter it shows why it stopped, its
# epochs and updates, the loss from start to end and a small loss curve.

# %%
run_norm

# %% [markdown]
# ### 4. Z-score compared with min-max
#
# Z-score gives zero-centred data, welcome in deep learning; for regression labels of both signs
# it makes label scaling unnecessary; normal data becomes standard normal. And, very useful, unlike
# min-max it **keeps outliers visible**:

# %%
a = np.arange(8).reshape(4, 2)
a[1, 1] = 100
a

# %%
maxmin_norm(a)

# %% [markdown]
# Min-max squeezes the other values of the second column into a tiny range. With z-score:

# %%
z_score(a)

# %% [markdown]
# The outlier is still an outlier (relative to its column), ready for outlier handling (removal
# or capping). Z-score needs the mean and the variance, so it costs more computation.
#
# **With gdlab.** The same comparison; `RobustScaler` uses the median and the inter-quartile range,
# so the outlier moves the other values even less.

# %%
from gdlab.scaling import RobustScaler

pd.DataFrame(
    {
        "raw": a[:, 1],
        "min-max": MinMaxScaler().fit_transform(a)[:, 1],
        "z-score": StandardScaler().fit_transform(a)[:, 1],
        "RobustScaler": RobustScaler().fit_transform(a)[:, 1],
    }
)

# %% [markdown]
# ## Part 2. First optimizations of gradient descent
#
# Part 1 of the lesson only names the sections of part 2; the code below is written the lesson's
# way (`w_cal`, `sgd_cal`, `MSELoss`) with the lesson's data and settings.
#
# ### 1. Normalization and gradient descent
#
# Back to $y = 200x_1 - x_2 + 1$ with the mixed-up units: full-batch gradient descent at the same
# learning rate on the raw and on the z-scored features, recording the MSE after every epoch. The
# rate is 0.01: a little more and the raw iteration diverges.

# %%
np.random.seed(24)
features, labels = arrayGenReg(w=[200, -1, 1], delta=0.01)
features[:, :1] = features[:, :1] * 0.1
features[:, 1:2] = features[:, 1:2] * 10
features_norm = np.copy(features)
features_norm[:, :2] = z_score(features_norm[:, :2])

np.random.seed(24)
w = np.random.randn(3, 1)
w_norm = np.copy(w)
w0 = w.ravel().copy()
# the loss along the iteration
train_mse = []
train_mse_norm = []
for i in range(100):
    w = w_cal(features, w, labels, gd_cal=lr_gd, lr=0.01, itera_times=1)
    w_norm = w_cal(features_norm, w_norm, labels, gd_cal=lr_gd, lr=0.01, itera_times=1)
    train_mse.append(MSELoss(features, w, labels).item())
    train_mse_norm.append(MSELoss(features_norm, w_norm, labels).item())
plt.plot(list(range(100)), train_mse, label="raw")
plt.plot(list(range(100)), train_mse_norm, label="z-scored")
plt.yscale("log")
plt.xlabel("epoch")
plt.ylabel("MSE")
plt.legend()
plt.show()
print(f"MSE after 100 epochs: raw {train_mse[-1]:.1f}, z-scored {train_mse_norm[-1]:.1f}")

# %% [markdown]
# **With gdlab.** `analysis.conditioning` gives each design's condition number κ, its largest
# stable rate 2/L and its fastest fixed rate 2/(L+μ); `descend` runs each at its fastest rate for
# 100 epochs and `loss_curves` draws the distance to the optimal loss.

# %%
model = LeastSquares()
f_star = model.loss(model.optimum(features_norm, labels), features_norm, labels)
conditions = {
    "raw": analysis.conditioning(features, intercept=False),
    "z-scored": analysis.conditioning(features_norm, intercept=False),
}
pd.DataFrame({name: {"kappa": c.kappa, "2/L": c.lr_stable, "2/(L+mu)": c.lr_best}
              for name, c in conditions.items()}).T  # fmt: skip

# %%
same_lr = descend(model, features, labels, lr=0.01, epochs=100, w0=w0)
print("same MSE as the lesson:", np.allclose(same_lr.loss[1:], train_mse))
runs = {
    name: descend(model, X, labels, lr=conditions[name].lr_best, epochs=100, w0=w0)
    for name, X in (("raw", features), ("z-scored", features_norm))
}
loss_curves(runs, optimum=f_star, title="each at its fastest fixed rate: distance to the optimum")
plt.show()

# %% [markdown]
# Z-scored, κ ≈ 1 and a few epochs reach the optimum; raw, κ is above ten thousand and 100 epochs
# leave the loss far from it.
#
# ### 2. Learning-rate scheduling
#
# Start with a large learning rate and shrink it as the iteration goes on. The lesson's schedule
# is exponential decay, $lr_i = lr_{init} \cdot 0.95^i$, written
# `lr_lambda = lambda epoch: 0.95 ** epoch` and applied once per epoch. A rate that is too large
# diverges when fixed and, decayed, oscillates and then converges; a rate that is already small
# only converges more slowly when decayed.

# %%
lr_lambda = lambda epoch: 0.95**epoch  # noqa: E731

histories = {}
for lr_init in (1.25, 0.05):
    np.random.seed(24)
    w = np.random.randn(3, 1)
    w1 = np.copy(w)
    fixed, decay = [], []
    for i in range(50):
        w = w_cal(features_norm, w, labels, gd_cal=lr_gd, lr=lr_init, itera_times=1)
        w1 = w_cal(features_norm, w1, labels, gd_cal=lr_gd, lr=lr_init * lr_lambda(i), itera_times=1)
        fixed.append(MSELoss(features_norm, w, labels).item())
        decay.append(MSELoss(features_norm, w1, labels).item())
    histories[lr_init] = (fixed, decay)
    print(f"lr_init = {lr_init}: MSE after 50 epochs fixed {fixed[-1]:.4g}, decayed {decay[-1]:.4g}")

# %% [markdown]
# **With gdlab.** `schedules.exponential(lr=..., gamma=0.95)` is the lesson's decay. It is a pure
# function `lr = s(t)` that prints as the call that built it and can be saved; in Jupyter it shows
# its text form and its curve.

# %%
from gdlab import schedules

decay_schedule = schedules.exponential(lr=1.25, gamma=0.95)
decay_schedule

# %%
plot_schedules({"fixed 1.25": schedules.constant(1.25), "decay 1.25 x 0.95^i": decay_schedule},
               steps=50, title="learning-rate schedules")  # fmt: skip
plt.show()

# %%
limit = conditions["z-scored"].lr_stable
print(f"largest stable rate on the z-scored data: 2/L = {limit:.3f}")
decay_runs = {}
for lr_init in (1.25, 0.05):
    decay_runs[f"fixed {lr_init}"] = descend(model, features_norm, labels, lr=lr_init, epochs=50, w0=w0)
    decay_runs[f"decay {lr_init}"] = descend(
        model, features_norm, labels, lr=schedules.exponential(lr=lr_init, gamma=0.95),
        epochs=50, w0=w0,
    )  # fmt: skip
print("same MSE as the lesson:", np.allclose(decay_runs["decay 1.25"].loss[1:], histories[1.25][1]))
loss_curves(decay_runs, optimum=f_star, title="fixed against exponentially decayed rates")
plt.show()
decay_runs["fixed 1.25"]

# %% [markdown]
# A rate of 1.25 is above 2/L: fixed, it diverges (gdlab stops the run when the loss blows up and
# says why, with a stable rate to try); decayed, it falls under 2/L after a few epochs and the
# iteration converges. At 0.05 the fixed rate converges steadily and decay slows it down: all the
# decayed rates together add up to at most 0.05 / (1 - 0.95) = 1.
#
# A rate can also follow the loss: multiply it by a factor when the loss stops improving. That is
# not a schedule (the rate depends on more than the epoch), so gdlab makes it a controller with
# explicit state, `ReduceOnPlateau`:

# %%
rop = schedules.ReduceOnPlateau(factor=0.5, patience=1)
state = rop.init()
for loss in [1.0, 0.9, 0.9, 0.9]:
    state = rop.update(state, loss)
print("rate now:", rop.apply(state, 0.2))
rop

# %%
state

# %% [markdown]
# ### 3. Mini-batch gradient descent and convergence speed
#
# Mini-batch gradient descent makes ceil(m / batch_size) updates per epoch, keeping the last
# partial batch; batch size 1 is stochastic gradient descent, batch size m is full batch. Counted
# in epochs, mini-batches converge much faster than the full batch, but with a fixed rate SGD and
# mini-batches end in a band oscillating around the optimum.

# %%
sgd_histories = {}
for batch_size in (1000, 50, 1):
    np.random.seed(24)
    w = np.random.randn(3, 1)
    history = []
    for i in range(20):
        w = sgd_cal(features_norm, w, labels, lr_gd, epoch=1, batch_size=batch_size, lr=0.02)
        history.append(MSELoss(features_norm, w, labels).item())
    sgd_histories[batch_size] = history
    print(f"batch_size = {batch_size:4d}: MSE after 20 epochs {history[-1]:.6g}")
print(f"optimal MSE {f_star:.6g}")

# %% [markdown]
# **With gdlab.** `descend` takes `batch_size=None` for the full batch, `1` for SGD and `k` for
# mini-batches; `seed` sets the shuffles of every epoch. The last curve adds exponential decay to
# SGD (a faster one, x 0.8 per epoch), and the band narrows.

# %%
batch_runs = {
    "full batch": descend(model, features_norm, labels, lr=0.02, epochs=20, w0=w0),
    "batch 50": descend(model, features_norm, labels, lr=0.02, epochs=20, batch_size=50,
                        seed=24, w0=w0),
    "SGD": descend(model, features_norm, labels, lr=0.02, epochs=20, batch_size=1,
                   seed=24, w0=w0),
    "SGD + decay": descend(model, features_norm, labels, batch_size=1, seed=24, w0=w0,
                           lr=schedules.exponential(lr=0.02, gamma=0.8), epochs=20),
}  # fmt: skip
loss_curves(batch_runs, optimum=f_star, title="by epoch: distance to the optimum")
plt.show()
pd.DataFrame({name: {"updates": r.n_steps, "final MSE - optimum": r.loss[-1] - f_star}
              for name, r in batch_runs.items()}).T  # fmt: skip

# %% [markdown]
# The smaller the batch, the smaller the rates it can take. `analysis.stability_map` runs every
# learning rate x batch size of a grid and `plot_stability_map` draws the result: the vertical line
# is the full batch's stability limit 2/L, a cross a run that diverged.

# %%
from gdlab.plotting import plot_stability_map

grid = analysis.stability_map(model, features_norm[:, :2], labels, lrs=np.geomspace(0.05, 2.0, 8),
                              batch_sizes=[None, 50, 1], epochs=5, scaler=None)  # fmt: skip
plot_stability_map(grid, title="learning rate x batch size: final loss and divergence")
plt.show()

# %% [markdown]
# ### 4. The combined strategy
#
# Put it together: z-score (with the training set's mean and standard deviation) + mini-batch
# gradient descent + exponential decay, on two-class logistic regression: batch size 50, initial
# rate 0.2, 20 epochs, seed 24.

# %%
np.random.seed(24)
f, l = arrayGenCla(num_class=2, deg_dispersion=[6, 2], bias=True)
Xtrain, Xtest, ytrain, ytest = array_split(f, l)
# z-score both sets with the training set's mean and standard deviation
mean_ = Xtrain[:, :-1].mean(axis=0)
std_ = Xtrain[:, :-1].std(axis=0)
Xtrain[:, :-1] = (Xtrain[:, :-1] - mean_) / std_
Xtest[:, :-1] = (Xtest[:, :-1] - mean_) / std_

np.random.seed(24)
w = np.random.randn(3, 1)
w0 = w.ravel().copy()
batch_size = 50
num_epoch = 20
lr_init = 0.2
for i in range(num_epoch):
    w = sgd_cal(Xtrain, w, ytrain, logit_gd, batch_size=batch_size, epoch=1,
                lr=lr_init * lr_lambda(i))  # fmt: skip
print("parameters:", w.ravel())
print("training accuracy:", logit_acc(Xtrain, w, ytrain), " test accuracy:", logit_acc(Xtest, w, ytest))

# %% [markdown]
# **With gdlab.** The same combination: `StandardScaler` fitted on the training set only,
# `descend` with the `Logistic` model, `batch_size=50` and
# `schedules.exponential(lr=0.2, gamma=0.95)`; `analysis.optimal_loss` gives the optimum to
# compare with.

# %%
# array_split shuffles and splits the raw features (no ones column); StandardScaler scales them
X_train, X_test, y_train, y_test = array_split(f[:, :-1], l)
scaler = StandardScaler().fit(X_train)  # fitted on the training set only
A_train = datasets.add_intercept(scaler.transform(X_train))
A_test = datasets.add_intercept(scaler.transform(X_test))
logit = Logistic()
combined = descend(logit, A_train, y_train, lr=schedules.exponential(lr=0.2, gamma=0.95),
                   epochs=20, batch_size=50, seed=24, w0=w0)  # fmt: skip
accuracy = np.mean((logit.predict_proba(combined.w, A_test) >= 0.5) == y_test.ravel())
print("same data as the lesson:", np.allclose(A_train, Xtrain), " test accuracy:", accuracy)
print(f"final loss {combined.loss[-1]:.4f}, optimal loss {analysis.optimal_loss(logit, A_train, y_train):.4f}")
combined

# %% [markdown]
# Last, `analysis.compare` runs combinations on one budget (scaling x learning rate x batch size)
# and returns a table, one row per run.

# %%
table = analysis.compare(
    logit, X_train, y_train, scalers=["none", "zscore"],
    schedules=[0.2, "exponential(lr=0.2, gamma=0.95)"], batch_sizes=[None, 50], epochs=20, seed=24,
)  # fmt: skip
table[["scaler", "schedule", "batch_size", "final_loss", "status"]]
