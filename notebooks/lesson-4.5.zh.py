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
# # Lesson 4.5 梯度下降优化基础:数据归一化与学习率调度
#
# 在上一小节中我们看到,随机梯度下降和小批量梯度下降引入了样本的随机性,能够帮助参数点跨越局部最小值点,但随之而来的是收敛过程不稳定、收敛结果持续震荡、收敛所需迭代次数过多等问题。要解决随机性带来的麻烦,就要采用围绕迭代过程的优化方法,其中最基础、也最通用的两种,就是**数据归一化**和**学习率调度**。
#
# 本笔记本按课程的顺序展开:
#
# - 一、数据归一化方法:1. 计算公式(0-1 标准化、Z-Score 标准化、非线性标准化);2. 算法执行过程;3. 算法评价;4. Z-Score 标准化算法评价及横向对比。
# - 二、梯度下降算法优化初阶:1. 数据归一化与梯度下降算法优化;2. 学习率调度;3. 小批量梯度下降与迭代收敛速度;4. 梯度下降组合优化策略。
#
# 每一步先用课程自己的代码来做:`from gdlab.lesson import *` 代替课程的 `from ML_basic_function import *`,其余代码照搬课程(为了后面用 gdlab 再做一遍,个别地方多留了一份数据,都有注释说明),打印出来的数字和课程完全相同;然后再用 gdlab 自己的工具把同一件事做一遍(`gdlab.scaling`、`gdlab.schedules`、`gdlab.optim.descend`、`gdlab.analysis`、`gdlab.plotting`)。

# %%
# 科学计算模块
import numpy as np
import pandas as pd

# 绘图模块
import matplotlib as mpl
import matplotlib.pyplot as plt

# 自定义模块:gdlab.lesson 就是课程的 ML_basic_function,函数名、默认参数和随机数都一样
from gdlab.lesson import *

# %% [markdown]
# 图中要写中文,需要一个中文字体。下面在本机已安装的字体里找一个常见的中文字体;如果一个也没有找到,图中的中文会显示成方框,这时按提示安装字体即可(Debian/Ubuntu 上是 `fonts-noto-cjk`)。

# %%
from pathlib import Path

from matplotlib import font_manager

CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "WenQuanYi Zen Hei",
             "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC"]  # fmt: skip
CJK_FILES = ("notosanscjk", "sourcehansans", "wqy", "simhei", "msyh", "pingfang")


def find_cjk_font():
    """返回一个已安装的中文字体名;没有则返回 None。"""
    installed = {font.name for font in font_manager.fontManager.ttflist}
    found = [name for name in CJK_FONTS if name in installed]
    if not found:
        # 字体在 matplotlib 建好字体缓存之后才安装时,缓存里没有它:到系统字体目录里再找一次
        for path in font_manager.findSystemFonts():
            if Path(path).name.lower().replace("-", "").startswith(CJK_FILES):
                font_manager.fontManager.addfont(path)
        installed = {font.name for font in font_manager.fontManager.ttflist}
        found = [name for name in CJK_FONTS if name in installed]
    return found[0] if found else None


cjk_font = find_cjk_font()
if cjk_font:
    # 中文用找到的字体,其余字符(如负号)仍可退回到 matplotlib 的默认字体
    plt.rcParams["font.sans-serif"] = [cjk_font, *plt.rcParams["font.sans-serif"]]
    plt.rcParams["font.family"] = "sans-serif"
    print("图中的中文字体:", cjk_font)
else:
    print(
        "没有找到中文字体,图中的中文会显示成方框。"
        "请安装一个中文字体(Debian/Ubuntu:sudo apt-get install fonts-noto-cjk),然后重启内核。"
    )
plt.rcParams["figure.dpi"] = 80

# %% [markdown]
# ## 一、数据归一化方法
#
# 数据归一化方法的本质是一种对数据进行线性转换的方法:通过样本空间之间的线性映射来转化数据的数值。这种转化不会影响数据分布,也就是不影响数据的内在规律,只是对数值进行调整。经典机器学习领域的数据归一化算法主要有两种:0-1 标准化(Max-Min Normalization)和 Z-Score 标准化。
#
# ### 1. 数据归一化计算公式
#
# #### 1.1 0-1 标准化
#
# 0-1 标准化也称离差标准化。逐列记下每一列的最大值 Max 和最小值 Min,以 Max - Min 作为基数进行放缩:
#
# $$x_{normalization} = \frac{x - Min}{Max - Min}$$

# %%
a = np.arange(12).reshape(6, 2)
a

# %%
# 计算每列最大值、最小值和极差
a.max(axis=0), a.min(axis=0), a.max(axis=0) - a.min(axis=0)

# %%
maxmin_norm(a)

# %% [markdown]
# **用 gdlab 来做。** `gdlab.scaling.MinMaxScaler` 是一个 scikit-learn 转换器:`fit` 记下每列的最小值和极差,`transform` 用记下的数值去放缩。直接显示这个对象,看到的是 scikit-learn 的转换器卡片。

# %%
from gdlab.scaling import MinMaxScaler, SigmoidScaler, StandardScaler

mm = MinMaxScaler().fit(a)
print("每列最小值 data_min_:", mm.data_min_, " 每列极差 data_range_:", mm.data_range_)
print(mm.transform(a))
mm

# %% [markdown]
# #### 1.2 Z-Score 标准化
#
# Z-Score 标准化也称 0 均值标准化:逐列减去该列的均值 μ,再除以该列的标准差 σ。如果原数据服从正态分布,处理之后的数据服从标准正态分布。
#
# $$x_{normalization} = \frac{x - \mu}{\sigma}$$

# %%
# 每列均值、每列标准差
a.mean(0), a.std(0)

# %%
z_score(a)

# %% [markdown]
# **用 gdlab 来做。** `StandardScaler` 记下 `mean_` 和 `scale_`(总体标准差,和 `a.std(0)` 一样)。课程提到,更严谨的做法是在分母上加一个很小的常数,使分母恒大于 0:这就是参数 `eps`。

# %%
zs = StandardScaler().fit(a)
print("mean_:", zs.mean_, " scale_:", zs.scale_)
print(zs.transform(a))
StandardScaler(eps=1e-8)

# %% [markdown]
# #### 1.3 非线性标准化
#
# 除了上面两种线性方法,还有使用非线性函数的归一化方法,最有代表性的是 Sigmoid 标准化:用 Sigmoid 函数逐列处理数据,处理之后的数据被压缩到 0-1 之间。

# %%
sigmoid(a)

# %%
# gdlab:SigmoidScaler 默认直接对原始数值取 Sigmoid,结果和课程的 sigmoid(a) 相同
print(np.allclose(SigmoidScaler().fit_transform(a), sigmoid(a)))
SigmoidScaler()

# %% [markdown]
# ### 2. 数据归一化算法执行过程
#
# 我们以 0-1 标准化为例,看归一化对量纲的影响和实际建模时的计算流程。假设数据集满足 $y = 200x_1 - x_2 + 1$,但记录数据时量纲错配:第一个特征被缩小为 0.1 倍,第二个特征被放大为 10 倍。

# %%
# 设置随机数种子
np.random.seed(24)
# 扰动项取值为0.01
features, labels = arrayGenReg(w=[200, -1, 1], delta=0.01)
features[:, :1] = features[:, :1] * 0.1
features[:, 1:2] = features[:, 1:2] * 10
features_raw = features.copy()  # 留一份量纲错配的原始数据,后面用 gdlab 再做一遍
features

# %% [markdown]
# 此时进行线性回归建模,算得各列线性关系如下:

# %%
np.linalg.lstsq(features, labels, rcond=-1)[0]

# %%
1999.99618924 / -0.09998528

# %% [markdown]
# 为了捕捉第一列更重要的特性,模型算得的第一列系数非常大,两个系数的差异从真实的 200 倍变成了约 20000 倍。这会带来两个问题:一是部分系数太小,引起计算精度问题;二是在判别特征重要性时,容易忽视系数较小的特征。下面先对特征做 0-1 标准化,记下训练数据每列的极值:

# %%
features_max = features[:, :2].max(0)
features_min = features[:, :2].min(0)
features_range = features[:, :2].max(0) - features[:, :2].min(0)
features[:, :2] = maxmin_norm(features[:, :2])
features

# %% [markdown]
# 这里的标签有正有负,而归一化后的特征全是正数,为了方便观察参数,也对标签做归一化(这一步并不是必须的):

# %%
w = np.linalg.lstsq(features, maxmin_norm(labels), rcond=-1)[0]
w

# %%
-0.00622912 * 200, 0.00410845 * 200

# %% [markdown]
# 第一个特征的重要性远高于第二个特征,二者基本相差 200 倍,这是一个更准确的结果。
#
# 对新来的数据,要**用训练数据中算出的极值**进行处理,再带入模型。课程原文的代码在这里省略了对`features1` 的归一化一步,下面把它补上(不补这一步,预测结果对不上真实标签)。

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
# 训练参数时标签也做了归一化,所以预测结果还要**逆向归一化**,才回到标签原来的量纲:

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
# **用 gdlab 来做。** 两个 `MinMaxScaler` 分别在训练数据的特征和标签上 `fit`,新数据用同一个特征转换器`transform`,预测结果用标签转换器的 `inverse_transform` 逆向归一化;`gdlab.datasets.add_intercept`在最后一列补上全是 1 的截距列,和课程一样。`gdlab.analysis.coefficients_to_raw` 还能把归一化数据上学到的参数换算回原始量纲。

# %%
from gdlab import analysis, datasets

x_scaler = MinMaxScaler().fit(features_raw[:, :2])  # 只在训练数据上 fit
y_scaler = MinMaxScaler().fit(labels)
A = datasets.add_intercept(x_scaler.transform(features_raw[:, :2]))
w_gdlab = np.linalg.lstsq(A, y_scaler.transform(labels), rcond=None)[0]
print("参数与课程的相同:", np.allclose(w_gdlab, w))
A_new = datasets.add_intercept(x_scaler.transform(features1_raw[:, :2]))
yhat_gdlab = y_scaler.inverse_transform(A_new @ w_gdlab)
print("预测与课程的相同:", np.allclose(yhat_gdlab, yhat))
print(f"最大预测误差: {np.abs(yhat_gdlab - labels1).max():.4f}")
raw = analysis.coefficients_to_raw(w_gdlab.ravel(), x_scaler=x_scaler, y_scaler=y_scaler)
print("原始量纲下的系数:", ", ".join(f"{c:.6g}" for c in raw.coef), " 截距:", f"{raw.intercept:.6g}")

# %% [markdown]
# 换算回原始量纲后,系数就是最小二乘直接在错配数据上得到的 (2000, -0.1, 1):归一化是仿射变换,并不改变数据的规律,只改变算法挖掘规律的难度。
#
# ### 3. 数据归一化算法评价
#
# 线性模型和距离类模型(线性回归、KNN、K-Means 等)会受到各列绝对数值大小的影响,树模型则不受影响。归一化属于仿射变换:平移(减去每列最小值)和放缩(除以每列极差),它不影响数据集的原始分布。对比归一化前后的数据分布:

# %%
# 设置随机数种子
np.random.seed(24)
# 扰动项取值为0.01
features, labels = arrayGenReg(delta=0.01)
# 绘制图像进行观察
plt.subplot(121)
plt.plot(features[:, 0], labels, "o")
plt.title("归一化前")
plt.subplot(122)
plt.plot(maxmin_norm(features[:, 0]), maxmin_norm(labels), "o")
plt.title("0-1 标准化后")
plt.show()

# %% [markdown]
# **用 gdlab 来做。** `plot_scaling` 把第 2 节中量纲错配的数据放缩前后画在同一坐标系中(等比例坐标轴):原始数据挤成一条竖线(第一列只有零点几,第二列却有几十),Z-Score 之后成了一团圆圆的点云。放缩只是把点云整体平移、拉伸,点与点的相对位置不变。

# %%
from gdlab.plotting import loss_curves, plot_scaling, plot_schedules, raw_vs_scaled_contours

X2 = features_raw[:, :2]  # 第 2 节里量纲错配的两列特征
ax = plot_scaling(X2, StandardScaler().fit_transform(X2), labels=("原始数据", "Z-Score 之后"))
ax.set_title("放缩前后的数据分布")
plt.show()

# %% [markdown]
# 对于梯度下降,归一化更重要的作用是**加快收敛**:归一化之后损失函数的等高线更加均匀,参数每次移动的方向更接近最小值点所在的方向。下面用前两节的等高线案例,对比归一化前后的收敛轨迹。

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
w0 = w.ravel().copy()  # 留下初始参数,后面用 gdlab 再跑一遍
w, w_res = w_cal_rec(x, w, y, gd_cal=lr_gd, lr=0.1, itera_times=100)
w_norm, w_res_norm = w_cal_rec(x_norm, w_norm, y, gd_cal=lr_gd, lr=0.1, itera_times=100)
plt.subplot(121)
# 网格点坐标
x1, x2 = np.meshgrid(np.arange(1, 2, 0.001), np.arange(-1, 1, 0.001))
# 绘制等高线图
plt.contour(x1, x2, (2 - x1 - x2) ** 2 + (4 - 3 * x1 - x2) ** 2)
# 参数点移动轨迹图
plt.plot(np.array(w_res)[:, 0], np.array(w_res)[:, 1], "-o", color="#ff7f0e")
plt.title("归一化前")
plt.subplot(122)
# 网格点坐标
x1, x2 = np.meshgrid(np.arange(0, 4, 0.01), np.arange(-1, 3, 0.01))
# 绘制等高线图
plt.contour(x1, x2, (2 + x1 - x2) ** 2 + (4 - x1 - x2) ** 2)
# 绘制参数点移动轨迹图
plt.plot(np.array(w_res_norm)[:, 0], np.array(w_res_norm)[:, 1], "-o", color="#ff7f0e")
plt.title("Z-Score 之后")
plt.show()

# %% [markdown]
# 经过归一化的数据,损失函数等高线更加均匀,收敛效率更高。梯度下降每一步沿着垂直于等高线的方向移动,但这个"最快方向"只在出发的一瞬间成立;等高线均匀时,外圈的垂直方向也就是内圈的垂直方向,相同的移动能更大程度地降低损失,所以只需要更少的迭代就能抵达最小值点。
#
# **用 gdlab 来做。** `descend` 用全批量梯度下降(`batch_size=None`)、学习率 0.1 跑 100 轮,结果就是课程 `w_cal_rec` 的轨迹;`raw_vs_scaled_contours` 画出两张等高线图,标题里的条件数κ = L / μ(Hessian 最大与最小特征值之比)说明了等高线有多"扁":κ 越接近 1,等高线越圆。

# %%
from gdlab.models import LeastSquares, Logistic
from gdlab.optim import descend

model = LeastSquares()
run = descend(model, x, y, lr=0.1, epochs=100, w0=w0)
run_norm = descend(model, x_norm, y, lr=0.1, epochs=100, w0=w0)
print("与课程的轨迹相同:", np.allclose(run.params, np.hstack(w_res).T),
      np.allclose(run_norm.params, np.hstack(w_res_norm).T))  # fmt: skip
raw_vs_scaled_contours(model, x, x_norm, y, run, run_norm)
plt.show()
kappa_raw = analysis.conditioning(x, intercept=False).kappa
kappa_norm = analysis.conditioning(x_norm, intercept=False).kappa
print(f"条件数 κ:归一化前 {kappa_raw:.4g},Z-Score 之后 {kappa_norm:.4g}")

# %% [markdown]
# 一次梯度下降的全部记录都在 `Trajectory` 里;在 Jupyter 中直接显示它,可以看到停止的原因、轮数与更新次数、损失的变化和一条小小的损失曲线。

# %%
run_norm

# %% [markdown]
# ### 4. Z-Score 标准化算法评价及横向对比
#
# Z-Score 标准化生成 Zero-Centered Data,在深度学习领域备受欢迎;对于标签有正有负的回归问题,使用 Z-Score 能够避免对标签进行归一化;原始数据服从正态分布时,处理之后服从标准正态分布。此外还有一点非常实用:相比 0-1 标准化,Z-Score 标准化能够**保留极端值的分布**。

# %%
a = np.arange(8).reshape(4, 2)
a[1, 1] = 100
a

# %%
maxmin_norm(a)

# %% [markdown]
# 由于极端值的存在,0-1 标准化把第二列的其他数值压缩在一个非常小的范围内。而采用 Z-Score 标准化:

# %%
z_score(a)

# %% [markdown]
# 极端值仍然是极端值(相对该列其他数值而言),这时就可以用极端值处理方法(删除或者盖帽)来处理它。不过 Z-Score 需要计算均值和方差,计算量更大。
#
# **用 gdlab 来做。** 同样的对比;`RobustScaler` 用中位数和四分位距,极端值对其他数值的影响更小。

# %%
from gdlab.scaling import RobustScaler

pd.DataFrame(
    {
        "原始数据": a[:, 1],
        "0-1 标准化": MinMaxScaler().fit_transform(a)[:, 1],
        "Z-Score": StandardScaler().fit_transform(a)[:, 1],
        "RobustScaler": RobustScaler().fit_transform(a)[:, 1],
    }
)

# %% [markdown]
# ## 二、梯度下降算法优化初阶
#
# 这一部分的四个小节,本课第一篇的原文只在目录里列出了标题。下面的代码按课程的写法(`w_cal`、`sgd_cal`、`MSELoss`)来做,数据和设置与课程一致。
#
# ### 1. 数据归一化与梯度下降算法优化
#
# 回到 $y = 200x_1 - x_2 + 1$ 和量纲错配的数据,用同一个学习率分别在原始数据和 Z-Score 标准化后的数据上做全批量梯度下降,记录每一轮的 MSE。学习率取 0.01:再大一点,原始数据上的迭代就会发散。

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
# 记录迭代过程损失函数
train_mse = []
train_mse_norm = []
for i in range(100):
    w = w_cal(features, w, labels, gd_cal=lr_gd, lr=0.01, itera_times=1)
    w_norm = w_cal(features_norm, w_norm, labels, gd_cal=lr_gd, lr=0.01, itera_times=1)
    train_mse.append(MSELoss(features, w, labels).item())
    train_mse_norm.append(MSELoss(features_norm, w_norm, labels).item())
plt.plot(list(range(100)), train_mse, label="原始数据")
plt.plot(list(range(100)), train_mse_norm, label="Z-Score 之后")
plt.yscale("log")
plt.xlabel("迭代轮数")
plt.ylabel("MSE")
plt.legend()
plt.show()
print(f"100 轮后的 MSE:原始数据 {train_mse[-1]:.1f},Z-Score 之后 {train_mse_norm[-1]:.1f}")

# %% [markdown]
# **用 gdlab 来做。** `analysis.conditioning` 算出两份数据的条件数 κ、最大稳定学习率 2/L 和最快的固定学习率2/(L+μ);`descend` 各用自己最快的学习率跑 100 轮,`loss_curves` 画出与最优损失的差距。

# %%
model = LeastSquares()
f_star = model.loss(model.optimum(features_norm, labels), features_norm, labels)
conditions = {
    "原始数据": analysis.conditioning(features, intercept=False),
    "Z-Score 之后": analysis.conditioning(features_norm, intercept=False),
}
pd.DataFrame({name: {"kappa": c.kappa, "2/L": c.lr_stable, "2/(L+mu)": c.lr_best}
              for name, c in conditions.items()}).T  # fmt: skip

# %%
same_lr = descend(model, features, labels, lr=0.01, epochs=100, w0=w0)
print("与课程的 MSE 相同:", np.allclose(same_lr.loss[1:], train_mse))
runs = {
    name: descend(model, X, labels, lr=conditions[name].lr_best, epochs=100, w0=w0)
    for name, X in (("原始数据", features), ("Z-Score 之后", features_norm))
}
loss_curves(runs, optimum=f_star, title="各用最快的固定学习率:与最优损失的差距")
plt.show()

# %% [markdown]
# Z-Score 之后 κ ≈ 1,几轮就到达最优;原始数据的 κ 上万,100 轮后仍然离最优很远。
#
# ### 2. 学习率调度
#
# 学习率调度的基本思想是:迭代开始时学习率大一些,随着迭代进行逐渐减小。课程使用指数衰减 $lr_i = lr_{init} \cdot 0.95^i$,写成 `lr_lambda = lambda epoch: 0.95 ** epoch`,每一轮调整一次。学习率过大时,固定学习率会发散,而衰减能让它先震荡、再收敛;学习率本来就很小时,衰减反而让收敛变慢。

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
    print(f"lr_init = {lr_init}:50 轮后固定学习率 MSE {fixed[-1]:.4g},指数衰减 MSE {decay[-1]:.4g}")

# %% [markdown]
# **用 gdlab 来做。** `schedules.exponential(lr=..., gamma=0.95)` 就是课程的衰减;它是一个纯函数`lr = s(t)`,可以打印、保存,在 Jupyter 中显示为它的文字形式和一条学习率曲线。

# %%
from gdlab import schedules

decay_schedule = schedules.exponential(lr=1.25, gamma=0.95)
decay_schedule

# %%
plot_schedules({"固定 1.25": schedules.constant(1.25), "指数衰减 1.25 × 0.95^i": decay_schedule},
               steps=50, title="学习率调度")  # fmt: skip
plt.show()

# %%
limit = conditions["Z-Score 之后"].lr_stable
print(f"Z-Score 数据上的最大稳定学习率 2/L = {limit:.3f}")
decay_runs = {}
for lr_init in (1.25, 0.05):
    decay_runs[f"固定 {lr_init}"] = descend(model, features_norm, labels, lr=lr_init, epochs=50, w0=w0)
    decay_runs[f"衰减 {lr_init}"] = descend(
        model, features_norm, labels, lr=schedules.exponential(lr=lr_init, gamma=0.95),
        epochs=50, w0=w0,
    )  # fmt: skip
print("与课程的 MSE 相同:", np.allclose(decay_runs["衰减 1.25"].loss[1:], histories[1.25][1]))
loss_curves(decay_runs, optimum=f_star, title="固定学习率与指数衰减")
plt.show()
decay_runs["固定 1.25"]

# %% [markdown]
# 学习率 1.25 超过了 2/L,固定不变就发散(gdlab 在损失爆炸时停下,并说明原因和稳定的学习率);衰减几轮之后学习率降到 2/L 以下,迭代随之收敛。学习率 0.05 时固定学习率稳步收敛,衰减反而拖慢了它:所有学习率之和不超过 0.05 / (1 - 0.95) = 1。
#
# 还有一种根据损失来调整学习率的方法:损失不再下降时把学习率乘上一个系数。它不是学习率调度(学习率不只取决于轮数),gdlab 把它做成一个带显式状态的控制器 `ReduceOnPlateau`:

# %%
rop = schedules.ReduceOnPlateau(factor=0.5, patience=1)
state = rop.init()
for loss in [1.0, 0.9, 0.9, 0.9]:
    state = rop.update(state, loss)
print("当前学习率:", rop.apply(state, 0.2))
rop

# %%
state

# %% [markdown]
# ### 3. 小批量梯度下降与迭代收敛速度
#
# 小批量梯度下降每一轮做 ceil(m / batch_size) 次更新,最后一个不完整的批次也保留;batch_size 为 1 就是随机梯度下降,为 m 就是全批量梯度下降。按轮数计算,小批量比全批量收敛快得多;但学习率固定时,随机梯度下降和小批量最后会停在最优解附近的一个震荡带里。

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
    print(f"batch_size = {batch_size:4d}:20 轮后 MSE {history[-1]:.6g}")
print(f"最优 MSE {f_star:.6g}")

# %% [markdown]
# **用 gdlab 来做。** `descend` 的 `batch_size=None` 是全批量,`1` 是随机梯度下降,`k` 是小批量;`seed` 决定每一轮的打乱顺序。最后一条曲线给随机梯度下降加上指数衰减(这里衰减得快一些,每轮乘以 0.8),震荡带随之收窄。

# %%
batch_runs = {
    "全批量": descend(model, features_norm, labels, lr=0.02, epochs=20, w0=w0),
    "小批量 50": descend(model, features_norm, labels, lr=0.02, epochs=20, batch_size=50,
                         seed=24, w0=w0),
    "随机梯度下降": descend(model, features_norm, labels, lr=0.02, epochs=20, batch_size=1,
                            seed=24, w0=w0),
    "随机梯度下降 + 衰减": descend(model, features_norm, labels, batch_size=1, seed=24, w0=w0,
                                   lr=schedules.exponential(lr=0.02, gamma=0.8), epochs=20),
}  # fmt: skip
loss_curves(batch_runs, optimum=f_star, title="按轮数比较:与最优损失的差距")
plt.show()
pd.DataFrame({name: {"更新次数": r.n_steps, "最终 MSE - 最优": r.loss[-1] - f_star}
              for name, r in batch_runs.items()}).T  # fmt: skip

# %% [markdown]
# 批次越小,能用的学习率也越小。`analysis.stability_map` 在学习率 × 批次大小的网格上逐个运行,`plot_stability_map` 把结果画出来:竖线是全批量的稳定极限 2/L,叉号表示发散。

# %%
from gdlab.plotting import plot_stability_map

grid = analysis.stability_map(model, features_norm[:, :2], labels, lrs=np.geomspace(0.05, 2.0, 8),
                              batch_sizes=[None, 50, 1], epochs=5, scaler=None)  # fmt: skip
plot_stability_map(grid, title="学习率 × 批次大小:最终损失与发散")
plt.show()

# %% [markdown]
# ### 4. 梯度下降组合优化策略
#
# 把前面的方法组合起来:Z-Score 标准化(只用训练集的均值和标准差)+ 小批量梯度下降 + 学习率指数衰减。以二分类逻辑回归为例:batch_size 为 50,初始学习率 0.2,迭代 20 轮,随机数种子 24。

# %%
np.random.seed(24)
f, l = arrayGenCla(num_class=2, deg_dispersion=[6, 2], bias=True)
Xtrain, Xtest, ytrain, ytest = array_split(f, l)
# 用训练集的均值和标准差对训练集、测试集做 Z-Score 标准化
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
print("参数:", w.ravel())
print("训练集准确率:", logit_acc(Xtrain, w, ytrain), " 测试集准确率:", logit_acc(Xtest, w, ytest))

# %% [markdown]
# **用 gdlab 来做。** 同样的组合:`StandardScaler` 只在训练集上 `fit`,`descend` 用 `Logistic` 模型、`batch_size=50` 和 `schedules.exponential(lr=0.2, gamma=0.95)`;`analysis.optimal_loss` 给出最优损失作为参照。

# %%
# array_split 打乱并划分原始特征(不含截距列),标准化交给 StandardScaler
X_train, X_test, y_train, y_test = array_split(f[:, :-1], l)
scaler = StandardScaler().fit(X_train)  # 只在训练集上 fit
A_train = datasets.add_intercept(scaler.transform(X_train))
A_test = datasets.add_intercept(scaler.transform(X_test))
logit = Logistic()
combined = descend(logit, A_train, y_train, lr=schedules.exponential(lr=0.2, gamma=0.95),
                   epochs=20, batch_size=50, seed=24, w0=w0)  # fmt: skip
accuracy = np.mean((logit.predict_proba(combined.w, A_test) >= 0.5) == y_test.ravel())
print("与课程的数据相同:", np.allclose(A_train, Xtrain), " 测试集准确率:", accuracy)
print(f"最终损失 {combined.loss[-1]:.4f},最优损失 {analysis.optimal_loss(logit, A_train, y_train):.4f}")
combined

# %% [markdown]
# 最后,用 `analysis.compare` 在同一个预算下比较各种组合(标准化方法 × 学习率 × 批次大小),它返回一张表,每一行是一次运行。

# %%
table = analysis.compare(
    logit, X_train, y_train, scalers=["none", "zscore"],
    schedules=[0.2, "exponential(lr=0.2, gamma=0.95)"], batch_sizes=[None, 50], epochs=20, seed=24,
)  # fmt: skip
table[["scaler", "schedule", "batch_size", "final_loss", "status"]]
