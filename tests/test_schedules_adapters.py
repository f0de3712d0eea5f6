"""to_torch / to_keras drive real training loops with gdlab's values (skipped without them)."""

from __future__ import annotations

import os

import numpy as np
import pytest

from gdlab import schedules as S

SCHED = S.warmup_cosine(lr=0.1, warmup_steps=3, decay_steps=12, min_lr=0.001)


def test_to_torch_applies_the_exact_values() -> None:
    torch = pytest.importorskip("torch")
    param = torch.zeros(2, requires_grad=True)
    opt = torch.optim.SGD([param], lr=123.0)
    sched = S.to_torch(SCHED, opt)
    seen = []
    for _ in range(20):
        seen.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    np.testing.assert_array_equal(seen, SCHED(np.arange(20)))
    assert "warmup_cosine" in repr(sched)


def test_to_torch_resumes_at_a_step() -> None:
    torch = pytest.importorskip("torch")
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
    sched = S.to_torch(SCHED, opt, last_epoch=6)
    assert opt.param_groups[0]["lr"] == SCHED(7)
    opt.step()
    sched.step()
    assert opt.param_groups[0]["lr"] == SCHED(8)


def test_to_keras_schedule_drives_an_optimizer_and_serialises() -> None:
    os.environ.setdefault("KERAS_BACKEND", "torch")
    keras = pytest.importorskip("keras")
    lr = S.to_keras(SCHED)
    values = [float(keras.ops.convert_to_numpy(lr(t))) for t in range(20)]
    np.testing.assert_allclose(values, SCHED(np.arange(20)), rtol=1e-6)  # Keras floatx float32
    back = type(lr).from_config(lr.get_config())
    assert back.schedule == SCHED
    opt = keras.optimizers.SGD(learning_rate=lr)
    var = keras.Variable(np.ones(2))
    for _ in range(4):
        opt.apply_gradients([(keras.ops.ones(2), var)])
    # w = 1 - sum of the four rates used, s(0) + s(1) + s(2) + s(3)
    expected = 1.0 - SCHED(np.arange(4)).sum()
    np.testing.assert_allclose(keras.ops.convert_to_numpy(var), [expected] * 2, rtol=1e-6)


def test_adapters_refuse_non_schedules() -> None:
    with pytest.raises(TypeError, match="Schedule"):
        S.to_torch(0.1, None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Schedule"):
        S.to_keras(0.1)  # type: ignore[arg-type]
