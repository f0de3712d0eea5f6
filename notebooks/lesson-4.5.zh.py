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
# # Lesson 4.5 梯度下降优化基础：数据归一化与学习率调度
#
# 在上一小节中我们看到，随机梯度下降和小批量梯度下降引入了样本的随机性，能够帮助参数点跨越局部最小值点，但随之而来的是收敛过程不稳定、收敛结果持续震荡、收敛所需迭代次数过多等问题。要解决随机性带来的麻烦，就要采用围绕迭代过程的优化方法，其中最基础、也最通用的两种，就是**数据归一化**和**学习率调度**。
#
# 本笔记本按课程的顺序展开，各节和课程页面一一对应：
#
# - 一、数据归一化方法
#   - 一、1 数据归一化计算公式：0-1 标准化、Z-Score 标准化与非线性标准化
#   - 一、2 数据归一化算法执行过程：量纲错配与新数据的预测
#   - 一、3 数据归一化算法评价：仿射变换不改变数据规律
#   - 一、3 数据归一化算法评价：归一化的代价是可解释性
#   - 一、3 数据归一化算法评价：树模型不受量纲影响
#   - 一、3 数据归一化算法评价：等高线与收敛速度
#   - 一、4 Z-Score 标准化算法评价及横向对比：保留极端值
# - 二、梯度下降算法优化初阶
#   - 二、1 数据归一化与梯度下降算法优化
#   - 二、2 学习率调度：指数衰减
#   - 二、3 小批量梯度下降与迭代收敛速度
#   - 二、4 梯度下降组合优化策略
# - 附录：理论与实测
#   - 附录 1 缩放前后的条件数
#   - 附录 2 稳定上限 2/L：理论与实测
#   - 附录 3 达到容差的迭代次数：理论与实测
#
# 每一节先用课程自己的代码来做：`from gdlab.lesson import *` 代替课程的 `from ML_basic_function import *`，其余代码照搬课程（为了后面用 gdlab 再做一遍，个别地方多留了一份数据，都有注释说明），打印出来的数字和课程完全相同；然后再用 gdlab 自己的工具把同一件事做一遍（`gdlab.scaling`、`gdlab.schedules`、`gdlab.optim.descend`、`gdlab.analysis`、`gdlab.plotting`）。每一节的最后一个单元格运行课程页面上的同一节，在同一份数据上算出本节的数字，按页面的样子显示出来；练习和答案附在它后面。

# %%
# 科学计算模块
import numpy as np
import pandas as pd

# 绘图模块
import matplotlib as mpl
import matplotlib.pyplot as plt

# 自定义模块：gdlab.lesson 就是课程的 ML_basic_function，函数名、默认参数和随机数都一样
from gdlab.lesson import *

# 课程页面上每一节的数字
from gdlab.report.notebook import section_numbers

# %% [markdown]
# 图中要写中文，需要一个中文字体。下面在本机已安装的字体里找一个常见的中文字体；如果一个也没有找到，图中的中文会显示成方框，这时按提示安装字体即可（Debian/Ubuntu 上是 `fonts-noto-cjk`）。

# %%
from pathlib import Path

from matplotlib import font_manager

CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "WenQuanYi Zen Hei",
             "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC"]  # fmt: skip
CJK_FILES = ("notosanscjk", "sourcehansans", "wqy", "simhei", "msyh", "pingfang")


def find_cjk_font():
    """返回一个已安装的中文字体名；没有则返回 None。"""
    installed = {font.name for font in font_manager.fontManager.ttflist}
    found = [name for name in CJK_FONTS if name in installed]
    if not found:
        # 字体在 matplotlib 建好字体缓存之后才安装时，缓存里没有它：到系统字体目录里再找一次
        for path in font_manager.findSystemFonts():
            if Path(path).name.lower().replace("-", "").startswith(CJK_FILES):
                font_manager.fontManager.addfont(path)
        installed = {font.name for font in font_manager.fontManager.ttflist}
        found = [name for name in CJK_FONTS if name in installed]
    return found[0] if found else None


cjk_font = find_cjk_font()
if cjk_font:
    # 中文用找到的字体，其余字符（如负号）仍可退回到 matplotlib 的默认字体
    plt.rcParams["font.sans-serif"] = [cjk_font, *plt.rcParams["font.sans-serif"]]
    plt.rcParams["font.family"] = "sans-serif"
    print("图中的中文字体：", cjk_font)
else:
    print("没有找到中文字体，图中的中文会显示成方框。请安装一个中文字体（Debian/Ubuntu：sudo apt-get install fonts-noto-cjk），然后重启内核。")
plt.rcParams["figure.dpi"] = 80

# %% [markdown]
# ## 一、数据归一化方法
#
# ### 一、1 数据归一化计算公式：0-1 标准化、Z-Score 标准化与非线性标准化

# %% [markdown]
# 数据归一化方法的本质是一种对数据进行线性转换的方法：通过样本空间之间的线性映射来转化数据的数值。这种转化不会影响数据分布，也就是不影响数据的内在规律，只是对数值进行调整。经典机器学习领域的数据归一化算法主要有两种：0-1 标准化（Max-Min Normalization）和 Z-Score 标准化。
#
# #### 1.1 0-1 标准化
#
# 0-1 标准化也称离差标准化。逐列记下每一列的最大值和最小值，以二者之差（极差）作为基数进行放缩：
#
# $$x' = \frac{x - \min(x)}{\max(x) - \min(x)}$$
#
# 0-1 标准化：$x$ 是某一列中的一个值，$\min(x)$ 和 $\max(x)$ 是这一列的最小值和最大值，二者之差是这一列的极差，$x'$ 是标准化后的值。

# %%
a = np.arange(12).reshape(6, 2)
a

# %%
# 计算每列最大值、最小值和极差
a.max(axis=0), a.min(axis=0), a.max(axis=0) - a.min(axis=0)

# %%
maxmin_norm(a)

# %% [markdown]
# **用 gdlab 来做。** `gdlab.scaling.MinMaxScaler` 是一个 scikit-learn 转换器：`fit` 记下每列的最小值和极差，`transform` 用记下的数值去放缩。直接显示这个对象，看到的是 scikit-learn 的转换器卡片。

# %%
from gdlab.scaling import MinMaxScaler, SigmoidScaler, StandardScaler

mm = MinMaxScaler().fit(a)
print("每列最小值 data_min_：", mm.data_min_, " 每列极差 data_range_：", mm.data_range_)
print(mm.transform(a))
mm

# %% [markdown]
# #### 1.2 Z-Score 标准化
#
# Z-Score 标准化也称 0 均值标准化：逐列减去该列的均值，再除以该列的标准差。如果原数据服从正态分布，处理之后的数据服从标准正态分布。
#
# $$\mu = \frac{1}{n}\sum_i x_i, \qquad \sigma^2 = \frac{1}{n}\sum_i (x_i - \mu)^2$$
#
# 一列有 $n$ 个值 $x_1, \dots, x_n$：$\mu$ 是它们的均值，$\sigma$ 是它们的标准差（除以 $n$，与 NumPy 的 std 相同）。
#
# $$x' = \frac{x - \mu}{\sigma + \varepsilon}$$
#
# Z-Score 标准化：每个值减去这一列的均值 $\mu$，再除以标准差 $\sigma$；$\varepsilon$ 是一个很小的正数，保证分母大于 0（课程把它写作 μ，为了不与均值混淆，gdlab 记作 ε）。

# %%
# 每列均值、每列标准差
a.mean(0), a.std(0)

# %%
z_score(a)

# %% [markdown]
# **用 gdlab 来做。** `StandardScaler` 记下 `mean_` 和 `scale_`（总体标准差，和 `a.std(0)` 一样）。课程提到，更严谨的做法是在分母上加一个很小的常数 ε，使分母恒大于 0：这就是参数 `eps`。

# %%
zs = StandardScaler().fit(a)
print("mean_:", zs.mean_, " scale_:", zs.scale_)
print(zs.transform(a))
StandardScaler(eps=1e-08)

# %% [markdown]
# ε 只对取值全部相同的列才要紧：这样的列标准差为 0，课程的公式得到 0/0，也就是 NaN；加上 ε 之后结果是 0。gdlab 的 `StandardScaler` 对常数列另有规定（分母取 1），所以 `eps` 默认是 0。

# %%
constant = np.full((4, 1), 5.0)
eps = 1e-08
with np.errstate(invalid="ignore"):
    print("不加 ε：", z_score(constant).ravel())
print("加 ε：", ((constant - constant.mean(0)) / (constant.std(0) + eps)).ravel())

# %% [markdown]
# #### 1.3 非线性标准化
#
# 除了上面两种线性方法，还有使用非线性函数的归一化方法，最有代表性的是 Sigmoid 标准化：用 Sigmoid 函数逐列处理数据，处理之后的数据被压缩到 0 和 1 之间。
#
# $$x' = \frac{1}{1 + \exp(-x)}$$
#
# Sigmoid 标准化：$\exp(-x)$ 是自然常数 e（约 2.718）的 $-x$ 次方；$x$ 越大，它越接近 0，$x'$ 越接近 1。

# %%
sigmoid(a)

# %%
# gdlab：SigmoidScaler 默认直接对原始数值取 Sigmoid，结果和课程的 sigmoid(a) 相同
print(np.allclose(SigmoidScaler().fit_transform(a), sigmoid(a)))
SigmoidScaler()

# %% [markdown]
# **本节的数字。** 下面的单元格运行课程页面上的这一节（`gdlab.report.sections.formulas`）：同一份数据、同一段代码，按页面的样子显示它的结论和表格。

# %%
section_numbers("formulas", "zh")

# %% [markdown]
# #### 练习
#
# **1.** a 的第 0 列是 0, 2, 4, 6, 8, 10。不看表，手算 2 经过 0-1 标准化后是多少。
#
# <details><summary>看答案</summary>
#
# 最小值是 0，极差是 10 − 0 = 10，所以 (2 − 0)/10 = 0.2，与表中一致。
#
# </details>
#
# **2.** 为什么 ε = 1e-08 对普通的列几乎没有影响，却能救下常数列？
#
# <details><summary>看答案</summary>
#
# 普通列的标准差是 3.4157，分母从 σ 变成 σ + ε，结果最多变化 4.3e-09；常数列的每个值都等于均值，分子和标准差都是 0，不加 ε 是 0/0，加了 ε 是 0/ε = 0。
#
# </details>
#
# **3.** Sigmoid 标准化之后，a0 = 4 和 a0 = 10 相差多少？为什么课程更常用前两种方法？
#
# <details><summary>看答案</summary>
#
# sigmoid(4) = 0.9820，sigmoid(10) = 0.99995，只差 0.0179，而原始值相差 6：大于 4 的值几乎都被压到 1，彼此的差别看不出来了。0-1 标准化和 Z-Score 标准化是线性的，不会抹平这种差别。
#
# </details>

# %% [markdown]
# ### 一、2 数据归一化算法执行过程：量纲错配与新数据的预测
#
# $$y = 200\,x_1 - x_2 + 1$$
#
# 数据的真实规律：$x_1$、$x_2$ 是两个特征（按规律本身的单位），$y$ 是标签。
#
# $$\tilde x_1 = 0.1\,x_1, \qquad \tilde x_2 = 10\,x_2$$
#
# $\tilde x_1$、$\tilde x_2$ 是记录下来的值：$x_1$ 用了大十倍的单位，数值变成 0.1 倍；$x_2$ 用了小十倍的单位，数值变成 10 倍。
#
# $$w'_j = w_j\,\sigma_j$$
#
# $w_j$ 是第 $j$ 个特征在记录时的单位下的系数，$\sigma_j$ 是这一列的标准差；Z-Score 标准化后的系数 $w'_j$ 表示这个特征增加一个标准差时 $y$ 的变化。
#
# $$\hat y = \hat y' \cdot (\max(y) - \min(y)) + \min(y)$$
#
# 逆向归一化：$\hat y'$ 是模型在 0-1 标准化后的标签上给出的预测，$\max(y)$、$\min(y)$ 是训练集标签的最大值和最小值，$\hat y$ 是换回标签单位的预测。

# %% [markdown]
# 我们以 0-1 标准化为例，看归一化对量纲的影响和实际建模时的计算流程。假设数据集满足 $y = 200x_1 - x_2 + 1$，但记录数据时量纲错配：第一个特征被缩小为 0.1 倍，第二个特征被放大为 10 倍。

# %%
# 设置随机数种子
np.random.seed(24)
# 扰动项取值为 0.01
features, labels = arrayGenReg(w=[200, -1, 1], delta=0.01)
features[:, :1] = features[:, :1] * 0.1
features[:, 1:2] = features[:, 1:2] * 10
features_raw, labels_raw = features.copy(), labels.copy()  # 留一份量纲错配的原始数据，后面用 gdlab 再做一遍
features

# %% [markdown]
# 此时进行线性回归建模，算得各列线性关系如下：

# %%
np.linalg.lstsq(features, labels, rcond=-1)[0]

# %%
1999.99618924 / -0.09998528

# %% [markdown]
# 为了捕捉第一列更重要的特性，模型算得的第一列系数非常大，两个系数的差异从真实的 200 倍变成了约 20000 倍。这会带来两个问题：一是部分系数太小，引起计算精度问题；二是在判别特征重要性时，容易忽视系数较小的特征。下面先对特征做 0-1 标准化，记下训练数据每列的极值：

# %%
features_max = features[:, :2].max(0)
features_min = features[:, :2].min(0)
features_range = features[:, :2].max(0) - features[:, :2].min(0)
features[:, :2] = maxmin_norm(features[:, :2])
features

# %% [markdown]
# 这里的标签有正有负，而归一化后的特征全是正数，为了方便观察参数，也对标签做归一化（这一步并不是必须的）：

# %%
w = np.linalg.lstsq(features, maxmin_norm(labels), rcond=-1)[0]
w

# %%
-0.00622912 * 200, 0.00410845 * 200

# %% [markdown]
# 第一个特征的重要性远高于第二个特征，课程说二者“基本相差 200 倍”；更准确地说，归一化后的比值约为 -160，它取决于两列各自的极差（见下面的 Z-Score 标准化）。
#
# 对新来的数据，要**用训练数据中算出的极值**进行处理，再带入模型。课程原文的代码在这里省略了对 `features1` 的归一化一步，下面把它补上（不补这一步，预测结果对不上真实标签）。

# %%
features1, labels1 = arrayGenReg(num_examples=100, w=[200, -1, 1], delta=0.01)
features1[:, :1] = features1[:, :1] * 0.1
features1[:, 1:2] = features1[:, 1:2] * 10
features1_raw = features1.copy()
# 用训练数据的极值对新数据做 0-1 标准化
features1[:, :2] = (features1[:, :2] - features_min) / features_range
yhat = features1.dot(w)
yhat[:5]

# %% [markdown]
# 训练参数时标签也做了归一化，所以预测结果还要**逆向归一化**，才回到标签原来的量纲：

# %%
labels_min = labels.min(0)
labels_max = labels.max(0)
labels_range = labels.max(0) - labels.min(0)
yhat = yhat * labels_range + labels_min
yhat[:5]

# %%
# 比较真实标签
labels1[:5]

# %% [markdown]
# **用 gdlab 来做。** 两个 `MinMaxScaler` 分别在训练数据的特征和标签上 `fit`，新数据用同一个特征转换器 `transform`，预测结果用标签转换器的 `inverse_transform` 逆向归一化；`gdlab.datasets.add_intercept` 在最后一列补上全是 1 的截距列，和课程一样。

# %%
from gdlab import datasets

x_scaler = MinMaxScaler().fit(features_raw[:, :2])  # 只在训练数据上 fit
y_scaler = MinMaxScaler().fit(labels)
A = datasets.add_intercept(x_scaler.transform(features_raw[:, :2]))
w_gdlab = np.linalg.lstsq(A, y_scaler.transform(labels), rcond=None)[0]
print("参数与课程的相同：", np.allclose(w_gdlab, w))
A_new = datasets.add_intercept(x_scaler.transform(features1_raw[:, :2]))
yhat_gdlab = y_scaler.inverse_transform(A_new @ w_gdlab)
print("预测与课程的相同：", np.allclose(yhat_gdlab, yhat))
largest_error = np.abs(yhat_gdlab - labels1).max()
print(f"最大预测误差：{largest_error:.4f}")

# %% [markdown]
# 换成 Z-Score 标准化（只对特征）再看两个系数之比。它很接近规律里的 -200，但这只是因为这份数据里两个特征的离散程度几乎相同：归一化以每一列自己的尺度来衡量系数，比值约是 -200 乘以两列标准差之比。

# %%
A_z = datasets.add_intercept(StandardScaler().fit_transform(features_raw[:, :2]))
w_z = np.linalg.lstsq(A_z, labels, rcond=None)[0].ravel()
w_raw = np.linalg.lstsq(features_raw, labels, rcond=None)[0].ravel()
ratio_raw, ratio_z = w_raw[0] / w_raw[1], w_z[0] / w_z[1]
print(f"w1/w2：原始单位 {ratio_raw:,.0f}，Z-Score 标准化 {ratio_z:.1f}")

# %% [markdown]
# **本节的数字。** 下面的单元格运行课程页面上的这一节（`gdlab.report.sections.units`）：同一份数据、同一段代码，按页面的样子显示它的结论和表格。

# %%
section_numbers("units", "zh")

# %% [markdown]
# #### 练习
#
# **1.** x1 的单位放大了 10 倍、x2 的单位缩小了 10 倍，为什么系数之比变大了约 100 倍，而不是 10 倍？
#
# <details><summary>看答案</summary>
#
# 记录值 0.1x1 要配上 10 倍的系数才能给出同样的 y（200 → 2000），10x2 要配上十分之一的系数（-1 → -0.1000）；分子放大 10 倍、分母缩小 10 倍，比值就放大 10 × 10 = 100 倍，得到 -20,003。
#
# </details>
#
# **2.** Z-Score 标准化后比值是 -199.4，和规律里的 -200 很接近。这是否说明 Z-Score 总能还原规律里的比值？
#
# <details><summary>看答案</summary>
#
# 不是。Z-Score 把每个系数乘上这一列的标准差，记录时的单位被抵消，剩下的约是 -200 乘以两个特征（按规律本身的单位）的标准差之比；这份数据里这个比是 0.997，所以比值接近 -200。规律不变、把 x1 的离散程度放大一倍，比值就变成 -398.8。
#
# </details>
#
# **3.** 对新数据，为什么要用训练集的最小值和极差来归一化，而不是用新数据自己的？
#
# <details><summary>看答案</summary>
#
# 模型的系数是在训练集的尺度上学到的；换一套极值，同一个原始值会被映射到别的位置，预测也就跟着偏了。用训练集的极值，100 条新数据的最大误差是 0.0235；用新数据自己的极值，最大误差是 37.8。
#
# </details>

# %% [markdown]
# ### 一、3 数据归一化算法评价：仿射变换不改变数据规律
#
# $$x' = a\,x + b \qquad (a > 0)$$
#
# 仿射变换：把每个值 $x$ 乘上同一个正数 $a$（放缩），再加上同一个数 $b$（平移）；0-1 标准化相当于 $a$ 取极差的倒数、$b$ 取负的最小值除以极差。
#
# $$r = \mathrm{cov}(x, y) / (\sigma_x\,\sigma_y)$$
#
# $r$ 是特征 $x$ 与标签 $y$ 的相关系数：cov(x, y) 是二者的协方差（两者各自减去均值后乘积的平均），$\sigma_x$、$\sigma_y$ 是二者的标准差；$r$ 在 -1 到 1 之间，越接近 1，点越贴近一条上升的直线。

# %% [markdown]
# 线性模型和距离类模型（线性回归、KNN、K-Means 等）会受到各列绝对数值大小的影响，树模型则不受影响。归一化属于仿射变换：平移（减去每列最小值）和放缩（除以每列极差），它不影响数据集的原始分布。对比归一化前后的数据分布：

# %%
# 设置随机数种子
np.random.seed(24)
# 扰动项取值为 0.01
features, labels = arrayGenReg(delta=0.01)
# 绘制图像进行观察
plt.subplot(121)
plt.plot(features[:, 0], labels, "o")
plt.title("原始数据")
plt.subplot(122)
plt.plot(maxmin_norm(features[:, 0]), maxmin_norm(labels), "o")
plt.title("0-1 标准化之后")
plt.show()

# %% [markdown]
# 两团点的形状完全一样，只是坐标轴的刻度变了。相关系数衡量点有多接近一条直线，它在变换前后相同：

# %%
corr_raw = np.corrcoef(features[:, 0], labels[:, 0])[0, 1]
corr_minmax = np.corrcoef(maxmin_norm(features[:, 0]), maxmin_norm(labels)[:, 0])[0, 1]
print(f"相关系数：归一化前 {corr_raw:.6f}，0-1 标准化后 {corr_minmax:.6f}")

# %% [markdown]
# **用 gdlab 来做。** `plot_scaling` 把一、2 中量纲错配的数据放缩前后画在同一坐标系中（等比例坐标轴）：原始数据挤成一条竖线（第一列只有零点几，第二列却有几十），Z-Score 之后成了一团点云。放缩只是把点云整体平移、拉伸，点与点的相对位置不变。

# %%
from gdlab.plotting import plot_scaling

X2 = features_raw[:, :2]  # 一、2 中量纲错配的两列特征
plot_scaling(X2, StandardScaler().fit_transform(X2),
             labels=("原始数据", "Z-Score 标准化"),
             names=("x1（记录时乘 0.1）", "x2（记录时乘 10）"),
             title="放缩前后的数据分布")  # fmt: skip
plt.show()

# %% [markdown]
# **本节的数字。** 下面的单元格运行课程页面上的这一节（`gdlab.report.sections.affine`）：同一份数据、同一段代码，按页面的样子显示它的结论和表格。

# %%
section_numbers("affine", "zh")

# %% [markdown]
# #### 练习
#
# **1.** 把特征乘以一个正数 a、再加上 b，相关系数为什么不变？
#
# <details><summary>看答案</summary>
#
# 协方差里每个 x − 均值都变成原来的 a 倍，b 在减去均值时就消掉了，所以协方差变成 a 倍；x 的标准差也变成 a 倍，二者相除，a 约掉了。实测：归一化前 0.894436，0-1 标准化后 0.894436。
#
# </details>
#
# **2.** 如果 a 是负数（比如把特征取负），相关系数会怎样？
#
# <details><summary>看答案</summary>
#
# 协方差变号，标准差仍是正数，相关系数变成相反数：特征取负后是 -0.894436。点云左右翻转，形状没变。
#
# </details>
#
# **3.** 数据由 y = 2x1 − x2 + 1 生成，x1、x2 是相互独立的标准正态变量。相关系数为什么约是 0.8944？
#
# <details><summary>看答案</summary>
#
# x1 每变化一个标准差，y 变化 2；y 的方差是 2² + 1² = 5（噪声 0.01 可以忽略），所以 r = 2/√5 = 0.8944；1000 条样本上实测是 0.8944。
#
# </details>

# %% [markdown]
# ### 一、3 数据归一化算法评价：归一化的代价是可解释性
#
# $$y = w'_1 x'_1 + w'_2 x'_2 + c'$$
#
# $x'_1$、$x'_2$ 是 Z-Score 标准化后的两个特征，$w'_1$、$w'_2$ 和 $c'$ 是在它们上面拟合出的系数和截距。
#
# $$w_j = \frac{w'_j}{\sigma_j}, \qquad c = c' - \sum_j \frac{w'_j\,\mu_j}{\sigma_j}$$
#
# 把 $x'_j = (x_j - \mu_j)/\sigma_j$ 代回上式，就得到原始单位下的系数 $w_j$ 和截距 $c$；$\mu_j$、$\sigma_j$ 是第 $j$ 列在训练集上的均值和标准差。

# %% [markdown]
# 归一化的代价是可解释性：数据归一化之后失去了量纲，系数也就不能按原来的单位去读。下面在一、2 的数据上做 Z-Score 标准化再拟合，然后用 `gdlab.analysis.coefficients_to_raw` 把系数换回记录时的单位，再乘上记录时的换算系数 (0.1, 10)，回到规律本身的单位。

# %%
from gdlab import analysis
from gdlab.report.data import unit_mismatch_data

# 一、2 的数据，和课程页面用的是同一份
X, y, X_new, y_new = unit_mismatch_data()
print("与上面课程代码的数据相同：", np.allclose(X, features_raw[:, :2]), np.allclose(y, labels_raw.ravel()))
scaler = StandardScaler().fit(X)
w_scaled = np.linalg.lstsq(datasets.add_intercept(scaler.transform(X)), y, rcond=None)[0]
back = analysis.coefficients_to_raw(w_scaled, x_scaler=scaler)
w_raw = np.append(back.coef, back.intercept)
w_law = np.append(back.coef * [0.1, 10], back.intercept)  # 乘上记录时的换算系数，回到规律本身的单位
pd.DataFrame(
    {
        "Z-Score 数据上（每个标准差）": w_scaled,
        "换回记录时的单位（coefficients_to_raw）": w_raw,
        "换回规律本身的单位": w_law,
    },
    index=["w1（x1 的系数）", "w2（x2 的系数）",
           "截距"],
)  # fmt: skip

# %% [markdown]
# Z-Score 数据上的系数是“特征增加一个标准差”时的效应，截距是各特征取均值时的预测；换回原来的单位之后，就是直接在原始数据上做最小二乘得到的系数。归一化是仿射变换，并不改变数据的规律，只改变算法挖掘规律的难度。

# %% [markdown]
# **本节的数字。** 下面的单元格运行课程页面上的这一节（`gdlab.report.sections.interpretability`）：同一份数据、同一段代码，按页面的样子显示它的结论和表格。

# %%
section_numbers("interpretability", "zh")

# %% [markdown]
# #### 练习
#
# **1.** Z-Score 标准化后的截距 -12.23 是什么意思？
#
# <details><summary>看答案</summary>
#
# 标准化后每个特征的均值都是 0，把 x'1 = x'2 = 0 代入模型，预测就是截距：它是各特征取均值时的预测。最小二乘让残差的平均为 0，所以它等于标签的均值 -12.23。
#
# </details>
#
# **2.** x1 的系数在 Z-Score 数据上是 198.05，在记录时的单位下是 2000。二者是什么关系？
#
# <details><summary>看答案</summary>
#
# $w_1 = w'_1/\sigma_1$：记录时的单位下 x1 的标准差是 0.09903，198.05 / 0.09903 ≈ 2000。
#
# </details>
#
# **3.** w1 = 198.05 和规律里的 200 很接近。能不能说 Z-Score 之后的系数就是规律本身的系数？
#
# <details><summary>看答案</summary>
#
# 不能。它是 200 乘以 x1 按规律单位的标准差 0.9903；这份数据里这个标准差恰好接近 1，系数才接近 200。x2 也一样：-0.9931 是 -1 乘以 0.9933。
#
# </details>

# %% [markdown]
# ### 一、3 数据归一化算法评价：树模型不受量纲影响
#
# $$d(p, q) = \sqrt{(p_1 - q_1)^2 + (p_2 - q_2)^2}$$
#
# $p$、$q$ 是两条数据，$p_1, p_2$ 和 $q_1, q_2$ 是它们的两个特征，$d$ 是二者的距离；KNN 找出距离最近的 $k$ 条训练数据，用它们标签的平均值作为预测。
#
# $$x_j \le s \iff a\,x_j + b \le a\,s + b \qquad (a > 0)$$
#
# 决策树的每次切分只问“第 $j$ 个特征 $x_j$ 是否不超过阈值 $s$”；对这一列做 $a > 0$ 的放缩和平移，答案不变。

# %% [markdown]
# 树模型不受量纲影响，距离类模型则受影响。仍用一、2 的数据：前 700 行训练、其余 300 行测试，比较决策树和 KNN 在原始数据和 Z-Score 数据上的预测。标准化器只在训练行上 fit。

# %%
from sklearn.neighbors import KNeighborsRegressor
from sklearn.tree import DecisionTreeRegressor

n_train = 700  # 前这么多行训练，其余测试
X_train, X_test, y_train, y_test = X[:n_train], X[n_train:], y[:n_train], y[n_train:]
scaler = StandardScaler().fit(X_train)  # 只在训练数据上 fit
for name, estimator in (
    ("决策树", DecisionTreeRegressor(random_state=0)),
    ("KNN（k = 5）", KNeighborsRegressor(n_neighbors=5)),
):
    on_raw = estimator.fit(X_train, y_train).predict(X_test)
    on_scaled = estimator.fit(scaler.transform(X_train), y_train).predict(scaler.transform(X_test))
    largest = np.abs(on_raw - on_scaled).max()
    mse_raw, mse_scaled = np.mean((on_raw - y_test) ** 2), np.mean((on_scaled - y_test) ** 2)
    print(f"{name}：两种数据上的预测最大相差 {largest:.3g}，测试均方误差 {mse_raw:,.1f} → {mse_scaled:,.1f}")

# %% [markdown]
# 决策树的每次切分只比较同一列里值的大小，归一化不改变大小顺序，所以两种数据上的预测完全相同；KNN 依靠距离，原始数据上 x2 的数值大得多，距离几乎只由它决定，归一化之后预测好得多。

# %% [markdown]
# **本节的数字。** 下面的单元格运行课程页面上的这一节（`gdlab.report.sections.trees`）：同一份数据、同一段代码，按页面的样子显示它的结论和表格。

# %%
section_numbers("trees", "zh")

# %% [markdown]
# #### 练习
#
# **1.** 为什么归一化对决策树毫无影响？
#
# <details><summary>看答案</summary>
#
# 树的每次切分只比较同一列里两个值谁大谁小；$a > 0$ 的仿射变换不改变大小顺序，所以同样的切分分出同样的数据，预测也一样：两种数据上的预测最大相差 0。
#
# </details>
#
# **2.** 原始数据上的 KNN 为什么这么差？
#
# <details><summary>看答案</summary>
#
# x1 记录时乘了 0.1，x2 乘了 10，x2 的标准差是 x1 的 97 倍，距离几乎只由 x2 决定；可标签主要由 x1 决定（规律里的系数是 200 对 -1）。于是“最近的邻居”在 x1 上并不近，测试均方误差是 19,694；Z-Score 标准化之后，两列对距离的贡献相当，误差降到 280。
#
# </details>

# %% [markdown]
# ### 一、3 数据归一化算法评价：等高线与收敛速度
#
# $$f(w) = \frac{1}{m}\lVert Xw - y\rVert^2$$
#
# f 是损失（均方误差）：m 是数据的行数（这里 m = 2），X 是特征矩阵（第二列全是 1，对应截距），y 是标签，w = (w1, w2) 是要找的参数。
#
# $$w \leftarrow w - \eta \nabla f(w)$$
#
# 梯度下降的一步：∇f(w) 是损失在 w 处的梯度，指向上坡最陡的方向；η 是学习率；箭头表示用右边算出的值替换 w。
#
# $$\kappa = \frac{L}{\mu}$$
#
# L 是损失在最陡方向上的弯曲程度，μ 是在最平缓方向上的弯曲程度（它们是海森矩阵 2XᵀX/m 的最大、最小特征值，不熟悉这个词也没关系）；条件数 κ 等于 1 时等高线是正圆，κ 越大，等高线越扁。
#
# $$0 < \eta < \frac{2}{L}$$
#
# 稳定条件：沿最陡方向，每一步把离最小值点的距离乘以 1 − ηL；只有 |1 − ηL| < 1，也就是 η 小于 2/L 时距离才会缩小，否则每一步都被放大。
#
# $$q = \max\left(|1 - \eta L|,\ |1 - \eta \mu|\right),\qquad q^k \le \text{tol}$$
#
# q 是每一步的误差倍数：每一步离最小值点的距离至多变为上一步的 q 倍，k 步后至多是 q 的 k 次方倍；满足 q^k ≤ tol（这里 tol = 0.001）的最小 k 就是理论步数。学习率取 2/(L+μ) 时 q 最小，等于 (κ − 1)/(κ + 1)。

# %% [markdown]
# 对于梯度下降，归一化更重要的作用是**加快收敛**：归一化之后损失函数的等高线更加均匀，参数每次移动的方向更接近最小值点所在的方向。下面用课程的等高线案例，对比归一化前后的收敛轨迹。

# %%
# 创建数据及进行深拷贝
x = np.array([[1, 1], [3, 1]])
x_norm = np.copy(x)
x_norm[:, :1] = z_score(x_norm[:, :1])
y = np.array([[2], [4]])
x_norm

# %%
np.random.seed(24)
w = np.random.randn(2, 1)
w_norm = np.copy(w)
w0 = w.ravel().copy()  # 留下初始参数，后面用 gdlab 再跑一遍
w, w_res = w_cal_rec(x, w, y, gd_cal=lr_gd, lr=0.1, itera_times=100)
w_norm, w_res_norm = w_cal_rec(x_norm, w_norm, y, gd_cal=lr_gd, lr=0.1, itera_times=100)
plt.subplot(121)
# 网格点坐标
x1, x2 = np.meshgrid(np.arange(1, 2, 0.001), np.arange(-1, 1, 0.001))
# 绘制等高线图
plt.contour(x1, x2, (2 - x1 - x2) ** 2 + (4 - 3 * x1 - x2) ** 2)
# 参数点移动轨迹图
plt.plot(np.array(w_res)[:, 0], np.array(w_res)[:, 1], "-o", color="#ff7f0e")
plt.title("原始数据")
plt.subplot(122)
# 网格点坐标
x1, x2 = np.meshgrid(np.arange(0, 4, 0.01), np.arange(-1, 3, 0.01))
# 绘制等高线图
plt.contour(x1, x2, (2 + x1 - x2) ** 2 + (4 - x1 - x2) ** 2)
# 参数点移动轨迹图
plt.plot(np.array(w_res_norm)[:, 0], np.array(w_res_norm)[:, 1], "-o", color="#ff7f0e")
plt.title("Z-Score 标准化")
plt.show()

# %% [markdown]
# 经过归一化的数据，损失函数等高线更加均匀，收敛效率更高。梯度下降每一步沿着垂直于等高线的方向移动，但这个“最快方向”只在出发的一瞬间成立；等高线均匀时，外圈的垂直方向也就是内圈的垂直方向，相同的移动能更大程度地降低损失，所以只需要更少的迭代就能抵达最小值点。
#
# **用 gdlab 来做。** `descend` 用全批量梯度下降（`batch_size=None`）、学习率 0.1 跑 100 轮，结果就是课程 `w_cal_rec` 的轨迹；`raw_vs_scaled_contours` 画出两张等高线图，标题里的条件数 κ = L/μ 说明了等高线有多扁：κ 越接近 1，等高线越圆。

# %%
from gdlab import analysis
from gdlab.models import LeastSquares
from gdlab.optim import descend
from gdlab.plotting import raw_vs_scaled_contours

model = LeastSquares()
run = descend(model, x, y, lr=0.1, epochs=100, w0=w0)
run_norm = descend(model, x_norm, y, lr=0.1, epochs=100, w0=w0)
print("与课程的轨迹相同：", np.allclose(run.params, np.hstack(w_res).T),
      np.allclose(run_norm.params, np.hstack(w_res_norm).T))  # fmt: skip
path = "学习率 0.1"
raw_vs_scaled_contours(
    model, x, x_norm, y, {path: run}, {path: run_norm},
    titles=("原始数据（κ = {kappa:.4g}）", "Z-Score 之后（κ = {kappa:.4g}）"),
    contour_kw={
        "xlabel": "w1（第一列的系数）",
        "ylabel": "w2（第二列的系数）",
        "optimum_label": "最小值点 w*",
        "path_label": "{name}（{steps} 步）",
    },
)  # fmt: skip
plt.show()
kappa_raw = analysis.conditioning(x, intercept=False).kappa
kappa_norm = analysis.conditioning(x_norm, intercept=False).kappa
print(f"条件数 κ：归一化前 {kappa_raw:.4g}，Z-Score 之后 {kappa_norm:.4g}")

# %% [markdown]
# 一次梯度下降的全部记录都在 `Trajectory` 里；在 Jupyter 中直接显示它，可以看到停止的原因、轮数与更新次数、损失的变化和一条小小的损失曲线。

# %%
run_norm

# %% [markdown]
# **在 Jupyter 里动手试。** 下面的单元格把课程页面上的这个实验放进笔记本：拖动起点、输入学习率、播放每一步，计算用的就是页面自己的 JavaScript。它需要 `pip install "gdlab[notebook]"` 安装的 JupyterLab 和 anywidget；在没有小部件前端的地方（比如终端），它只显示一句说明，上面的静态图代替它。

# %%
from gdlab.report.widget import lab

lab("contours", lang="zh")

# %% [markdown]
# **本节的数字。** 下面的单元格运行课程页面上的这一节（`gdlab.report.sections.contours`）：同一份数据、同一段代码，按页面的样子显示它的结论和表格。

# %%
section_numbers("contours", "zh")

# %% [markdown]
# #### 练习
#
# **1.** 把学习率设为 0.18：原始数据一侧的路径会怎样？为什么？
#
# <details><summary>看答案</summary>
#
# 0.18 超过了原始数据的稳定上限 2/L = 0.1716：沿最陡方向每一步距离乘以 |1 − 0.18 L|，大于 1，路径在山谷两壁之间越跳越远，最终发散。Z-Score 一侧的上限是 1，0.18 仍然收敛。
#
# </details>
#
# **2.** 在 Z-Score 一侧把学习率设为 0.5，为什么一步就到了最小值点？
#
# <details><summary>看答案</summary>
#
# Z-Score 之后海森矩阵是 2 倍的单位矩阵，L = μ = 2（κ = 1）。学习率 0.5 = 1/L，每一步的误差倍数 q = |1 − 0.5 × 2| = 0，一步就消掉了全部误差。
#
# </details>
#
# **3.** 学习率为 0.1 时，原始数据理论上需要 198 步，实测 198 步。实测步数为什么不会比理论步数多？
#
# <details><summary>看答案</summary>
#
# 理论步数用的是最坏情况：每一步距离至多变为上一步的 q 倍，所以 q^k ≤ 0.001 时一定已经到了。实际的距离可能比最坏情况缩得更快（0-1 标准化就是：理论 178，实测 148），所以实测步数只会更少或相等。
#
# </details>

# %% [markdown]
# ### 一、4 Z-Score 标准化算法评价及横向对比：保留极端值
#
# $$z_i = \frac{x_i - \mu}{\sigma}$$
#
# $x_i$ 是一列中的第 $i$ 个值，$\mu$、$\sigma$ 是这一列的均值和标准差（除以 $n$），$z_i$ 表示它离均值有几个标准差。
#
# $$\sum_i z_i = 0, \qquad \sum_i z_i^2 = n$$
#
# $n$ 是这一列值的个数：减去均值后总和是 0；除以标准差后平方和恰好是 $n$，这正是标准差的定义。
#
# $$|z_i| \le \sqrt{n - 1}$$
#
# 某个值的 $|z_i|$ 越大，其余 $n - 1$ 个值就要合起来把总和拉回 0；它们全都相等时平方和最小，再由平方和等于 $n$ 得到这个上限。

# %% [markdown]
# Z-Score 标准化生成 Zero-Centered Data，在深度学习领域备受欢迎；对于标签有正有负的回归问题，使用 Z-Score 能够避免对标签进行归一化；原始数据服从正态分布时，处理之后服从标准正态分布。此外还有一点非常实用：相比 0-1 标准化，Z-Score 标准化能够**保留极端值的分布**。

# %%
a = np.arange(8).reshape(4, 2)
a[1, 1] = 100
a

# %%
maxmin_norm(a)

# %% [markdown]
# 由于极端值的存在，0-1 标准化把第二列的其他数值压缩在一个非常小的范围内。而采用 Z-Score 标准化：

# %%
z_score(a)

# %% [markdown]
# 极端值仍然是极端值（相对该列其他数值而言），这时就可以用极端值处理方法（删除或者盖帽）来处理它。不过 Z-Score 需要计算均值和方差，计算量更大。
#
# **用 gdlab 来做。** 同样的对比；`RobustScaler` 用中位数和四分位距，极端值对其他数值的影响更小。

# %%
from gdlab.scaling import RobustScaler

pd.DataFrame(
    {
        "原始数据": a[:, 1],
        "0-1 标准化": MinMaxScaler().fit_transform(a)[:, 1],
        "Z-Score 标准化": StandardScaler().fit_transform(a)[:, 1],
        "RobustScaler": RobustScaler().fit_transform(a)[:, 1],
    }
)

# %% [markdown]
# 要注意 Z-Score 的读数有上限：n 个值的 z 总和是 0、平方和恰好是 n，所以任何一个 |z| 都不会超过 √(n − 1)。课程的例子只有 4 行，极端值 100 的 z 已经贴着上限 √3：

# %%
z = z_score(a)
n, z_max, cap = len(a), np.abs(z).max(), np.sqrt(len(a) - 1)
print(f"n = {n}：|z| 最大 {z_max:.4f}，上限 √(n − 1) = {cap:.4f}")

# %% [markdown]
# 所以常用的“超过 3 个标准差”的规则，一列至少要有 11 个值才可能标出极端值。换成课程页面上更长的一列（50 个 5 附近的普通值加一个 100），这条规则就能找出极端值，再盖帽（把它拉回到其余值的范围内）：

# %%
rng = np.random.default_rng(24)
column = np.append(5 + rng.standard_normal(50), 100.0)
threshold = 3.0
z = StandardScaler().fit_transform(column[:, None]).ravel()
n, cap = len(column), np.sqrt(len(column) - 1)
print(f"{n} 个值：极端值的 z = {z[-1]:.2f}，上限 √(n − 1) = {cap:.2f}")
kept = column[np.abs(z) <= threshold]
capped = np.clip(column, kept.min(), kept.max())  # 盖帽：超过界限的值拉回到其余值的范围内
sd, sd_capped = column.std(), capped.std()
print(f"标准差：盖帽前 {sd:.2f}，盖帽后 {sd_capped:.2f}")

# %% [markdown]
# **本节的数字。** 下面的单元格运行课程页面上的这一节（`gdlab.report.sections.outliers`）：同一份数据、同一段代码，按页面的样子显示它的结论和表格。

# %%
section_numbers("outliers", "zh")

# %% [markdown]
# #### 练习
#
# **1.** 为什么 4 行数据的 z 不可能超过 1.73？
#
# <details><summary>看答案</summary>
#
# n 个 z 的总和是 0、平方和是 n。设其中一个是 z，其余 n − 1 个的总和就是 −z；它们全相等（每个都是 −z/(n − 1)）时平方和最小，等于 z²/(n − 1)。于是 z² + z²/(n − 1) ≤ n，解得 |z| ≤ √(n − 1)。n = 4 时上限是 √3 = 1.7321，课程例子里的 1.7297 已经非常接近它。
#
# </details>
#
# **2.** 一列至少要有多少个值，“超过 3 个标准差”的规则才可能找出极端值？
#
# <details><summary>看答案</summary>
#
# 要 √(n − 1) > 3，即 n > 3² + 1，所以至少要 11 个值；少一个时上限只有 3.00，一个值都标不出来。
#
# </details>
#
# **3.** 为什么 0-1 标准化之后看不出极端值有多极端？
#
# <details><summary>看答案</summary>
#
# 0-1 标准化之后最大值总是 1、最小值总是 0，不论极端值是 100 还是更大，它只说明“这是最大值”，而普通值被挤进宽 0.046 的一段。Z-Score 以标准差为单位：51 个值时，极端值在 7.05 个标准差处。
#
# </details>

# %% [markdown]
# ## 二、梯度下降算法优化初阶
#
# 本部分数据集：按课程的规律 y = 200x₁ − x₂ + 1 生成 1,000 行数据，加上标准差为 1 的噪声；记录时 x₁ 乘了 0.1、x₂ 乘了 10（量纲错配，和一、2 相同），两个特征的相关系数为 0.9（实际测量的特征常常相关）。第二部分的每一节都用这份数据，每次都从 w = 0 出发。
#
# ### 二、1 数据归一化与梯度下降算法优化
#
# $$\eta = c \cdot \frac{2}{L}$$
#
# 三种数据用同一个 c，但各自的 L 不同，所以学习率 η 也不同：每种数据都取到它自己稳定上限的同一比例。
#
# $$\lVert w_k - w^* \rVert \le q^k \lVert w_0 - w^* \rVert$$
#
# w* 是最小值点，w_k 是第 k 轮的参数，q 是每一轮的误差倍数（见一、3）；κ 越大，q 越接近 1，需要的轮数越多。

# %% [markdown]
# 这一部分的四个小节，本课第一篇的原文只在目录里列出了标题。下面的代码按课程的写法（`w_cal`、`sgd_cal`、`MSELoss`）来做，用的是课程页面第二部分的同一份数据：本部分数据集。它用 `gdlab.report.data.regression_problem` 生成，截距列放在最后，和课程的 `arrayGenReg` 一样。

# %%
from gdlab.report.data import regression_problem

# 本部分数据集：和课程页面用的是同一份数据
X, y = regression_problem()
# 截距列放在最后，和 arrayGenReg 一样
features = np.column_stack([X, np.ones(len(X))])
labels = y.reshape(-1, 1)
features_minmax = np.copy(features)
features_minmax[:, :2] = maxmin_norm(features_minmax[:, :2])
features_norm = np.copy(features)
features_norm[:, :2] = z_score(features_norm[:, :2])
features[:5]

# %% [markdown]
# 用同一个学习率比较原始数据和标准化后的数据并不公平：每种数据能用的学习率上限不同。损失 MSE 的海森矩阵是 2XᵀX/m，它最大的特征值 L 是最陡方向的曲率，固定学习率只有小于 2/L 才稳定（见一、3 和附录 2）。所以三种数据都取各自 2/L 的 95%，做 5,000 轮全批量梯度下降，记录每一轮的 MSE 和离最小值点的距离。

# %%
def stable_limit(A):
    "稳定上限 2/L：L 是海森矩阵 2XᵀX/m 最大的特征值。"
    return 2 / np.linalg.eigvalsh(2 * A.T @ A / len(A)).max()


designs = {
    "原始数据": features,
    "0-1 标准化": features_minmax,
    "Z-Score 标准化": features_norm,
}
fraction = 0.95  # 每种数据都取各自 2/L 的这个比例
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
                   "未达到（> 5,000）")  # fmt: skip
    print(f"{name}：学习率 {lr:.4g}，离最小值点的距离缩小到初始的 {rtol:g} 所需的轮数：{reached}")

# %%
for name, gap in gaps.items():
    plt.plot(range(1, epochs + 1), np.maximum(gap, 1e-16), label=name)
plt.yscale("log")
plt.xlabel("轮数（epoch）")
plt.ylabel("损失与最小值之差 f − f*")
plt.title("损失与最小值之差，逐轮（全批量）")
plt.legend()
plt.show()

# %% [markdown]
# 对数坐标下，与最小值之差每一轮按固定倍数缩小，就是一条直线；直线越陡，收敛越快。原始数据的曲线几乎是平的。
#
# **用 gdlab 来做。** `analysis.conditioning` 算出三种数据的条件数 κ、稳定上限 2/L 和最快的固定学习率 2/(L+μ)；`descend` 用同样的学习率跑同样的轮数，`loss_curves` 画出与最小值之差。

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
zscored = "Z-Score 标准化"
same = np.allclose(runs[zscored].loss[1:] - f_stars[zscored], gaps[zscored])
print("与课程的 MSE 相同：", same)
f_star = model.loss(model.optimum(features_norm, labels), features_norm, labels)
loss_curves(runs, optimum=f_star, title="损失与最小值之差，逐轮（全批量）",
            xlabel="轮数（epoch）",
            ylabel="损失与最小值之差 f − f*")  # fmt: skip
plt.show()

# %% [markdown]
# Z-Score 之后 κ 只有 21.6，原始数据却是 58,870：同样取 2/L 的 95%，Z-Score 几百轮就走到了最小值点附近，原始数据 5,000 轮还远没有到。两个特征高度相关，所以 Z-Score 之后 κ 仍然大于 1，后面几节的学习率调度和小批量，要解决的正是剩下的这一部分。

# %% [markdown]
# **本节的数字。** 下面的单元格运行课程页面上的这一节（`gdlab.report.sections.speed`）：同一份数据、同一段代码，按页面的样子显示它的结论和表格。

# %%
section_numbers("speed", "zh")

# %% [markdown]
# #### 练习
#
# **1.** 0-1 标准化之后 κ 仍有 636，为什么比 Z-Score 的 21.6 大这么多？
#
# <details><summary>看答案</summary>
#
# 0-1 标准化后特征都在 0 到 1 之间，都是正数，和截距那一列（全是 1）高度相关，损失在某个方向上仍然很平。Z-Score 把每列的均值移到 0，特征与截距列不再相关，只剩两个特征之间 0.9 的相关。
#
# </details>
#
# **2.** c = 0.95 时，Z-Score 理论上需要 150 轮。最快的固定学习率 2/(L+μ) 对应的 c 是多少？
#
# <details><summary>看答案</summary>
#
# c = (2/(L+μ)) / (2/L) = L/(L+μ) = κ/(κ+1) = 0.956。这时每一轮的误差倍数 q = (κ − 1)/(κ + 1) 最小。
#
# </details>

# %% [markdown]
# ### 二、2 学习率调度：指数衰减
#
# $$\eta_i = \eta_0 \, \gamma^{i}$$
#
# η₀ 是初始学习率 lr_init，γ 是衰减系数（0 < γ < 1），η_i 是第 i 轮的学习率。
#
# $$\sum_{i \ge 0} \eta_0 \gamma^{i} = \frac{\eta_0}{1 - \gamma}$$
#
# 所有轮的学习率加起来不会超过 η₀/(1 − γ)：梯度下降能走的总路程有上限。

# %% [markdown]
# 学习率调度的基本思想是：迭代开始时学习率大一些，随着迭代进行逐渐减小。课程使用指数衰减 $lr_i = lr_{init} \cdot \gamma^i$，写成 `lr_lambda = lambda epoch: 0.95 ** epoch`，每一轮调整一次；本节取 γ = 0.95。数据是本部分数据集 Z-Score 标准化之后的数据，初始学习率用 2/L 的倍数给出：1.25 × 2/L 超过了稳定上限，0.25 × 2/L 则远小于它。

# %%
lr_lambda = lambda epoch: 0.95 ** epoch  # noqa: E731

limit = stable_limit(features_norm)  # 本部分数据集 Z-Score 之后的稳定上限 2/L
epochs = 150
# 损失在 w = 0 处和最小值点处的值
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
    print(f"lr_init = {factor:g} × 2/L：{epochs} 轮后的相对损失差，固定学习率 {relative_fixed:.3g}，指数衰减 {relative_decay:.3g}")

# %% [markdown]
# 相对损失差 (f − f*)/(f₀ − f*) 是损失还剩初始差距的几分之几。学习率过大时，固定学习率发散，而衰减能让它先震荡、再收敛；学习率本来就很小时，衰减反而让收敛变慢。
#
# **用 gdlab 来做。** `schedules.exponential(lr=..., gamma=...)` 就是课程的衰减；它是一个纯函数 `lr = s(t)`，可以打印、保存，在 Jupyter 中显示为它的文字形式和一条学习率曲线。

# %%
from gdlab import schedules
from gdlab.plotting import plot_schedules

too_large, small = 1.25, 0.25
decay_schedule = schedules.exponential(lr=too_large * limit, gamma=0.95)
decay_schedule

# %%
plot_schedules(
    {
        "固定学习率": schedules.constant(too_large * limit),
        "衰减学习率": decay_schedule,
        "稳定上限 2/L": schedules.constant(limit),
    },
    steps=epochs,
    logy=True,
    title="每一轮的学习率",
    xlabel="轮数（epoch）",
    ylabel="学习率",
)
plt.show()

# %% [markdown]
# `descend` 接受一个学习率调度作为 `lr`，每一轮取一次学习率；`loss_curves` 画出与最小值之差。

# %%
decay_runs = {}
for name, lr in (
    ("lr_init = 1.25 × 2/L，固定", too_large * limit),
    ("lr_init = 1.25 × 2/L，衰减", decay_schedule),
    ("lr_init = 0.25 × 2/L，固定", small * limit),
    ("lr_init = 0.25 × 2/L，衰减",
     schedules.exponential(lr=small * limit, gamma=0.95)),
):  # fmt: skip
    decay_runs[name] = descend(model, features_norm, labels, lr=lr, epochs=epochs, w0=np.zeros(3))
large_decay = decay_runs["lr_init = 1.25 × 2/L，衰减"]
print("与课程的 MSE 相同：", np.allclose(large_decay.loss[1:], histories[too_large][1]))
loss_curves(decay_runs, optimum=f_star, title="固定学习率与指数衰减：损失与最小值之差，逐轮",
            xlabel="轮数（epoch）",
            ylabel="损失与最小值之差",
            diverged_label="{label}（发散）")  # fmt: skip
plt.show()
decay_runs["lr_init = 1.25 × 2/L，固定"]

# %% [markdown]
# 初始学习率取 2/L 的 1.25 倍时，固定学习率发散，而每轮乘以 0.95 的指数衰减让它收敛：从第 31 轮起，相对损失差一直在 0.001 以内。初始学习率只有 2/L 的 0.25 倍时，衰减反而拖慢了收敛：150 轮后相对损失差为 1.8e-02，固定学习率则是 4.0e-05。
#
# 还有一种根据损失来调整学习率的方法：损失不再下降时把学习率乘上一个系数。它不是学习率调度（学习率不只取决于轮数），gdlab 把它做成一个带显式状态的控制器 `ReduceOnPlateau`：

# %%
rop = schedules.ReduceOnPlateau(factor=0.5, patience=1)
state = rop.init()
for loss in [1.0, 0.9, 0.9, 0.9]:
    state = rop.update(state, loss)
print("当前学习率：", rop.apply(state, 0.2))
rop

# %%
state

# %% [markdown]
# **在 Jupyter 里动手试。** 下面的单元格把课程页面上的这个实验放进笔记本：拖动起点、输入学习率、播放每一步，计算用的就是页面自己的 JavaScript。它需要 `pip install "gdlab[notebook]"` 安装的 JupyterLab 和 anywidget；在没有小部件前端的地方（比如终端），它只显示一句说明，上面的静态图代替它。

# %%
from gdlab.report.widget import lab

lab("decay", lang="zh")

# %% [markdown]
# **本节的数字。** 下面的单元格运行课程页面上的这一节（`gdlab.report.sections.decay`）：同一份数据、同一段代码，按页面的样子显示它的结论和表格。

# %%
section_numbers("decay", "zh")

# %% [markdown]
# #### 练习
#
# **1.** 为什么 γ = 0.99 救不了 1.25 × 2/L 的初始学习率？
#
# <details><summary>看答案</summary>
#
# 学习率降到 2/L 以下需要 ln(1/1.25) / ln(0.99) ≈ 22 轮；在这之前，每一轮离最小值点的距离都被放大，损失早就超过起点的 1000 倍，被判定为发散。
#
# </details>
#
# **2.** 初始学习率为 0.25 × 2/L、γ = 0.95 时，学习率一共最多能加到多少？这对收敛意味着什么？
#
# <details><summary>看答案</summary>
#
# γ 的各次幂之和不超过 1/(1 − γ)，所以学习率之和至多是 2.62；固定学习率 150 轮加起来是 19.6。能走的总路程小了，所以衰减后相对损失差停在 1.8e-02，比固定学习率的 4.0e-05 大。
#
# </details>

# %% [markdown]
# ### 二、3 小批量梯度下降与迭代收敛速度
#
# $$\nabla f_B(w) = \frac{2}{b} X_B^{\top}(X_B w - y_B)$$
#
# B 是一个小批量（b 行数据），X_B、y_B 是这几行的特征和标签；用这几行的梯度代替全部数据的梯度，算得快，但带有噪声。
#
# $$\left\lceil \frac{m}{b} \right\rceil$$
#
# 每一轮的更新次数：m 是数据的行数，b 是批量大小，向上取整（最后一个不满的批量也保留）。

# %% [markdown]
# 小批量梯度下降每一轮做 ⌈m / batch_size⌉ 次更新，最后一个不完整的批次也保留；batch_size 为 1 就是随机梯度下降，为 m 就是全批量梯度下降。按轮数计算，小批量比全批量收敛快得多；但学习率固定时，随机梯度下降和小批量最后会停在最小值附近的一个波动带里。下面所有批量都用同一个学习率 0.25 × 2/L，做 20 轮。

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
    print(f"batch_size = {batch_size:4d}：最后 {tail} 轮的平均 MSE − f* 为 {band:.3g}")

# %% [markdown]
# 批量越小，每一轮的更新越多，前几轮下降得越快；但最后几轮的平均损失差也越大：几行数据的梯度在最小值点并不为 0，参数停不下来。
#
# **用 gdlab 来做。** `descend` 的 `batch_size=None` 是全批量，`1` 是随机梯度下降，`k` 是小批量；`seed` 决定每一轮的打乱顺序（课程的 `sgd_cal` 每一轮都用同一个随机种子打乱，顺序每轮相同，所以它的数字和这里的不同）。最后一条曲线给随机梯度下降加上指数衰减（每轮乘以 0.9），波动带随之收窄。

# %%
full = "全批量"
batch_runs = {full: descend(model, features_norm, labels, lr=lr, epochs=epochs, w0=np.zeros(3))}
for batch_size in (50, 10, 1):
    name = f"批量 {batch_size}"
    batch_runs[name] = descend(model, features_norm, labels, lr=lr, epochs=epochs,
                               batch_size=batch_size, seed=24, w0=np.zeros(3))  # fmt: skip
gamma = 0.9
batch_runs[f"批量 1 + 衰减 × {gamma:g}"] = descend(
    model, features_norm, labels, lr=schedules.exponential(lr=lr, gamma=gamma), epochs=epochs,
    batch_size=1, seed=24, w0=np.zeros(3),
)  # fmt: skip
loss_curves(batch_runs, optimum=f_star, title="损失与最小值之差 f − f*，逐轮",
            xlabel="轮数（epoch）",
            ylabel="损失与最小值之差")  # fmt: skip
plt.show()
updates, final = "每轮更新次数", f"最后 {tail} 轮的平均 MSE − f*"
pd.DataFrame({name: {updates: r.n_steps // epochs, final: np.mean(r.loss[-tail:]) - f_star}
              for name, r in batch_runs.items()}).T  # fmt: skip

# %% [markdown]
# 课程页面上的这一节更进一步：每种批量在同一组候选学习率里挑出自己最好的一个，并且每种设置打乱 8 次，看结果的范围。

# %% [markdown]
# **本节的数字。** 下面的单元格运行课程页面上的这一节（`gdlab.report.sections.minibatch`）：同一份数据、同一段代码，按页面的样子显示它的结论和表格。

# %%
section_numbers("minibatch", "zh")

# %% [markdown]
# #### 练习
#
# **1.** 批量 10 每轮有多少次更新？为什么按轮数算它比全批量快？
#
# <details><summary>看答案</summary>
#
# ⌈1000/10⌉ = 100 次，而全批量每轮只有 1 次。同样把数据读一遍，小批量走了 100 步。
#
# </details>
#
# **2.** 学习率都取 0.25 × 2/L 时，为什么批量 1 的波动带（1.21）比批量 50 的（0.00959）宽？
#
# <details><summary>看答案</summary>
#
# 用 b 行数据估计的梯度，噪声的方差大约与 1/b 成正比：在最小值点附近，批量越小，每一步的随机晃动越大。
#
# </details>

# %% [markdown]
# ### 二、4 梯度下降组合优化策略
#
# $$f - f^* \le \tau \, f^*$$
#
# f* 是能达到的最小损失，f − f* 是当前损失比它多出的部分；τ = 0.01 是目标：从某一轮起这个差一直不超过 τ f*，就算达到目标。

# %% [markdown]
# 把前面的方法组合起来：Z-Score 标准化 + 小批量梯度下降 + 学习率指数衰减，仍然用本部分数据集。每批 50 行，共 30 轮；学习率和衰减系数用课程页面在候选值里为三者合用挑出的设置：学习率 1 × 2/L，γ = 0.8。目标是损失与最小值之差一直不超过 f* 的 1%。

# %%
batch_size, num_epoch = 50, 30
fraction, gamma = 1.0, 0.8  # 课程页面为三者合用挑出的设置
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
print(f"从第 {settled} 轮起，MSE − f* 一直不超过 f* 的 {target:.0%}；最后一轮为 {last:.3g}" if settled < len(gaps) else f"{num_epoch} 轮内没有一直保持在 f* 的 {target:.0%} 以内")

# %% [markdown]
# **用 gdlab 来做。** 同样的组合：`descend` 用 `batch_size=50`、`seed=24` 和 `schedules.exponential`，和课程页面算的是同一次运行，所以到达目标的轮数和页面相同。

# %%
combined = descend(model, features_norm, labels, lr=schedules.exponential(lr=fraction * limit, gamma=gamma),
                   epochs=num_epoch, batch_size=batch_size, seed=24, w0=np.zeros(3))  # fmt: skip
gaps = np.asarray(combined.loss) - f_star
above = np.flatnonzero(gaps > target * f_star)
settled, last = (int(above[-1]) + 1 if len(above) else 0), gaps[-1]
print(f"从第 {settled} 轮起，MSE − f* 一直不超过 f* 的 {target:.0%}；最后一轮为 {last:.3g}" if settled < len(gaps) else f"{num_epoch} 轮内没有一直保持在 f* 的 {target:.0%} 以内")
combined

# %% [markdown]
# 最后，用 `analysis.compare` 在同一个预算、同一个学习率下比较各种组合（标准化方法 × 学习率调度 × 批次大小），它返回一张表，每一行是一次运行。原始数据的 2/L 小得多，这个学习率在原始数据上会发散。

# %%
table = analysis.compare(
    model, X, y, scalers=["none", "zscore"],
    schedules=[fraction * limit, schedules.exponential(lr=fraction * limit, gamma=gamma)],
    batch_sizes=[None, batch_size], epochs=num_epoch, seed=24,
)  # fmt: skip
table[["scaler", "schedule", "batch_size", "final_loss", "status"]]

# %% [markdown]
# **本节的数字。** 下面的单元格运行课程页面上的这一节（`gdlab.report.sections.combined`）：同一份数据、同一段代码，按页面的样子显示它的结论和表格。

# %%
section_numbers("combined", "zh")

# %% [markdown]
# #### 练习
#
# **1.** 去掉衰减，为什么要到 27 轮才一直在目标以内？
#
# <details><summary>看答案</summary>
#
# 固定学习率的小批量在最小值附近有一条波动带；目标（f* 的 1%）很严，带的上沿时不时超出目标，要很晚才能一直待在目标以内。衰减让带收窄到目标以下，所以三者合用只要 6 轮。
#
# </details>
#
# **2.** 为什么八种组合的 f* 都相同？
#
# <details><summary>看答案</summary>
#
# 标准化是对特征的仿射变换，加上截距之后，线性模型能表示的函数没有变，最小二乘能达到的最小损失也不变（原始数据和 Z-Score 的 f* 相对相差小于 1e-12）；学习率、批量和衰减只影响怎样走到最小值，不改变最小值本身。
#
# </details>

# %% [markdown]
# ## 附录：理论与实测
#
# ### 附录 1 缩放前后的条件数
#
# $$f(w) = \frac{1}{m} \sum_i (x_i^\top w - y_i)^2$$
#
# $f$ 是均方误差：$m$ 是数据的行数，$x_i$ 是第 $i$ 行的特征（最后一个分量是 1，对应截距），$w$ 是参数，$x_i^\top w$ 是对这一行的预测，$y_i$ 是它的标签。
#
# $$f(w^* + h\,u) = f(w^*) + \tfrac12\, c(u)\, h^2$$
#
# $w^*$ 是最小值点，$u$ 是一个长度为 1 的方向，$h$ 是沿这个方向走的距离，$c(u)$ 是这个方向上的曲率：碗壁越陡，$c(u)$ 越大（$f$ 是二次函数，这个式子是精确的）。
#
# $$L = \max_u c(u), \qquad \mu = \min_u c(u), \qquad \kappa = \frac{L}{\mu}$$
#
# $L$ 是最陡方向的曲率，$\mu$ 是最平缓方向的曲率，$\kappa$ 是条件数：等高线椭圆的长轴是短轴的 $\sqrt\kappa$ 倍，$\kappa = 1$ 时是正圆。

# %% [markdown]
# 附录把前文用到的几个量讲清楚。均方误差的海森矩阵是 2XᵀX/m，它最大的特征值 L 是最陡方向的曲率，最小的特征值 μ 是最平缓方向的曲率，κ = L/μ 是条件数。用 NumPy 直接算二、1 的三种数据：

# %%
# 海森矩阵 2XᵀX/m 最小和最大的特征值：μ 和 L
for name, A in designs.items():
    mu, L = np.linalg.eigvalsh(2 * A.T @ A / len(A))[[0, -1]]
    kappa = L / mu
    print(f"{name}：L = {L:.4g}，μ = {mu:.4g}，κ = {kappa:,.1f}")

# %% [markdown]
# **用 gdlab 来做。** `analysis.conditioning_table` 对原始数据和 gdlab 的每一种标准化器算出 L、μ、κ、稳定上限 2/L、最快的固定学习率 2/(L+μ)，以及这个学习率下的理论步数。

# %%
from gdlab.scaling import SCALERS

X, y = regression_problem()
table = analysis.conditioning_table(X, scalers=SCALERS, rtol=1e-06)
table

# %% [markdown]
# Z-Score 之后剩下的 κ 来自两个特征的相关性 r：两列同增同减的方向最陡，一增一减的方向最平缓，κ = (1 + r)/(1 − r)。

# %%
r = np.corrcoef(X[:, 0], X[:, 1])[0, 1]
kappa_r, kappa_zscore = (1 + r) / (1 - r), table.loc["zscore", "kappa"]
print(f"r = {r:.4f}，(1 + r)/(1 − r) = {kappa_r:.2f}，Z-Score 之后的 κ = {kappa_zscore:.2f}")

# %% [markdown]
# **本节的数字。** 下面的单元格运行课程页面上的这一节（`gdlab.report.sections.conditioning`）：同一份数据、同一段代码，按页面的样子显示它的结论和表格。

# %%
section_numbers("conditioning", "zh")

# %% [markdown]
# #### 练习
#
# **1.** Z-Score 之后 κ 为什么还有 21.55，而不是 1？
#
# <details><summary>看答案</summary>
#
# Z-Score 只统一了每一列的尺度，去不掉两列之间的相关性。两列相关系数为 r 时，两个特征同增同减的方向最陡，曲率 L = 2(1 + r)；一增一减的方向最平缓，μ = 2(1 − r)；所以 κ = (1 + r)/(1 − r)。这里 r = 0.9113，(1 + r)/(1 − r) = 21.55。
#
# </details>
#
# **2.** 学习率取 2/(L+μ) 时，原始数据和 Z-Score 之后，各要多少步才能把离最小值点的距离缩小到初始距离的 1e-06？
#
# <details><summary>看答案</summary>
#
# 每一步误差至多变为上一步的 (κ − 1)/(κ + 1) 倍：原始数据是 0.999966，要 406,660 步；Z-Score 之后是 0.9113，只要 149 步。
#
# </details>
#
# **3.** 原始数据的稳定上限 2/L 是 0.0098，Z-Score 之后是 0.5232。为什么差这么多？
#
# <details><summary>看答案</summary>
#
# x2 记录时乘了 10，数值很大，沿 x2 方向碗壁极陡，L = 203.7；Z-Score 之后每一列的方差都是 1，L 只有 3.82。2/L 随 L 变小而变大。
#
# </details>

# %% [markdown]
# ### 附录 2 稳定上限 2/L：理论与实测
#
# $$w \leftarrow w - \eta\, \nabla f(w)$$
#
# 每一步把参数 $w$ 沿梯度 $\nabla f(w)$（损失上升最快的方向）的反方向移动一段；$\eta$ 是学习率，决定这一段有多长。
#
# $$e \leftarrow (1 - \eta\, c)\, e$$
#
# $e$ 是参数沿某个方向离最小值点的距离（误差），$c$ 是这个方向的曲率：在二次损失上，每一步都把这个方向的误差乘上 $1 - \eta c$。
#
# $$|1 - \eta L| < 1 \iff 0 < \eta < \frac{2}{L}$$
#
# $L$ 是最陡方向的曲率，其他方向的曲率都不超过它，所以 $1 - \eta L$ 是最先越过 -1 的因子：学习率超过 $2/L$ 时，这个方向的误差每一步变号并且变大，迭代发散；恰好等于 $2/L$ 时，误差来回跳，大小不变。

# %% [markdown]
# 固定学习率为什么要小于 2/L？沿最陡方向，每一步把离最小值点的距离乘以 1 − ηL；η 超过 2/L，这个倍数的绝对值就大于 1，距离每一步都在变大。用一、3 的两行数据，从 0 出发各走 200 步，学习率分别取 2/L 的 0.99 倍和 1.01 倍：

# %%
# 一、3 的两行数据
x = np.array([[1, 1], [3, 1]])
y = np.array([[2], [4]])
limit = stable_limit(x)
w_star = np.linalg.lstsq(x, y, rcond=None)[0]
for factor in (0.99, 1.01):
    w = np.zeros((2, 1))
    start = np.linalg.norm(w - w_star)
    w = w_cal(x, w, y, gd_cal=lr_gd, lr=factor * limit, itera_times=200)
    ratio = np.linalg.norm(w - w_star) / start
    print(f"学习率 {factor:g} × 2/L：200 步后离最小值点的距离变为初始的 {ratio:.3g} 倍")

# %% [markdown]
# **用 gdlab 来做。** `analysis.stability_map` 在学习率 × 批量大小的网格上逐个运行（本部分数据集 Z-Score 之后，每次 20 轮），下图画出没有发散的运行最后的损失；发散的不画。批量越小，能用的学习率也越小：2/L 用的是全部数据平均出来的曲率，单条数据的曲率可能大得多。

# %%
X, y = regression_problem()
limit = analysis.conditioning(features_norm, intercept=False).lr_stable
grid = analysis.stability_map(model, X, y, lrs=limit * np.geomspace(0.05, 4.0, 13),
                              batch_sizes=[None, 50, 1], epochs=20, scaler="zscore",
                              seed=24)  # fmt: skip
for batch, name in (
    (None, "全批量"),
    (50, "批量 50"),
    (1, "批量 1（随机梯度下降）"),
):
    runs = grid[grid["batch_size"].isna()] if batch is None else grid[grid["batch_size"] == batch]
    finished = runs[~runs["diverged"]]
    plt.plot(finished["lr"] / limit, finished["final_loss"], "o-", label=name)
plt.axvline(1.0, color="black", ls="--", label="全批量的稳定上限 2/L")
plt.xscale("log")
plt.yscale("log")
plt.xlabel("学习率 / (2/L)（对数坐标）")
plt.ylabel("最终损失（对数坐标）")
plt.title("没有发散的运行：最后的损失")
plt.legend()
plt.show()

# %% [markdown]
# **本节的数字。** 下面的单元格运行课程页面上的这一节（`gdlab.report.sections.stability`）：同一份数据、同一段代码，按页面的样子显示它的结论和表格。

# %%
section_numbers("stability", "zh")

# %% [markdown]
# #### 练习
#
# **1.** 学习率取 1.1 × 2/L 时，最陡方向上的误差每一步变为上一步的多少倍？
#
# <details><summary>看答案</summary>
#
# 因子是 1 − ηL = 1 − 1.1 × 2 = −1.2：每一步变号，大小乘 1.2。在课程的两行问题（原始数据）上实测，最后一步离最小值点的距离是上一步的 1.2000 倍；损失超过参考值的 1000 倍时，gdlab 在第 19 步判定发散。
#
# </details>
#
# **2.** 为什么随机梯度下降（批量 1）在低于 2/L 的学习率上就会发散？
#
# <details><summary>看答案</summary>
#
# 2/L 里的 L 是用全部数据平均出来的曲率；每一步只用一条数据时，这一步看到的是这一条数据的曲率，它可能比平均大得多，按平均曲率选的步长在这一步就会冲过头。地图上随机梯度下降不发散的最大学习率只有 0.45 × 2/L，批量 50 是 0.93 × 2/L。
#
# </details>
#
# **3.** 二分找到的上限为什么比 2/L 略高（最多 0.038%），而不是正好相等？
#
# <details><summary>看答案</summary>
#
# 学习率只比 2/L 高一点时，最陡方向的误差每一步只变为上一步的 1.00076 倍，300 轮一共才放大 1.26 倍，其他方向的误差还在缩小，损失差在 300 轮内看起来没有增大。轮数越多，找到的上限越接近 2/L。
#
# </details>

# %% [markdown]
# ### 附录 3 达到容差的迭代次数：理论与实测
#
# $$\eta^* = \frac{2}{L + \mu}$$
#
# $\eta^*$ 是让最陡方向和最平缓方向的误差收缩得一样快的学习率：两个因子 $1 - \eta L$ 和 $1 - \eta\mu$ 一负一正，大小相等。
#
# $$q = \max(|1 - \eta^* L|,\ |1 - \eta^* \mu|) = \frac{\kappa - 1}{\kappa + 1}$$
#
# $q$ 是每一步误差至多变为上一步的倍数：$\kappa = 1$ 时 $q = 0$，一步就到最小值点；$\kappa$ 越大，$q$ 越接近 1，收敛越慢。
#
# $$\|w_k - w^*\| \le q^k\, \|w_0 - w^*\|$$
#
# $w_k$ 是第 $k$ 步的参数，$w_0$ 是起点，$w^*$ 是最小值点，两条竖线表示距离：$k$ 步之后，离最小值点的距离至多是初始距离的 $q^k$ 倍。
#
# $$k = \left\lceil \frac{\ln \tau}{\ln q} \right\rceil$$
#
# $\tau$ 是相对容差（距离要缩小到初始距离的 $\tau$ 倍），$\ln$ 是自然对数，外面的括号表示向上取整：$k$ 是保证 $q^k \le \tau$ 的最少步数。

# %% [markdown]
# 学习率取 2/(L+μ) 时，每一步误差至多变为上一步的 q = (κ − 1)/(κ + 1) 倍，k 步后至多是 q^k 倍；要缩小到初始的 1e-06，理论步数就是 ln(1e-06)/ln q 向上取整。先用一、3 的两行数据手算一次：

# %%
rtol = 1e-06
kappa = analysis.conditioning(x, intercept=False).kappa
q = (kappa - 1) / (kappa + 1)
steps = np.ceil(np.log(rtol) / np.log(q))
print(f"κ = {kappa:.2f}，q = {q:.4f}，理论步数 ⌈ln({rtol:g})/ln q⌉ = {steps:.0f}")

# %% [markdown]
# **用 gdlab 来做。** `analysis.theory_vs_measured` 把理论步数和一次实际运行的步数放在一起。附录的四个问题都用全批量梯度下降、学习率 2/(L+μ)、从 0 出发：

# %%
from gdlab.report.data import appendix_problems

names = {
    "lesson_raw": "一、3 的两行数据，原始",
    "lesson_zscore": "一、3 的两行数据，Z-Score 标准化",
    "part2_minmax": "第二部分的数据集，0-1 标准化",
    "part2_zscore": "第二部分的数据集，Z-Score 标准化",
}
rows = {}
for key, (A, b) in appendix_problems().items():
    cond = analysis.conditioning(A, intercept=False)
    budget = int(min(cond.predicted_iterations(rtol), 100000)) + 10
    run = descend(model, A, b, lr=cond.lr_best, epochs=budget, record="step")
    check = analysis.theory_vs_measured(run, cond, model.optimum(A, b), rtol)
    rows[names[key]] = {
        "条件数 κ": cond.kappa,
        "每一步误差至多变为上一步的几倍 q": check.rate,
        "理论步数": check.predicted,
        "实测步数": check.measured,
    }
pd.DataFrame(rows).T

# %% [markdown]
# **本节的数字。** 下面的单元格运行课程页面上的这一节（`gdlab.report.sections.iterations`）：同一份数据、同一段代码，按页面的样子显示它的结论和表格。

# %%
section_numbers("iterations", "zh")

# %% [markdown]
# #### 练习
#
# **1.** 用 q = 0.9428 手算一、3 的两行问题（原始数据）要多少步，容差是 1e-06。
#
# <details><summary>看答案</summary>
#
# k = ln(1e-06) / ln(0.9428) ≈ 234.6，向上取整得 235 步；实测正好 235 步：两行问题只有两个方向，它们的因子大小都是 q，误差每一步正好变为上一步的 q 倍。
#
# </details>
#
# **2.** 为什么一、3 的两行问题 Z-Score 之后一步就能到最小值点？
#
# <details><summary>看答案</summary>
#
# Z-Score 之后 L = μ = 2，κ = 1，学习率 2/(L+μ) = 0.5 正好是 1/L，每个方向的因子 1 − ηL 都是 0：一步就把误差消成 0（实测 1 步）。
#
# </details>
#
# **3.** 第二部分的数据集 0-1 标准化之后，理论要 4,391 步，实测只用了 4,249 步。理论错了吗？
#
# <details><summary>看答案</summary>
#
# 没有错：理论给的是上界，按最坏的情况计算，即初始误差全部落在最陡和最平缓这两个方向上、每一步都正好变为上一步的 q 倍。这个问题有三个方向（两个特征加截距），起点的误差有一部分落在中间的方向上，那个方向收缩得更快，这部分误差更早消失，所以实测 4,249 步少于理论的 4,391 步。
#
# </details>
