"""gdlab — Gradient Descent Lab."""

__version__ = "0.1.0"
