"""Why gradient descent converges: conditioning, theory, tolerances, comparisons, checks.

Re-exports only; each concept lives in its own module.
"""

from gdlab.analysis.coefficients import (
    AffineMap,
    RawCoefficients,
    affine_map,
    coefficients_to_raw,
)
from gdlab.analysis.compare import (
    BUDGETS,
    GridRun,
    compare,
    grid_runs,
    scaled_design,
    summarize,
)
from gdlab.analysis.conditioning import Conditioning, conditioning, conditioning_table
from gdlab.analysis.health import HealthReport, health_report
from gdlab.analysis.lr_finder import LRFinderResult, lr_range_test
from gdlab.analysis.optimum import optimal_loss
from gdlab.analysis.stability import stability_map
from gdlab.analysis.theory import best_lr, contraction_rate, predicted_iterations, stable_lr
from gdlab.analysis.tolerance import (
    TheoryCheck,
    first_within_tolerance,
    steps_to_tolerance,
    theory_vs_measured,
)

__all__ = [
    "BUDGETS",
    "AffineMap",
    "Conditioning",
    "GridRun",
    "HealthReport",
    "LRFinderResult",
    "RawCoefficients",
    "TheoryCheck",
    "affine_map",
    "best_lr",
    "coefficients_to_raw",
    "compare",
    "conditioning",
    "conditioning_table",
    "contraction_rate",
    "first_within_tolerance",
    "grid_runs",
    "health_report",
    "lr_range_test",
    "optimal_loss",
    "predicted_iterations",
    "scaled_design",
    "stability_map",
    "stable_lr",
    "steps_to_tolerance",
    "summarize",
    "theory_vs_measured",
]
