"""Gallery figure: learning-rate schedules."""

from gdlab import schedules
from gdlab.plotting import plot_schedules

plot_schedules(
    {
        "exponential(lr=0.2, gamma=0.95)": schedules.exponential(lr=0.2, gamma=0.95),
        "cosine with warmup": schedules.warmup(schedules.cosine(lr=0.2, total_steps=80), steps=20),
        "one_cycle": schedules.one_cycle(max_lr=0.2, total_steps=100),
        "step": schedules.step(lr=0.2, step_size=30, gamma=0.5),
    },
    steps=100,
)
