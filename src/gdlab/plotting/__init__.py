"""Figures of gradient descent (matplotlib; nothing here optimizes).

Every function takes an optional ``ax`` and returns the Axes it drew on. Importing this
package does not import ``matplotlib.pyplot``; a figure is created through pyplot only when
no ``ax`` is given. Re-exports only.
"""

from gdlab.plotting.compare_plot import plot_comparison
from gdlab.plotting.contours import loss_contours, raw_vs_scaled_contours
from gdlab.plotting.curves import loss_curves
from gdlab.plotting.lr_finder_plot import plot_lr_finder
from gdlab.plotting.scaling_plot import plot_scaling
from gdlab.plotting.schedule_plot import plot_schedules
from gdlab.plotting.stability import plot_stability_map

__all__ = [
    "loss_contours",
    "loss_curves",
    "plot_comparison",
    "plot_lr_finder",
    "plot_scaling",
    "plot_schedules",
    "plot_stability_map",
    "raw_vs_scaled_contours",
]
