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
# The previous lesson showed that the randomness of stochastic and mini-batch gradient descent helps the parameters get past poor points, at a price: the iteration converges unsteadily, keeps oscillating around its result and, on harder data, needs many iterations. The two most basic and most general fixes that act on the iteration itself are **data normalization** and **learning-rate scheduling**.
#
# This notebook follows the lesson's order, one section for each section of the lesson page:
#
# - Part 1 · Feature scaling
#   - 1.1 The formulas: min-max, z-score and sigmoid scaling
#   - 1.2 Unit mismatch, and scaling new data with the training statistics
#   - 1.3 Scaling is affine: the data's shape is kept
#   - 1.3 What scaling costs: the coefficients lose their units
#   - 1.3 Tree models do not care about scale
#   - 1.3 Contours and convergence speed: raw against scaled data
#   - 1.4 Z-score against min-max: the outlier stays visible
# - Part 2 · First optimizations of gradient descent
#   - 2.1 Feature scaling and the speed of gradient descent
#   - 2.2 Learning-rate scheduling: exponential decay
#   - 2.3 Mini-batch gradient descent and convergence speed
#   - 2.4 The combined strategy
# - Appendix · Theory against measurement
#   - A.1 Conditioning before and after scaling
#   - A.2 The stability limit 2/L, predicted and measured
#   - A.3 Iterations to a tolerance, predicted and measured
#
# Each section is first the lesson's own code, with `from gdlab.lesson import *` in place of the course's `from ML_basic_function import *` (and, here and there, a commented line that keeps a copy of the data for gdlab's version), so it prints the lesson's numbers; then the same with gdlab's own tools (`gdlab.scaling`, `gdlab.schedules`, `gdlab.optim.descend`, `gdlab.analysis`, `gdlab.plotting`). The last cell of each section runs the same section of the lesson page on the same data and shows its numbers as the page shows them; exercises with their answers follow.

# %%
# scientific computing
import numpy as np
import pandas as pd

# plotting
import matplotlib as mpl
import matplotlib.pyplot as plt

# the lesson's module: gdlab.lesson is the course's ML_basic_function, with the same names, defaults and random numbers
from gdlab.lesson import *

# each section's numbers, as the lesson page shows them
from gdlab.report.notebook import section_numbers

# %% [markdown]
# The Chinese notebook labels its figures in Chinese, which needs a CJK font; both notebooks run the same code, so this cell looks for one among the installed fonts here too. Without one, Chinese labels would show as boxes: install one (Debian/Ubuntu: `fonts-noto-cjk`).

# %%
from pathlib import Path

from matplotlib import font_manager

CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "WenQuanYi Zen Hei",
             "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC"]  # fmt: skip
CJK_FILES = ("notosanscjk", "sourcehansans", "wqy", "simhei", "msyh", "pingfang")


def find_cjk_font():
    """The name of an installed CJK font, or None."""
    installed = {font.name for font in font_manager.fontManager.ttflist}
    found = [name for name in CJK_FONTS if name in installed]
    if not found:
        # a font installed after matplotlib built its font cache is not in it: look in the system's font folders again
        for path in font_manager.findSystemFonts():
            if Path(path).name.lower().replace("-", "").startswith(CJK_FILES):
                font_manager.fontManager.addfont(path)
        installed = {font.name for font in font_manager.fontManager.ttflist}
        found = [name for name in CJK_FONTS if name in installed]
    return found[0] if found else None


cjk_font = find_cjk_font()
if cjk_font:
    # CJK text in the font found; other characters (the minus sign) can still fall back to matplotlib's default
    plt.rcParams["font.sans-serif"] = [cjk_font, *plt.rcParams["font.sans-serif"]]
    plt.rcParams["font.family"] = "sans-serif"
    print("Font for Chinese labels:", cjk_font)
else:
    print("No CJK font found: Chinese labels would show as boxes. Install one (Debian/Ubuntu: sudo apt-get install fonts-noto-cjk), then restart the kernel.")
plt.rcParams["figure.dpi"] = 80

# %% [markdown]
# ## Part 1 · Feature scaling
#
# ### 1.1 The formulas: min-max, z-score and sigmoid scaling

# %% [markdown]
# Data normalization is, at heart, a linear transformation of the data: a linear map between sample spaces that changes the values. It leaves the distribution, the data's inner law, unchanged and only adjusts the numbers. Classical machine learning mostly uses two: min-max (0-1) normalization and z-score standardization.
#
# #### 1.1 Min-max (0-1) normalization
#
# Min-max normalization records each column's maximum and minimum and scales by their difference, the column's range:
#
# $$x' = \frac{x - \min(x)}{\max(x) - \min(x)}$$
#
# Min-max: $x$ is one value of a column, $\min(x)$ and $\max(x)$ are the column's smallest and largest values, their difference is the column's range, and $x'$ is the scaled value.

# %%
a = np.arange(12).reshape(6, 2)
a

# %%
# each column's maximum, minimum and range
a.max(axis=0), a.min(axis=0), a.max(axis=0) - a.min(axis=0)

# %%
maxmin_norm(a)

# %% [markdown]
# **With gdlab.** `gdlab.scaling.MinMaxScaler` is a scikit-learn transformer: `fit` records each column's minimum and range, `transform` scales with them. Shown on its own, it is scikit-learn's transformer card.

# %%
from gdlab.scaling import MinMaxScaler, SigmoidScaler, StandardScaler

mm = MinMaxScaler().fit(a)
print("column minima data_min_:", mm.data_min_, " column ranges data_range_:", mm.data_range_)
print(mm.transform(a))
mm

# %% [markdown]
# #### 1.2 Z-score standardization
#
# Z-score standardization, or zero-mean normalization, subtracts each column's mean and divides by its standard deviation. Normally distributed data come out standard normal.
#
# $$\mu = \frac{1}{n}\sum_i x_i, \qquad \sigma^2 = \frac{1}{n}\sum_i (x_i - \mu)^2$$
#
# A column holds $n$ values $x_1, \dots, x_n$: $\mu$ is their mean and $\sigma$ their standard deviation (dividing by $n$, as NumPy's std does).
#
# $$x' = \frac{x - \mu}{\sigma + \varepsilon}$$
#
# Z-score: subtract the column's mean $\mu$ and divide by its standard deviation $\sigma$; $\varepsilon$ is a very small positive number that keeps the denominator above 0 (the lesson writes it μ; gdlab calls it ε so it is not mistaken for the mean).

# %%
# each column's mean and standard deviation
a.mean(0), a.std(0)

# %%
z_score(a)

# %% [markdown]
# **With gdlab.** `StandardScaler` records `mean_` and `scale_` (the population standard deviation, as `a.std(0)`). The lesson mentions a stricter form that adds a small constant ε to the denominator so that it is never 0: that is the `eps` parameter.

# %%
zs = StandardScaler().fit(a)
print("mean_:", zs.mean_, " scale_:", zs.scale_)
print(zs.transform(a))
StandardScaler(eps=1e-08)

# %% [markdown]
# ε matters only for a column whose values are all the same: its standard deviation is 0, and the lesson's formula gives 0/0, NaN; with ε it gives 0. gdlab's `StandardScaler` has its own rule for constant columns (it divides by 1), so `eps` defaults to 0.

# %%
constant = np.full((4, 1), 5.0)
eps = 1e-08
with np.errstate(invalid="ignore"):
    print("without ε:", z_score(constant).ravel())
print("with ε:", ((constant - constant.mean(0)) / (constant.std(0) + eps)).ravel())

# %% [markdown]
# #### 1.3 Non-linear normalization
#
# Besides the two linear methods there are non-linear ones, sigmoid normalization the best known: the sigmoid function applied to each column squeezes the values into (0, 1).
#
# $$x' = \frac{1}{1 + \exp(-x)}$$
#
# Sigmoid: $\exp(-x)$ is the number e (about 2.718) to the power $-x$; the larger $x$, the closer it is to 0 and the closer $x'$ is to 1.

# %%
sigmoid(a)

# %%
# gdlab: SigmoidScaler applies the sigmoid to the raw values by default, as the lesson's sigmoid(a) does
print(np.allclose(SigmoidScaler().fit_transform(a), sigmoid(a)))
SigmoidScaler()

# %% [markdown]
# **The section's numbers.** The cell below runs this section of the lesson page (`gdlab.report.sections.formulas`): the same data and the same code, its claim and its tables shown as the page shows them.

# %%
section_numbers("formulas", "en")

# %% [markdown]
# #### Exercises
#
# **1.** Column 0 of a is 0, 2, 4, 6, 8, 10. Without looking at the table, work out what min-max turns 2 into.
#
# <details><summary>Show the answer</summary>
#
# The minimum is 0 and the range is 10 − 0 = 10, so (2 − 0)/10 = 0.2, as in the table.
#
# </details>
#
# **2.** Why does ε = 1e-08 hardly change an ordinary column, yet rescue a constant one?
#
# <details><summary>Show the answer</summary>
#
# The ordinary column's standard deviation is 3.4157; turning the denominator from σ into σ + ε moves the results by at most 4.3e-09. In a constant column every value equals the mean, so the numerator and the standard deviation are both 0: without ε that is 0/0, with ε it is 0/ε = 0.
#
# </details>
#
# **3.** After sigmoid scaling, how far apart are a0 = 4 and a0 = 10? Why does the lesson prefer the other two methods?
#
# <details><summary>Show the answer</summary>
#
# sigmoid(4) = 0.9820 and sigmoid(10) = 0.99995, only 0.0179 apart, while the raw values differ by 6: everything above 4 is pressed against 1 and the differences disappear. Min-max and z-score are linear and keep them.
#
# </details>

# %% [markdown]
# ### 1.2 Unit mismatch, and scaling new data with the training statistics
#
# $$y = 200\,x_1 - x_2 + 1$$
#
# The data's law: $x_1$ and $x_2$ are the two features (in the law's own units) and $y$ is the label.
#
# $$\tilde x_1 = 0.1\,x_1, \qquad \tilde x_2 = 10\,x_2$$
#
# $\tilde x_1$ and $\tilde x_2$ are the recorded values: $x_1$ is recorded in a unit ten times larger, so its numbers shrink to 0.1 times; $x_2$ in a unit ten times smaller, so its numbers grow ten times.
#
# $$w'_j = w_j\,\sigma_j$$
#
# $w_j$ is feature $j$'s coefficient in recorded units and $\sigma_j$ its column's standard deviation; after z-score the coefficient $w'_j$ says how much $y$ changes when the feature grows by one standard deviation.
#
# $$\hat y = \hat y' \cdot (\max(y) - \min(y)) + \min(y)$$
#
# Mapping back: $\hat y'$ is the model's prediction of the min-max scaled label, $\max(y)$ and $\min(y)$ are the training labels' largest and smallest values, and $\hat y$ is the prediction in label units.

# %% [markdown]
# Take min-max normalization to see what scaling does to units and how it is used when modelling. The data follow $y = 200x_1 - x_2 + 1$, but were recorded in mismatched units: the first feature × 0.1, the second × 10.

# %%
# the random seed
np.random.seed(24)
# noise of 0.01
features, labels = arrayGenReg(w=[200, -1, 1], delta=0.01)
features[:, :1] = features[:, :1] * 0.1
features[:, 1:2] = features[:, 1:2] * 10
features_raw, labels_raw = features.copy(), labels.copy()  # keep the mis-scaled data for gdlab's version below
features

# %% [markdown]
# Linear regression on these data gives:

# %%
np.linalg.lstsq(features, labels, rcond=-1)[0]

# %%
1999.99618924 / -0.09998528

# %% [markdown]
# To capture the first column's larger effect, the model gives it a very large coefficient: the two coefficients now differ 20,000-fold instead of 200-fold. That causes two problems: small coefficients lose precision, and features with small coefficients are easily overlooked when judging importance. First, min-max normalize the features, recording the training data's column extremes:

# %%
features_max = features[:, :2].max(0)
features_min = features[:, :2].min(0)
features_range = features[:, :2].max(0) - features[:, :2].min(0)
features[:, :2] = maxmin_norm(features[:, :2])
features

# %% [markdown]
# The labels are positive and negative while the normalized features are all positive; to read the parameters more easily, normalize the labels too (not required):

# %%
w = np.linalg.lstsq(features, maxmin_norm(labels), rcond=-1)[0]
w

# %%
-0.00622912 * 200, 0.00410845 * 200

# %% [markdown]
# The first feature matters far more than the second; the lesson says the two differ "about 200-fold". More precisely the normalized ratio is about -160: it depends on each column's own range (see z-score below).
#
# New data must be scaled **with the extremes computed on the training data** before entering the model. The lesson's code skips normalizing `features1` here; it is added below (without it the predictions miss the true labels).

# %%
features1, labels1 = arrayGenReg(num_examples=100, w=[200, -1, 1], delta=0.01)
features1[:, :1] = features1[:, :1] * 0.1
features1[:, 1:2] = features1[:, 1:2] * 10
features1_raw = features1.copy()
# min-max scale the new rows with the training data's extremes
features1[:, :2] = (features1[:, :2] - features_min) / features_range
yhat = features1.dot(w)
yhat[:5]

# %% [markdown]
# The labels were normalized for training, so predictions must be **mapped back** to the labels' units:

# %%
labels_min = labels.min(0)
labels_max = labels.max(0)
labels_range = labels.max(0) - labels.min(0)
yhat = yhat * labels_range + labels_min
yhat[:5]

# %%
# the true labels, for comparison
labels1[:5]

# %% [markdown]
# **With gdlab.** Two `MinMaxScaler`s are fitted on the training features and labels; new rows go through the same feature scaler's `transform`, predictions through the label scaler's `inverse_transform`; `gdlab.datasets.add_intercept` appends the column of ones last, as the lesson does.

# %%
from gdlab import datasets

x_scaler = MinMaxScaler().fit(features_raw[:, :2])  # fitted on the training data only
y_scaler = MinMaxScaler().fit(labels)
A = datasets.add_intercept(x_scaler.transform(features_raw[:, :2]))
w_gdlab = np.linalg.lstsq(A, y_scaler.transform(labels), rcond=None)[0]
print("same parameters as the lesson:", np.allclose(w_gdlab, w))
A_new = datasets.add_intercept(x_scaler.transform(features1_raw[:, :2]))
yhat_gdlab = y_scaler.inverse_transform(A_new @ w_gdlab)
print("same predictions as the lesson:", np.allclose(yhat_gdlab, yhat))
largest_error = np.abs(yhat_gdlab - labels1).max()
print(f"largest prediction error: {largest_error:.4f}")

# %% [markdown]
# With z-score (features only) instead, the coefficients' ratio is close to the law's -200, but only because the two features spread almost equally in these data: scaling measures each coefficient on its column's own scale, so the ratio is about -200 times the ratio of the columns' standard deviations.

# %%
A_z = datasets.add_intercept(StandardScaler().fit_transform(features_raw[:, :2]))
w_z = np.linalg.lstsq(A_z, labels, rcond=None)[0].ravel()
w_raw = np.linalg.lstsq(features_raw, labels, rcond=None)[0].ravel()
ratio_raw, ratio_z = w_raw[0] / w_raw[1], w_z[0] / w_z[1]
print(f"w1/w2: recorded units {ratio_raw:,.0f}, z-score {ratio_z:.1f}")

# %% [markdown]
# **The section's numbers.** The cell below runs this section of the lesson page (`gdlab.report.sections.units`): the same data and the same code, its claim and its tables shown as the page shows them.

# %%
section_numbers("units", "en")

# %% [markdown]
# #### Exercises
#
# **1.** x1's unit grew ten times and x2's shrank ten times. Why did the coefficients' ratio grow about 100 times, not 10?
#
# <details><summary>Show the answer</summary>
#
# The recorded value 0.1x1 needs a coefficient ten times larger to give the same y (200 → 2000), and 10x2 one ten times smaller (-1 → -0.1000); the numerator grows ten times and the denominator shrinks ten times, so the ratio grows 10 × 10 = 100 times, to -20,003.
#
# </details>
#
# **2.** After z-score the ratio is -199.4, close to the law's -200. Does z-score always recover the law's ratio?
#
# <details><summary>Show the answer</summary>
#
# No. Z-score multiplies each coefficient by its column's standard deviation, which cancels the recording units and leaves about -200 times the ratio of the two features' standard deviations in the law's own units; in these data that ratio is 0.997, so the result is close to -200. With the same law and x1 spread twice as wide, the ratio becomes -398.8.
#
# </details>
#
# **3.** Why scale new rows with the training minimum and range rather than with their own?
#
# <details><summary>Show the answer</summary>
#
# The coefficients were learned on the training scale; with other extremes the same raw value lands somewhere else and the prediction goes wrong with it. With the training extremes the largest error over 100 new rows is 0.0235; with the new rows' own it is 37.8.
#
# </details>

# %% [markdown]
# ### 1.3 Scaling is affine: the data's shape is kept
#
# $$x' = a\,x + b \qquad (a > 0)$$
#
# An affine map multiplies each value $x$ by the same positive number $a$ (stretch) and adds the same number $b$ (shift); min-max takes $a$ as one over the range and $b$ as minus the minimum over the range.
#
# $$r = \mathrm{cov}(x, y) / (\sigma_x\,\sigma_y)$$
#
# $r$ is the correlation of feature $x$ and label $y$: cov(x, y) is their covariance (the mean product of their deviations from their means) and $\sigma_x$, $\sigma_y$ their standard deviations; $r$ lies between -1 and 1, and the closer it is to 1 the closer the points lie to a rising straight line.

# %% [markdown]
# Linear and distance-based models (linear regression, KNN, K-means, ...) depend on the columns' absolute values; tree models do not. Normalization is an affine map, a shift (minus each column's minimum) and a scale (over each column's range), which keeps the data's distribution. The data before and after:

# %%
# the random seed
np.random.seed(24)
# noise of 0.01
features, labels = arrayGenReg(delta=0.01)
# the plots
plt.subplot(121)
plt.plot(features[:, 0], labels, "o")
plt.title("raw data")
plt.subplot(122)
plt.plot(maxmin_norm(features[:, 0]), maxmin_norm(labels), "o")
plt.title("after min-max")
plt.show()

# %% [markdown]
# The two clouds have the same shape; only the axes' ticks changed. The correlation coefficient, which measures how close the points lie to a line, is the same before and after:

# %%
corr_raw = np.corrcoef(features[:, 0], labels[:, 0])[0, 1]
corr_minmax = np.corrcoef(maxmin_norm(features[:, 0]), maxmin_norm(labels)[:, 0])[0, 1]
print(f"correlation: before {corr_raw:.6f}, after min-max {corr_minmax:.6f}")

# %% [markdown]
# **With gdlab.** `plot_scaling` draws the mis-scaled data of 1.2 before and after scaling on the same axes (equal aspect): the raw data are a vertical line (the first column is a few tenths, the second tens), z-scored a round cloud. Scaling only shifts and stretches the cloud; the points keep their relative places.

# %%
from gdlab.plotting import plot_scaling

X2 = features_raw[:, :2]  # the two mis-scaled features of 1.2
plot_scaling(X2, StandardScaler().fit_transform(X2),
             labels=("raw data", "z-score"),
             names=("x1 (recorded × 0.1)", "x2 (recorded × 10)"),
             title="The data before and after scaling")  # fmt: skip
plt.show()

# %% [markdown]
# **The section's numbers.** The cell below runs this section of the lesson page (`gdlab.report.sections.affine`): the same data and the same code, its claim and its tables shown as the page shows them.

# %%
section_numbers("affine", "en")

# %% [markdown]
# #### Exercises
#
# **1.** Why does multiplying the feature by a positive number a and adding b leave the correlation unchanged?
#
# <details><summary>Show the answer</summary>
#
# Each deviation of x from its mean becomes a times as large (b disappears when the mean is subtracted), so the covariance becomes a times as large; so does x's standard deviation, and a cancels in the ratio. Measured: 0.894436 before, 0.894436 after min-max.
#
# </details>
#
# **2.** What if a is negative, say the feature is negated?
#
# <details><summary>Show the answer</summary>
#
# The covariance changes sign while the standard deviation stays positive, so the correlation changes sign: -0.894436 with the feature negated. The cloud is mirrored; its shape is the same.
#
# </details>
#
# **3.** The data come from y = 2x1 − x2 + 1 with x1 and x2 independent standard normal variables. Why is the correlation about 0.8944?
#
# <details><summary>Show the answer</summary>
#
# One standard deviation of x1 moves y by 2, and y's variance is 2² + 1² = 5 (the noise of 0.01 is negligible), so r = 2/√5 = 0.8944; measured on the 1000 rows it is 0.8944.
#
# </details>

# %% [markdown]
# ### 1.3 What scaling costs: the coefficients lose their units
#
# $$y = w'_1 x'_1 + w'_2 x'_2 + c'$$
#
# $x'_1$ and $x'_2$ are the two z-scored features, and $w'_1$, $w'_2$ and $c'$ the coefficients and intercept fitted on them.
#
# $$w_j = \frac{w'_j}{\sigma_j}, \qquad c = c' - \sum_j \frac{w'_j\,\mu_j}{\sigma_j}$$
#
# Substituting $x'_j = (x_j - \mu_j)/\sigma_j$ into that model gives the coefficients $w_j$ and the intercept $c$ in the original units; $\mu_j$ and $\sigma_j$ are column $j$'s mean and standard deviation on the training rows.

# %% [markdown]
# The price of normalization is interpretability: normalized data have no units, and the coefficients cannot be read in the original ones. Below, the data of 1.2 are z-scored and fitted, then `gdlab.analysis.coefficients_to_raw` maps the coefficients back to the recorded units, and the recording factors (0.1, 10) take them back to the law's own.

# %%
from gdlab import analysis
from gdlab.report.data import unit_mismatch_data

# the data of 1.2, the same as the lesson page's
X, y, X_new, y_new = unit_mismatch_data()
print("same data as the lesson's code above:", np.allclose(X, features_raw[:, :2]), np.allclose(y, labels_raw.ravel()))
scaler = StandardScaler().fit(X)
w_scaled = np.linalg.lstsq(datasets.add_intercept(scaler.transform(X)), y, rcond=None)[0]
back = analysis.coefficients_to_raw(w_scaled, x_scaler=scaler)
w_raw = np.append(back.coef, back.intercept)
w_law = np.append(back.coef * [0.1, 10], back.intercept)  # times the recording factors, back to the law's own units
pd.DataFrame(
    {
        "on z-scored data (per standard deviation)": w_scaled,
        "mapped back to recorded units (coefficients_to_raw)": w_raw,
        "in the law's own units": w_law,
    },
    index=["w1 (coefficient of x1)", "w2 (coefficient of x2)",
           "intercept"],
)  # fmt: skip

# %% [markdown]
# On z-scored data a coefficient is the effect of one standard deviation of its feature, and the intercept is the prediction at the features' means; mapped back, they are the coefficients of least squares on the raw data. Normalization is affine: it does not change the data's law, only how hard it is to find.

# %% [markdown]
# **The section's numbers.** The cell below runs this section of the lesson page (`gdlab.report.sections.interpretability`): the same data and the same code, its claim and its tables shown as the page shows them.

# %%
section_numbers("interpretability", "en")

# %% [markdown]
# #### Exercises
#
# **1.** What does the intercept -12.23 after z-score mean?
#
# <details><summary>Show the answer</summary>
#
# After scaling every feature has mean 0; with x'1 = x'2 = 0 the model predicts its intercept, so the intercept is the prediction with every feature at its mean. Least squares makes the residuals average 0, so it equals the labels' mean, -12.23.
#
# </details>
#
# **2.** x1's coefficient is 198.05 on z-scored data and 2000 in recorded units. How are they related?
#
# <details><summary>Show the answer</summary>
#
# $w_1 = w'_1/\sigma_1$: x1's standard deviation in recorded units is 0.09903, and 198.05 / 0.09903 ≈ 2000.
#
# </details>
#
# **3.** w1 = 198.05 is close to the law's 200. Are the coefficients after z-score the law's own?
#
# <details><summary>Show the answer</summary>
#
# No. It is 200 times x1's standard deviation in the law's units, 0.9903; in these data that standard deviation happens to be close to 1, so the coefficient is close to 200. Likewise for x2: -0.9931 is -1 times 0.9933.
#
# </details>

# %% [markdown]
# ### 1.3 Tree models do not care about scale
#
# $$d(p, q) = \sqrt{(p_1 - q_1)^2 + (p_2 - q_2)^2}$$
#
# $p$ and $q$ are two rows, $p_1, p_2$ and $q_1, q_2$ their two features, and $d$ their distance; KNN finds the $k$ training rows nearest by this distance and predicts the mean of their labels.
#
# $$x_j \le s \iff a\,x_j + b \le a\,s + b \qquad (a > 0)$$
#
# Each split of a decision tree asks whether feature $x_j$ is at most a threshold $s$; stretching by $a > 0$ and shifting the column does not change the answer.

# %% [markdown]
# Tree models do not care about units; distance-based models do. On the data of 1.2 again, the first 700 rows train and the other 300 test a decision tree and KNN, on raw and on z-scored data; the scaler is fitted on the training rows only.

# %%
from sklearn.neighbors import KNeighborsRegressor
from sklearn.tree import DecisionTreeRegressor

n_train = 700  # the first rows train, the rest test
X_train, X_test, y_train, y_test = X[:n_train], X[n_train:], y[:n_train], y[n_train:]
scaler = StandardScaler().fit(X_train)  # fitted on the training data only
for name, estimator in (
    ("decision tree", DecisionTreeRegressor(random_state=0)),
    ("KNN (k = 5)", KNeighborsRegressor(n_neighbors=5)),
):
    on_raw = estimator.fit(X_train, y_train).predict(X_test)
    on_scaled = estimator.fit(scaler.transform(X_train), y_train).predict(scaler.transform(X_test))
    largest = np.abs(on_raw - on_scaled).max()
    mse_raw, mse_scaled = np.mean((on_raw - y_test) ** 2), np.mean((on_scaled - y_test) ** 2)
    print(f"{name}: predictions differ by at most {largest:.3g}, test mean squared error {mse_raw:,.1f} → {mse_scaled:,.1f}")

# %% [markdown]
# A decision tree's split only compares values within a column, and scaling keeps their order, so it predicts the same on both; KNN measures distances, which on raw data x2's much larger values decide almost alone, and it predicts much better after scaling.

# %% [markdown]
# **The section's numbers.** The cell below runs this section of the lesson page (`gdlab.report.sections.trees`): the same data and the same code, its claim and its tables shown as the page shows them.

# %%
section_numbers("trees", "en")

# %% [markdown]
# #### Exercises
#
# **1.** Why does scaling not change a decision tree at all?
#
# <details><summary>Show the answer</summary>
#
# Each split only compares two values of the same column; an affine map with $a > 0$ keeps their order, so the same splits separate the same rows and the predictions are the same: they differ by at most 0.
#
# </details>
#
# **2.** Why is KNN so poor on the raw data?
#
# <details><summary>Show the answer</summary>
#
# x1 was recorded × 0.1 and x2 × 10, so x2's standard deviation is 97 times x1's and decides the distance almost alone, while the label depends mainly on x1 (the law's coefficients are 200 against -1). The nearest neighbours are then not near in x1, and the test mean squared error is 19,694; after z-score both columns weigh alike in the distance and the error falls to 280.
#
# </details>

# %% [markdown]
# ### 1.3 Contours and convergence speed: raw against scaled data
#
# $$f(w) = \frac{1}{m}\lVert Xw - y\rVert^2$$
#
# f is the loss (the mean squared error): m is the number of rows (here m = 2), X the feature matrix (its second column is all ones, for the intercept), y the labels, and w = (w1, w2) the parameters we look for.
#
# $$w \leftarrow w - \eta \nabla f(w)$$
#
# One step of gradient descent: ∇f(w) is the gradient of the loss at w, pointing straight uphill; η is the learning rate; the arrow means “replace w by what the right-hand side computes”.
#
# $$\kappa = \frac{L}{\mu}$$
#
# L is how sharply the loss curves along its steepest direction and μ along its flattest (they are the largest and smallest eigenvalues of the Hessian 2XᵀX/m, if you know the term); the condition number κ is 1 when the contours are circles and grows as they flatten.
#
# $$0 < \eta < \frac{2}{L}$$
#
# The stability condition: along the steepest direction each step multiplies the distance to the minimum by 1 − ηL; only when |1 − ηL| < 1, that is when η is below 2/L, does the distance shrink, otherwise every step enlarges it.
#
# $$q = \max\left(|1 - \eta L|,\ |1 - \eta \mu|\right),\qquad q^k \le \text{tol}$$
#
# q is the per-step factor: each step leaves at most q of the previous distance to the minimum, so after k steps at most q to the power k; the smallest k with q^k ≤ tol (here tol = 0.001) is the predicted step count. The rate 2/(L+μ) makes q smallest: (κ − 1)/(κ + 1).

# %% [markdown]
# For gradient descent the more important effect of normalization is **faster convergence**: after normalization the loss's contours are more even, and each step points closer to the minimum. The lesson's contour example compares the paths before and after normalization.

# %%
# the data, and a deep copy
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
# grid points
x1, x2 = np.meshgrid(np.arange(1, 2, 0.001), np.arange(-1, 1, 0.001))
# contour plot
plt.contour(x1, x2, (2 - x1 - x2) ** 2 + (4 - 3 * x1 - x2) ** 2)
# path of the parameters
plt.plot(np.array(w_res)[:, 0], np.array(w_res)[:, 1], "-o", color="#ff7f0e")
plt.title("raw data")
plt.subplot(122)
# grid points
x1, x2 = np.meshgrid(np.arange(0, 4, 0.01), np.arange(-1, 3, 0.01))
# contour plot
plt.contour(x1, x2, (2 + x1 - x2) ** 2 + (4 - x1 - x2) ** 2)
# path of the parameters
plt.plot(np.array(w_res_norm)[:, 0], np.array(w_res_norm)[:, 1], "-o", color="#ff7f0e")
plt.title("z-score")
plt.show()

# %% [markdown]
# On normalized data the contours are more even and convergence is faster. Each step of gradient descent moves perpendicular to the contour it starts on, but that "fastest direction" holds only at the start; when the contours are even, the perpendicular on the outer ring is also the perpendicular on the inner ones, the same move lowers the loss more, and fewer iterations reach the minimum.
#
# **With gdlab.** `descend` with full batches (`batch_size=None`), rate 0.1 and 100 epochs gives exactly the lesson's `w_cal_rec` path; `raw_vs_scaled_contours` draws both contour plots, and the condition number κ = L/μ in their titles says how stretched the contours are: the closer κ is to 1, the rounder they are.

# %%
from gdlab import analysis
from gdlab.models import LeastSquares
from gdlab.optim import descend
from gdlab.plotting import raw_vs_scaled_contours

model = LeastSquares()
run = descend(model, x, y, lr=0.1, epochs=100, w0=w0)
run_norm = descend(model, x_norm, y, lr=0.1, epochs=100, w0=w0)
print("same paths as the lesson:", np.allclose(run.params, np.hstack(w_res).T),
      np.allclose(run_norm.params, np.hstack(w_res_norm).T))  # fmt: skip
path = "rate 0.1"
raw_vs_scaled_contours(
    model, x, x_norm, y, {path: run}, {path: run_norm},
    titles=("raw data (κ = {kappa:.4g})", "after z-score (κ = {kappa:.4g})"),
    contour_kw={
        "xlabel": "w1 (coefficient of column 1)",
        "ylabel": "w2 (coefficient of column 2)",
        "optimum_label": "minimum w*",
        "path_label": "{name} ({steps} steps)",
    },
)  # fmt: skip
plt.show()
kappa_raw = analysis.conditioning(x, intercept=False).kappa
kappa_norm = analysis.conditioning(x_norm, intercept=False).kappa
print(f"condition number κ: raw {kappa_raw:.4g}, after z-score {kappa_norm:.4g}")

# %% [markdown]
# A run's whole record is its `Trajectory`; shown in Jupyter it gives why the run stopped, its epochs and updates, how the loss changed and a small loss curve.

# %%
run_norm

# %% [markdown]
# **Try it in Jupyter.** The cell below brings this experiment of the lesson page into the notebook: drag the start, type a rate, play the steps, all computed by the page's own JavaScript. It needs JupyterLab and anywidget, which `pip install "gdlab[notebook]"` installs; where no widget front end runs (a terminal, say) it prints one sentence instead, and the static figures above stand in for it.

# %%
from gdlab.report.widget import lab

lab("contours", lang="en")

# %% [markdown]
# **The section's numbers.** The cell below runs this section of the lesson page (`gdlab.report.sections.contours`): the same data and the same code, its claim and its tables shown as the page shows them.

# %%
section_numbers("contours", "en")

# %% [markdown]
# #### Exercises
#
# **1.** Set the learning rate to 0.18. What happens to the path on raw data, and why?
#
# <details><summary>Show the answer</summary>
#
# 0.18 is above raw data's stability limit 2/L = 0.1716: along the steepest direction every step multiplies the distance by |1 − 0.18 L|, which is more than 1, so the path bounces further out between the valley's walls and diverges. The z-score side's limit is 1, so 0.18 still converges there.
#
# </details>
#
# **2.** On the z-score side, why does a learning rate of 0.5 reach the minimum in one step?
#
# <details><summary>Show the answer</summary>
#
# After z-score the Hessian is twice the identity: L = μ = 2 (κ = 1). The rate 0.5 = 1/L gives the per-step factor q = |1 − 0.5 × 2| = 0, so one step removes the whole error.
#
# </details>
#
# **3.** At learning rate 0.1, theory needs 198 steps on raw data and the run takes 198. Why can the measured count never exceed the predicted one?
#
# <details><summary>Show the answer</summary>
#
# The prediction is the worst case: each step leaves at most q of the distance, so once q^k ≤ 0.001 the run is certainly there. The real distance may shrink faster than the worst case (min-max does: 178 predicted, 148 measured), so the measured count can only be smaller or equal.
#
# </details>

# %% [markdown]
# ### 1.4 Z-score against min-max: the outlier stays visible
#
# $$z_i = \frac{x_i - \mu}{\sigma}$$
#
# $x_i$ is value $i$ of a column, $\mu$ and $\sigma$ are the column's mean and standard deviation (dividing by $n$), and $z_i$ says how many standard deviations the value lies from the mean.
#
# $$\sum_i z_i = 0, \qquad \sum_i z_i^2 = n$$
#
# $n$ is the number of values in the column: after subtracting the mean they add up to 0; after dividing by the standard deviation their squares add up to exactly $n$, which is what the standard deviation means.
#
# $$|z_i| \le \sqrt{n - 1}$$
#
# The larger one value's $|z_i|$, the more the other $n - 1$ values must pull the sum back to 0; their squares add up to the least when they are all equal, and the squares summing to $n$ then gives this ceiling.

# %% [markdown]
# Z-score produces zero-centred data, popular in deep learning; for regression labels that are positive and negative it spares normalizing the labels; normally distributed data come out standard normal. And, very usefully, unlike min-max it **keeps the extreme values extreme**.

# %%
a = np.arange(8).reshape(4, 2)
a[1, 1] = 100
a

# %%
maxmin_norm(a)

# %% [markdown]
# Because of the extreme value, min-max squeezes the other values of the second column into a very narrow range. With z-score:

# %%
z_score(a)

# %% [markdown]
# The extreme value is still extreme (relative to the column's other values), and can then be handled (removed or capped). Z-score does need the mean and the variance, so it costs more to compute.
#
# **With gdlab.** The same comparison; `RobustScaler` uses the median and the interquartile range, so the extreme value moves the others less.

# %%
from gdlab.scaling import RobustScaler

pd.DataFrame(
    {
        "raw data": a[:, 1],
        "min-max": MinMaxScaler().fit_transform(a)[:, 1],
        "z-score": StandardScaler().fit_transform(a)[:, 1],
        "RobustScaler": RobustScaler().fit_transform(a)[:, 1],
    }
)

# %% [markdown]
# Mind that a z-score reading has a ceiling: n z-scores add up to 0 and their squares to exactly n, so no |z| exceeds √(n − 1). The lesson's example has 4 rows, and the extreme value 100 already sits at the ceiling √3:

# %%
z = z_score(a)
n, z_max, cap = len(a), np.abs(z).max(), np.sqrt(len(a) - 1)
print(f"n = {n}: largest |z| {z_max:.4f}, ceiling √(n − 1) = {cap:.4f}")

# %% [markdown]
# So the common rule "more than 3 standard deviations" can flag a value only in a column of at least 11 values. On the lesson page's longer column (50 ordinary values around 5 plus one 100) the rule finds the extreme value, which can then be capped (pulled back into the other values' range):

# %%
rng = np.random.default_rng(24)
column = np.append(5 + rng.standard_normal(50), 100.0)
threshold = 3.0
z = StandardScaler().fit_transform(column[:, None]).ravel()
n, cap = len(column), np.sqrt(len(column) - 1)
print(f"{n} values: the extreme value's z = {z[-1]:.2f}, ceiling √(n − 1) = {cap:.2f}")
kept = column[np.abs(z) <= threshold]
capped = np.clip(column, kept.min(), kept.max())  # capping: values past the limit pulled back into the others' range
sd, sd_capped = column.std(), capped.std()
print(f"standard deviation: {sd:.2f} before capping, {sd_capped:.2f} after")

# %% [markdown]
# **The section's numbers.** The cell below runs this section of the lesson page (`gdlab.report.sections.outliers`): the same data and the same code, its claim and its tables shown as the page shows them.

# %%
section_numbers("outliers", "en")

# %% [markdown]
# #### Exercises
#
# **1.** Why can no z-score of 4 rows exceed 1.73?
#
# <details><summary>Show the answer</summary>
#
# The n z-scores add up to 0 and their squares to n. If one of them is z, the other n − 1 add up to −z; their squares add up to the least, z²/(n − 1), when they are all equal (each −z/(n − 1)). So z² + z²/(n − 1) ≤ n, that is |z| ≤ √(n − 1). With n = 4 the ceiling is √3 = 1.7321, and the lesson's 1.7297 is very close to it.
#
# </details>
#
# **2.** How many values must a column have at least before the rule "beyond 3 standard deviations" can find an outlier?
#
# <details><summary>Show the answer</summary>
#
# It needs √(n − 1) > 3, that is n > 3² + 1, so at least 11 values; with one fewer the ceiling is 3.00 and nothing can be flagged.
#
# </details>
#
# **3.** Why does min-max not show how extreme the outlier is?
#
# <details><summary>Show the answer</summary>
#
# After min-max the largest value is always 1 and the smallest always 0, whether the outlier is 100 or larger; it only says "this is the maximum", while the ordinary values are squeezed into a span of 0.046. Z-score counts standard deviations: with 51 values the outlier is 7.05 standard deviations out.
#
# </details>

# %% [markdown]
# ## Part 2 · First optimizations of gradient descent
#
# This part's data set: 1,000 rows from the lesson's law y = 200x₁ − x₂ + 1 plus noise of standard deviation 1; x₁ is recorded × 0.1 and x₂ × 10 (the unit mismatch of 1.2), and the two features are correlated 0.9, as measured features often are. Every section of part 2 uses these data, and every run starts from w = 0.
#
# ### 2.1 Feature scaling and the speed of gradient descent
#
# $$\eta = c \cdot \frac{2}{L}$$
#
# All three designs use the same c but have different L, so their rates η differ: each runs at the same fraction of its own stability limit.
#
# $$\lVert w_k - w^* \rVert \le q^k \lVert w_0 - w^* \rVert$$
#
# w* is the minimum, w_k the parameters after epoch k and q the per-epoch factor (see 1.3); the larger κ, the closer q is to 1 and the more epochs it takes.

# %% [markdown]
# The first text of this lesson lists the four sections of this part by title only. The code below follows the lesson's style (`w_cal`, `sgd_cal`, `MSELoss`) on the data of part 2 of the lesson page: this part's data set, made by `gdlab.report.data.regression_problem`, with the intercept column last, as the lesson's `arrayGenReg` puts it.

# %%
from gdlab.report.data import regression_problem

# this part's data set: the same data as the lesson page's
X, y = regression_problem()
# the intercept column last, as arrayGenReg puts it
features = np.column_stack([X, np.ones(len(X))])
labels = y.reshape(-1, 1)
features_minmax = np.copy(features)
features_minmax[:, :2] = maxmin_norm(features_minmax[:, :2])
features_norm = np.copy(features)
features_norm[:, :2] = z_score(features_norm[:, :2])
features[:5]

# %% [markdown]
# One learning rate for raw and scaled data is not a fair comparison: each design has its own largest stable rate. The Hessian of the MSE is 2XᵀX/m, its largest eigenvalue L is the curvature along the steepest direction, and a fixed rate is stable only below 2/L (see 1.3 and appendix 2). So each design runs at 95% of its own 2/L, for 5,000 epochs of full-batch gradient descent, recording each epoch's MSE and distance to the minimum.

# %%
def stable_limit(A):
    "The stability limit 2/L: L is the largest eigenvalue of the Hessian 2XᵀX/m."
    return 2 / np.linalg.eigvalsh(2 * A.T @ A / len(A)).max()


designs = {
    "raw data": features,
    "min-max": features_minmax,
    "z-score": features_norm,
}
fraction = 0.95  # each design at this fraction of its own 2/L
epochs = 5000
rtol = 1e-06
gaps, f_stars = {}, {}
for name, A in designs.items():
    lr = fraction * stable_limit(A)
    w_star = np.linalg.lstsq(A, labels, rcond=None)[0]
    f_star = MSELoss(A, w_star, labels).item()
    w = np.zeros((3, 1))
    gap, distance = [], [np.linalg.norm(w - w_star)]
    for i in range(epochs):
        w = w_cal(A, w, labels, gd_cal=lr_gd, lr=lr, itera_times=1)
        gap.append(MSELoss(A, w, labels).item() - f_star)
        distance.append(np.linalg.norm(w - w_star))
    gaps[name], f_stars[name] = gap, f_star
    reached = next((i for i, d in enumerate(distance) if d <= rtol * distance[0]),
                   "not reached (> 5,000)")  # fmt: skip
    print(f"{name}: rate {lr:.4g}, epochs until the distance to the minimum is down to {rtol:g} of its start: {reached}")

# %%
for name, gap in gaps.items():
    plt.plot(range(1, epochs + 1), np.maximum(gap, 1e-16), label=name)
plt.yscale("log")
plt.xlabel("epoch")
plt.ylabel("loss above the minimum f − f*")
plt.title("Loss above the minimum per epoch (full batch)")
plt.legend()
plt.show()

# %% [markdown]
# On a log scale, a gap to the minimum that shrinks by a fixed factor per epoch is a straight line, and the steeper the line, the faster the convergence. The raw data's curve is almost flat.
#
# **With gdlab.** `analysis.conditioning` gives each design's condition number κ, stability limit 2/L and best fixed rate 2/(L+μ); `descend` runs the same rates for the same epochs, and `loss_curves` draws the gaps to the minimum.

# %%
from gdlab import analysis
from gdlab.models import LeastSquares
from gdlab.optim import descend
from gdlab.plotting import loss_curves

model = LeastSquares()
conditions = {name: analysis.conditioning(A, intercept=False) for name, A in designs.items()}
pd.DataFrame({name: {"κ": c.kappa, "2/L": c.lr_stable, "2/(L+μ)": c.lr_best}
              for name, c in conditions.items()}).T  # fmt: skip

# %%
runs = {
    name: descend(model, A, labels, lr=fraction * conditions[name].lr_stable, epochs=epochs,
                  w0=np.zeros(3))
    for name, A in designs.items()
}  # fmt: skip
zscored = "z-score"
same = np.allclose(runs[zscored].loss[1:] - f_stars[zscored], gaps[zscored])
print("same MSE as the lesson:", same)
f_star = model.loss(model.optimum(features_norm, labels), features_norm, labels)
loss_curves(runs, optimum=f_star, title="Loss above the minimum per epoch (full batch)",
            xlabel="epoch",
            ylabel="loss above the minimum f − f*")  # fmt: skip
plt.show()

# %% [markdown]
# After z-score κ is only 21.6, against 58,870 for the raw data: at the same 95% of 2/L, z-score gets close to the minimum within a few hundred epochs, and raw data is still far from it after 5,000. The two features are strongly correlated, so κ stays above 1 even after z-score; that remainder is what the next sections' scheduling and mini-batches deal with.

# %% [markdown]
# **The section's numbers.** The cell below runs this section of the lesson page (`gdlab.report.sections.speed`): the same data and the same code, its claim and its tables shown as the page shows them.

# %%
section_numbers("speed", "en")

# %% [markdown]
# #### Exercises
#
# **1.** After min-max, κ is still 636. Why so much larger than z-score's 21.6?
#
# <details><summary>Show the answer</summary>
#
# After min-max every feature lies between 0 and 1, all positive, and so strongly correlated with the intercept column (all ones): the loss stays very flat along one direction. Z-score moves each column's mean to 0, so the features no longer correlate with the intercept column, and only the 0.9 correlation between the two features remains.
#
# </details>
#
# **2.** At c = 0.95, z-score needs 150 epochs in theory. Which c gives the fastest fixed rate 2/(L+μ)?
#
# <details><summary>Show the answer</summary>
#
# c = (2/(L+μ)) / (2/L) = L/(L+μ) = κ/(κ+1) = 0.956. There the per-epoch factor q = (κ − 1)/(κ + 1) is smallest.
#
# </details>

# %% [markdown]
# ### 2.2 Learning-rate scheduling: exponential decay
#
# $$\eta_i = \eta_0 \, \gamma^{i}$$
#
# η₀ is the initial rate lr_init, γ the decay factor (0 < γ < 1) and η_i the rate of epoch i.
#
# $$\sum_{i \ge 0} \eta_0 \gamma^{i} = \frac{\eta_0}{1 - \gamma}$$
#
# All the rates together never add up to more than η₀/(1 − γ): the distance gradient descent can travel is capped.

# %% [markdown]
# Scheduling starts with a large rate and lowers it as the iteration goes on. The lesson decays exponentially, $lr_i = lr_{init} \cdot \gamma^i$, written `lr_lambda = lambda epoch: 0.95 ** epoch` and applied once per epoch; here γ = 0.95. The data are this part's data set after z-score, and the starting rates are multiples of 2/L: 1.25 × 2/L is above the stability limit, 0.25 × 2/L far below it.

# %%
lr_lambda = lambda epoch: 0.95 ** epoch  # noqa: E731

limit = stable_limit(features_norm)  # the stability limit 2/L of this part's data set after z-score
epochs = 150
# the loss at w = 0 and at the minimum
f_0 = MSELoss(features_norm, np.zeros((3, 1)), labels).item()
f_star = MSELoss(features_norm, np.linalg.lstsq(features_norm, labels, rcond=None)[0], labels).item()
histories = {}
for factor in (1.25, 0.25):
    lr_init = factor * limit
    w = np.zeros((3, 1))
    w1 = np.copy(w)
    fixed, decay = [], []
    for i in range(epochs):
        w = w_cal(features_norm, w, labels, gd_cal=lr_gd, lr=lr_init, itera_times=1)
        w1 = w_cal(features_norm, w1, labels, gd_cal=lr_gd, lr=lr_init * lr_lambda(i), itera_times=1)
        fixed.append(MSELoss(features_norm, w, labels).item())
        decay.append(MSELoss(features_norm, w1, labels).item())
    histories[factor] = (fixed, decay)
    relative_fixed = (fixed[-1] - f_star) / (f_0 - f_star)
    relative_decay = (decay[-1] - f_star) / (f_0 - f_star)
    print(f"lr_init = {factor:g} × 2/L: relative loss gap after {epochs} epochs, fixed rate {relative_fixed:.3g}, exponential decay {relative_decay:.3g}")

# %% [markdown]
# The relative loss gap (f − f*)/(f₀ − f*) is the share of the starting gap that is left. A rate that is too large diverges when fixed, while decay lets it oscillate first and then converge; a rate that was already small converges more slowly with decay.
#
# **With gdlab.** `schedules.exponential(lr=..., gamma=...)` is the lesson's decay; it is a pure function `lr = s(t)` that prints, saves, and shows itself in Jupyter as its text form and a curve of its rates.

# %%
from gdlab import schedules
from gdlab.plotting import plot_schedules

too_large, small = 1.25, 0.25
decay_schedule = schedules.exponential(lr=too_large * limit, gamma=0.95)
decay_schedule

# %%
plot_schedules(
    {
        "fixed rate": schedules.constant(too_large * limit),
        "decayed rate": decay_schedule,
        "stability limit 2/L": schedules.constant(limit),
    },
    steps=epochs,
    logy=True,
    title="Learning rate per epoch",
    xlabel="epoch",
    ylabel="learning rate",
)
plt.show()

# %% [markdown]
# `descend` takes a schedule as its `lr` and reads it once per epoch; `loss_curves` draws the gaps to the minimum.

# %%
decay_runs = {}
for name, lr in (
    ("lr_init = 1.25 × 2/L, fixed", too_large * limit),
    ("lr_init = 1.25 × 2/L, decayed", decay_schedule),
    ("lr_init = 0.25 × 2/L, fixed", small * limit),
    ("lr_init = 0.25 × 2/L, decayed",
     schedules.exponential(lr=small * limit, gamma=0.95)),
):  # fmt: skip
    decay_runs[name] = descend(model, features_norm, labels, lr=lr, epochs=epochs, w0=np.zeros(3))
large_decay = decay_runs["lr_init = 1.25 × 2/L, decayed"]
print("same MSE as the lesson:", np.allclose(large_decay.loss[1:], histories[too_large][1]))
loss_curves(decay_runs, optimum=f_star, title="Fixed and decayed rates: loss above the minimum per epoch",
            xlabel="epoch",
            ylabel="loss above the minimum",
            diverged_label="{label} (diverged)")  # fmt: skip
plt.show()
decay_runs["lr_init = 1.25 × 2/L, fixed"]

# %% [markdown]
# Starting at 1.25 × 2/L, a fixed rate diverged, while decaying it by 0.95 per epoch makes it converge: from epoch 31 on the relative loss gap stays within 0.001. Starting at only 0.25 × 2/L, decay slows convergence down: after 150 epochs the relative loss gap is 1.8e-02, against 4.0e-05 at a fixed rate.
#
# Another way to adjust the rate watches the loss: when it stops falling, multiply the rate by a factor. That is not a schedule (the rate depends on more than the epoch), so gdlab makes it a controller with explicit state, `ReduceOnPlateau`:

# %%
rop = schedules.ReduceOnPlateau(factor=0.5, patience=1)
state = rop.init()
for loss in [1.0, 0.9, 0.9, 0.9]:
    state = rop.update(state, loss)
print("current learning rate:", rop.apply(state, 0.2))
rop

# %%
state

# %% [markdown]
# **Try it in Jupyter.** The cell below brings this experiment of the lesson page into the notebook: drag the start, type a rate, play the steps, all computed by the page's own JavaScript. It needs JupyterLab and anywidget, which `pip install "gdlab[notebook]"` installs; where no widget front end runs (a terminal, say) it prints one sentence instead, and the static figures above stand in for it.

# %%
from gdlab.report.widget import lab

lab("decay", lang="en")

# %% [markdown]
# **The section's numbers.** The cell below runs this section of the lesson page (`gdlab.report.sections.decay`): the same data and the same code, its claim and its tables shown as the page shows them.

# %%
section_numbers("decay", "en")

# %% [markdown]
# #### Exercises
#
# **1.** Why can γ = 0.99 not rescue a start at 1.25 × 2/L?
#
# <details><summary>Show the answer</summary>
#
# The rate needs ln(1/1.25) / ln(0.99) ≈ 22 epochs to fall under 2/L; until then every epoch enlarges the distance to the minimum, and the loss passes 1000 times its start long before: the run is counted as diverged.
#
# </details>
#
# **2.** Starting at 0.25 × 2/L with γ = 0.95, what can all the rates add up to at most? What does that mean for convergence?
#
# <details><summary>Show the answer</summary>
#
# The powers of γ add up to at most 1/(1 − γ), so the rates add up to at most 2.62, while a fixed rate adds up to 19.6 over 150 epochs. With less distance to travel, the decayed run stalls at a relative gap of 1.8e-02, above the fixed rate's 4.0e-05.
#
# </details>

# %% [markdown]
# ### 2.3 Mini-batch gradient descent and convergence speed
#
# $$\nabla f_B(w) = \frac{2}{b} X_B^{\top}(X_B w - y_B)$$
#
# B is one mini-batch of b rows, with features X_B and labels y_B; its gradient stands in for the gradient of all the data: quicker to compute, but noisy.
#
# $$\left\lceil \frac{m}{b} \right\rceil$$
#
# The updates per epoch: m is the number of rows and b the batch size, rounded up (the last, partial batch is kept).

# %% [markdown]
# Mini-batch gradient descent makes ⌈m / batch_size⌉ updates per epoch, keeping the last, partial batch; batch_size 1 is stochastic gradient descent and m is full batch. Per epoch, mini-batches converge much faster than full batch; but at a fixed rate, stochastic and mini-batch descent end up in a band around the minimum. Below, every batch size runs at the same rate 0.25 × 2/L for 20 epochs.

# %%
epochs = 20
tail = 5
lr = 0.25 * limit
sgd_histories = {}
for batch_size in (len(features_norm), 50, 10, 1):
    w = np.zeros((3, 1))
    history = []
    for i in range(epochs):
        w = sgd_cal(features_norm, w, labels, lr_gd, epoch=1, batch_size=batch_size, lr=lr)
        history.append(MSELoss(features_norm, w, labels).item() - f_star)
    sgd_histories[batch_size] = history
    band = np.mean(history[-tail:])
    print(f"batch_size = {batch_size:4d}: mean MSE − f* over the last {tail} epochs {band:.3g}")

# %% [markdown]
# The smaller the batch, the more updates per epoch and the faster the first epochs; but also the larger the mean gap over the last epochs: the gradient of a few rows is not zero at the minimum, so the parameters never settle.
#
# **With gdlab.** `descend` takes `batch_size=None` for full batch, `1` for stochastic gradient descent and `k` for mini-batches; `seed` sets each epoch's shuffle (the lesson's `sgd_cal` reseeds before every epoch and shuffles the same way each time, so its numbers differ from these). The last curve adds exponential decay to stochastic gradient descent (× 0.9 per epoch), and the band narrows.

# %%
full = "full batch"
batch_runs = {full: descend(model, features_norm, labels, lr=lr, epochs=epochs, w0=np.zeros(3))}
for batch_size in (50, 10, 1):
    name = f"batch {batch_size}"
    batch_runs[name] = descend(model, features_norm, labels, lr=lr, epochs=epochs,
                               batch_size=batch_size, seed=24, w0=np.zeros(3))  # fmt: skip
gamma = 0.9
batch_runs[f"batch 1 + decay × {gamma:g}"] = descend(
    model, features_norm, labels, lr=schedules.exponential(lr=lr, gamma=gamma), epochs=epochs,
    batch_size=1, seed=24, w0=np.zeros(3),
)  # fmt: skip
loss_curves(batch_runs, optimum=f_star, title="Loss above the minimum f − f* per epoch",
            xlabel="epoch",
            ylabel="loss above the minimum")  # fmt: skip
plt.show()
updates, final = "updates per epoch", f"mean MSE − f* over the last {tail} epochs"
pd.DataFrame({name: {updates: r.n_steps // epochs, final: np.mean(r.loss[-tail:]) - f_star}
              for name, r in batch_runs.items()}).T  # fmt: skip

# %% [markdown]
# The lesson page's section goes further: each batch size gets its own best rate from one grid of candidates, and every setting is shuffled 8 times to show the spread of the results.

# %% [markdown]
# **The section's numbers.** The cell below runs this section of the lesson page (`gdlab.report.sections.minibatch`): the same data and the same code, its claim and its tables shown as the page shows them.

# %%
section_numbers("minibatch", "en")

# %% [markdown]
# #### Exercises
#
# **1.** How many updates does batch 10 make per epoch? Why is it faster than full batch, counted in epochs?
#
# <details><summary>Show the answer</summary>
#
# ⌈1000/10⌉ = 100 updates, while full batch makes 1 per epoch. Reading the data once, the mini-batch takes 100 steps.
#
# </details>
#
# **2.** At one common rate, 0.25 × 2/L, why is batch 1's band (1.21) wider than batch 50's (0.00959)?
#
# <details><summary>Show the answer</summary>
#
# The variance of a gradient estimated from b rows is roughly proportional to 1/b: near the minimum, the smaller the batch, the larger each random step.
#
# </details>

# %% [markdown]
# ### 2.4 The combined strategy
#
# $$f - f^* \le \tau \, f^*$$
#
# f* is the lowest loss there is and f − f* how far the current loss is above it; the target τ = 0.01: it is reached from the epoch on which this gap stays within τ f*.

# %% [markdown]
# Putting the methods together: z-score + mini-batch gradient descent + exponential decay of the rate, still on this part's data set. Batches of 50 rows for 30 epochs, at the rate and decay factor the lesson page picked from its candidates for all three together: 1 × 2/L and γ = 0.8. The target: from some epoch on, the loss never rises more than 1% of f* above the minimum.

# %%
batch_size, num_epoch = 50, 30
fraction, gamma = 1.0, 0.8  # the settings the lesson page picked for all three together
target = 0.01
lr_lambda = lambda epoch: gamma**epoch  # noqa: E731

w = np.zeros((3, 1))
gaps = [MSELoss(features_norm, w, labels).item() - f_star]
for i in range(num_epoch):
    w = sgd_cal(features_norm, w, labels, lr_gd, batch_size=batch_size, epoch=1,
                lr=fraction * limit * lr_lambda(i))  # fmt: skip
    gaps.append(MSELoss(features_norm, w, labels).item() - f_star)
above = [i for i, gap in enumerate(gaps) if gap > target * f_star]
settled, last = (above[-1] + 1 if above else 0), gaps[-1]
print(f"from epoch {settled} on, MSE − f* stays within {target:.0%} of f*; the last epoch's is {last:.3g}" if settled < len(gaps) else f"never within {target:.0%} of f* to the end of {num_epoch} epochs")

# %% [markdown]
# **With gdlab.** The same combination: `descend` with `batch_size=50`, `seed=24` and `schedules.exponential` is the very run the lesson page measures, so it reaches the target in the page's number of epochs.

# %%
combined = descend(model, features_norm, labels, lr=schedules.exponential(lr=fraction * limit, gamma=gamma),
                   epochs=num_epoch, batch_size=batch_size, seed=24, w0=np.zeros(3))  # fmt: skip
gaps = np.asarray(combined.loss) - f_star
above = np.flatnonzero(gaps > target * f_star)
settled, last = (int(above[-1]) + 1 if len(above) else 0), gaps[-1]
print(f"from epoch {settled} on, MSE − f* stays within {target:.0%} of f*; the last epoch's is {last:.3g}" if settled < len(gaps) else f"never within {target:.0%} of f* to the end of {num_epoch} epochs")
combined

# %% [markdown]
# Finally, `analysis.compare` runs the combinations (scaling × schedule × batch size) at one budget and one rate and returns a table with a row per run. The raw data's 2/L is far smaller: this rate diverges on them.

# %%
table = analysis.compare(
    model, X, y, scalers=["none", "zscore"],
    schedules=[fraction * limit, schedules.exponential(lr=fraction * limit, gamma=gamma)],
    batch_sizes=[None, batch_size], epochs=num_epoch, seed=24,
)  # fmt: skip
table[["scaler", "schedule", "batch_size", "final_loss", "status"]]

# %% [markdown]
# **The section's numbers.** The cell below runs this section of the lesson page (`gdlab.report.sections.combined`): the same data and the same code, its claim and its tables shown as the page shows them.

# %%
section_numbers("combined", "en")

# %% [markdown]
# #### Exercises
#
# **1.** Without decay, why does it take until epoch 27 to stay within the target?
#
# <details><summary>Show the answer</summary>
#
# At a fixed rate mini-batches leave a band around the minimum; the target (1% of f*) is strict, so the band's upper edge keeps crossing it, and only late does the run stay inside. Decay narrows the band under the target, which is why all three together need only 6 epochs.
#
# </details>
#
# **2.** Why do all eight combinations share the same f*?
#
# <details><summary>Show the answer</summary>
#
# Scaling is an affine map of the features: with the intercept, the linear model can express the same functions, so the lowest reachable loss does not change (raw data's and z-score's f* differ by less than 1e-12, relatively); the rate, the batches and the decay only change how the run gets to the minimum, not the minimum itself.
#
# </details>

# %% [markdown]
# ## Appendix · Theory against measurement
#
# ### A.1 Conditioning before and after scaling
#
# $$f(w) = \frac{1}{m} \sum_i (x_i^\top w - y_i)^2$$
#
# $f$ is the mean squared error: $m$ is the number of rows, $x_i$ the features of row $i$ (its last entry is 1, for the intercept), $w$ the parameters, $x_i^\top w$ the prediction for that row and $y_i$ its label.
#
# $$f(w^* + h\,u) = f(w^*) + \tfrac12\, c(u)\, h^2$$
#
# $w^*$ is the minimum, $u$ a direction of length 1, $h$ the distance walked along it and $c(u)$ the curvature in that direction: the steeper the bowl's wall, the larger $c(u)$ (f is quadratic, so this is exact).
#
# $$L = \max_u c(u), \qquad \mu = \min_u c(u), \qquad \kappa = \frac{L}{\mu}$$
#
# $L$ is the curvature of the steepest direction, $\mu$ that of the flattest, and $\kappa$ the condition number: the contour ellipses' long axis is $\sqrt\kappa$ times the short one, and at $\kappa = 1$ they are circles.

# %% [markdown]
# The appendix makes the quantities used above precise. The Hessian of the mean squared error is 2XᵀX/m; its largest eigenvalue L is the curvature along the steepest direction, its smallest μ along the flattest, and κ = L/μ is the condition number. With NumPy, for the three designs of 2.1:

# %%
# the smallest and largest eigenvalues of the Hessian 2XᵀX/m: μ and L
for name, A in designs.items():
    mu, L = np.linalg.eigvalsh(2 * A.T @ A / len(A))[[0, -1]]
    kappa = L / mu
    print(f"{name}: L = {L:.4g}, μ = {mu:.4g}, κ = {kappa:,.1f}")

# %% [markdown]
# **With gdlab.** `analysis.conditioning_table` gives, for the raw data and after each of gdlab's scalers, L, μ, κ, the stability limit 2/L, the best fixed rate 2/(L+μ) and the theory's steps at that rate.

# %%
from gdlab.scaling import SCALERS

X, y = regression_problem()
table = analysis.conditioning_table(X, scalers=SCALERS, rtol=1e-06)
table

# %% [markdown]
# What κ is left after z-score comes from the features' correlation r: the direction where both columns grow together is the steepest, the one where one grows as the other falls the flattest, and κ = (1 + r)/(1 − r).

# %%
r = np.corrcoef(X[:, 0], X[:, 1])[0, 1]
kappa_r, kappa_zscore = (1 + r) / (1 - r), table.loc["zscore", "kappa"]
print(f"r = {r:.4f}, (1 + r)/(1 − r) = {kappa_r:.2f}, κ after z-score = {kappa_zscore:.2f}")

# %% [markdown]
# **The section's numbers.** The cell below runs this section of the lesson page (`gdlab.report.sections.conditioning`): the same data and the same code, its claim and its tables shown as the page shows them.

# %%
section_numbers("conditioning", "en")

# %% [markdown]
# #### Exercises
#
# **1.** Why is κ still 21.55 after z-score, and not 1?
#
# <details><summary>Show the answer</summary>
#
# Z-score gives every column the same scale but cannot remove the correlation between columns. With correlation r, the direction in which both features grow together is the steepest, curvature L = 2(1 + r); the one in which one grows as the other falls is the flattest, μ = 2(1 − r); so κ = (1 + r)/(1 − r). Here r = 0.9113 and (1 + r)/(1 − r) = 21.55.
#
# </details>
#
# **2.** At learning rate 2/(L+μ), how many steps do raw and z-scored data need to bring the distance to the minimum down to 1e-06 of its starting value?
#
# <details><summary>Show the answer</summary>
#
# Each step leaves at most (κ − 1)/(κ + 1) of the error: 0.999966 on raw data, which needs 406,660 steps, and 0.9113 after z-score, which needs only 149.
#
# </details>
#
# **3.** The stability limit 2/L is 0.0098 on raw data and 0.5232 after z-score. Why so different?
#
# <details><summary>Show the answer</summary>
#
# x2 was recorded × 10, so its values are large and the bowl is very steep along x2: L = 203.7. After z-score every column has variance 1 and L is only 3.82. 2/L grows as L shrinks.
#
# </details>

# %% [markdown]
# ### A.2 The stability limit 2/L, predicted and measured
#
# $$w \leftarrow w - \eta\, \nabla f(w)$$
#
# Each step moves the parameters $w$ some way against the gradient $\nabla f(w)$ (the direction in which the loss rises fastest); the learning rate $\eta$ sets how far.
#
# $$e \leftarrow (1 - \eta\, c)\, e$$
#
# $e$ is the parameters' distance from the minimum along one direction (the error) and $c$ that direction's curvature: on a quadratic loss every step multiplies this error by $1 - \eta c$.
#
# $$|1 - \eta L| < 1 \iff 0 < \eta < \frac{2}{L}$$
#
# $L$ is the steepest direction's curvature and no direction's is larger, so $1 - \eta L$ is the first factor to pass -1: above $2/L$ the error along that direction changes sign and grows at every step and the run diverges; at exactly $2/L$ it bounces with a constant size.

# %% [markdown]
# Why must a fixed rate stay below 2/L? Along the steepest direction each step multiplies the distance to the minimum by 1 − ηL; past 2/L that factor's size exceeds 1 and the distance grows at every step. On the two rows of 1.3, 200 steps from 0 at 0.99 and at 1.01 times 2/L:

# %%
# the two rows of 1.3
x = np.array([[1, 1], [3, 1]])
y = np.array([[2], [4]])
limit = stable_limit(x)
w_star = np.linalg.lstsq(x, y, rcond=None)[0]
for factor in (0.99, 1.01):
    w = np.zeros((2, 1))
    start = np.linalg.norm(w - w_star)
    w = w_cal(x, w, y, gd_cal=lr_gd, lr=factor * limit, itera_times=200)
    ratio = np.linalg.norm(w - w_star) / start
    print(f"rate {factor:g} × 2/L: after 200 steps the distance to the minimum is {ratio:.3g} times its start")

# %% [markdown]
# **With gdlab.** `analysis.stability_map` runs every point of a learning rate × batch size grid (this part's data set after z-score, 20 epochs each); the figure draws the final loss of the runs that did not diverge, and leaves out those that did. The smaller the batch, the smaller the rates it can use: 2/L is the curvature averaged over all rows, and a single row's can be much larger.

# %%
X, y = regression_problem()
limit = analysis.conditioning(features_norm, intercept=False).lr_stable
grid = analysis.stability_map(model, X, y, lrs=limit * np.geomspace(0.05, 4.0, 13),
                              batch_sizes=[None, 50, 1], epochs=20, scaler="zscore",
                              seed=24)  # fmt: skip
for batch, name in (
    (None, "full batch"),
    (50, "batch 50"),
    (1, "batch 1 (stochastic gradient descent)"),
):
    runs = grid[grid["batch_size"].isna()] if batch is None else grid[grid["batch_size"] == batch]
    finished = runs[~runs["diverged"]]
    plt.plot(finished["lr"] / limit, finished["final_loss"], "o-", label=name)
plt.axvline(1.0, color="black", ls="--", label="full-batch stability limit 2/L")
plt.xscale("log")
plt.yscale("log")
plt.xlabel("learning rate / (2/L) (log scale)")
plt.ylabel("final loss (log scale)")
plt.title("Runs that did not diverge: their final loss")
plt.legend()
plt.show()

# %% [markdown]
# **The section's numbers.** The cell below runs this section of the lesson page (`gdlab.report.sections.stability`): the same data and the same code, its claim and its tables shown as the page shows them.

# %%
section_numbers("stability", "en")

# %% [markdown]
# #### Exercises
#
# **1.** At a learning rate of 1.1 × 2/L, what does each step multiply the error along the steepest direction by?
#
# <details><summary>Show the answer</summary>
#
# The factor is 1 − ηL = 1 − 1.1 × 2 = −1.2: the error changes sign and grows 1.2 times each step. Measured on the lesson's two-row problem (raw data), the last step's distance to the minimum is 1.2000 times the previous one; gdlab declares the run diverged at step 19, when the loss passes 1000 times its reference.
#
# </details>
#
# **2.** Why does SGD (batch 1) diverge at rates below 2/L?
#
# <details><summary>Show the answer</summary>
#
# The L in 2/L is the curvature averaged over all rows; a step that uses one row sees that row's curvature, which can be far larger than the average, so a step sized by the average overshoots. In the map the largest rate at which SGD does not diverge is only 0.45 × 2/L, against 0.93 × 2/L with batch 50.
#
# </details>
#
# **3.** Why is the bisected limit slightly above 2/L (by at most 0.038%) rather than exactly on it?
#
# <details><summary>Show the answer</summary>
#
# Just above 2/L the steepest direction's error becomes only 1.00076 times the previous step's, 1.26 times over 300 epochs, while the other directions still shrink, so the loss gap does not yet look like growing within 300 epochs. With more epochs the limit found comes closer to 2/L.
#
# </details>

# %% [markdown]
# ### A.3 Iterations to a tolerance, predicted and measured
#
# $$\eta^* = \frac{2}{L + \mu}$$
#
# $\eta^*$ is the rate at which the steepest and the flattest directions shrink equally fast: their factors $1 - \eta L$ and $1 - \eta\mu$ have opposite signs and the same size.
#
# $$q = \max(|1 - \eta^* L|,\ |1 - \eta^* \mu|) = \frac{\kappa - 1}{\kappa + 1}$$
#
# $q$ is the most of the error a step can leave: at $\kappa = 1$, $q = 0$ and one step reaches the minimum; the larger $\kappa$, the closer $q$ is to 1 and the slower the run.
#
# $$\|w_k - w^*\| \le q^k\, \|w_0 - w^*\|$$
#
# $w_k$ are the parameters after step $k$, $w_0$ the start and $w^*$ the minimum, and the double bars mean distance: after $k$ steps the distance to the minimum is at most $q^k$ times the starting distance.
#
# $$k = \left\lceil \frac{\ln \tau}{\ln q} \right\rceil$$
#
# $\tau$ is the relative tolerance (the distance must fall to $\tau$ times the starting one), $\ln$ the natural logarithm and the outer brackets mean rounding up: $k$ is the fewest steps that guarantee $q^k \le \tau$.

# %% [markdown]
# At rate 2/(L+μ) each step leaves at most q = (κ − 1)/(κ + 1) of the error, and k steps at most q^k; to shrink it to 1e-06 of its start, the theory's count is ln(1e-06)/ln q rounded up. By hand first, on the two rows of 1.3:

# %%
rtol = 1e-06
kappa = analysis.conditioning(x, intercept=False).kappa
q = (kappa - 1) / (kappa + 1)
steps = np.ceil(np.log(rtol) / np.log(q))
print(f"κ = {kappa:.2f}, q = {q:.4f}, the theory's steps ⌈ln({rtol:g})/ln q⌉ = {steps:.0f}")

# %% [markdown]
# **With gdlab.** `analysis.theory_vs_measured` sets the theory's count beside a real run's. The appendix's four problems, each with full-batch descent at 2/(L+μ) from 0:

# %%
from gdlab.report.data import appendix_problems

names = {
    "lesson_raw": "1.3's two rows, raw",
    "lesson_zscore": "1.3's two rows, z-score",
    "part2_minmax": "part 2's data set, min-max",
    "part2_zscore": "part 2's data set, z-score",
}
rows = {}
for key, (A, b) in appendix_problems().items():
    cond = analysis.conditioning(A, intercept=False)
    budget = int(min(cond.predicted_iterations(rtol), 100000)) + 10
    run = descend(model, A, b, lr=cond.lr_best, epochs=budget, record="step")
    check = analysis.theory_vs_measured(run, cond, model.optimum(A, b), rtol)
    rows[names[key]] = {
        "condition number κ": cond.kappa,
        "most of the error a step leaves, q": check.rate,
        "predicted steps": check.predicted,
        "measured steps": check.measured,
    }
pd.DataFrame(rows).T

# %% [markdown]
# **The section's numbers.** The cell below runs this section of the lesson page (`gdlab.report.sections.iterations`): the same data and the same code, its claim and its tables shown as the page shows them.

# %%
section_numbers("iterations", "en")

# %% [markdown]
# #### Exercises
#
# **1.** With q = 0.9428, work out by hand how many steps the lesson's two raw rows need for a tolerance of 1e-06.
#
# <details><summary>Show the answer</summary>
#
# k = ln(1e-06) / ln(0.9428) ≈ 234.6, rounded up 235 steps; the run takes exactly 235: the two-row problem has only two directions, both with a factor of size q, so each step leaves exactly q of the error.
#
# </details>
#
# **2.** Why do the lesson's two rows reach the minimum in one step after z-score?
#
# <details><summary>Show the answer</summary>
#
# After z-score L = μ = 2 and κ = 1, so the rate 2/(L+μ) = 0.5 is exactly 1/L and every direction's factor 1 − ηL is 0: one step removes the whole error (measured: 1 step).
#
# </details>
#
# **3.** Part 2's data set after min-max: 4,391 steps predicted, only 4,249 measured. Is the theory wrong?
#
# <details><summary>Show the answer</summary>
#
# No: it gives an upper bound for the worst case, in which all of the starting error lies along the steepest and the flattest directions and every step leaves exactly q of it. This problem has three directions (two features and the intercept), and part of the starting error lies along the middle one, which shrinks faster; that part disappears sooner, so 4,249 steps suffice instead of 4,391.
#
# </details>
