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


def _train(torch, make_scheduler, steps=40):
    torch.manual_seed(0)
    X = torch.randn(64, 3, dtype=torch.float64)
    y = X @ torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64)
    w = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.1, momentum=0.9)
    sched = make_scheduler(opt)
    momenta = []
    for _ in range(steps):
        momenta.append(opt.param_groups[0]["momentum"])
        opt.zero_grad()
        ((X @ w - y) ** 2).mean().backward()
        opt.step()
        sched.step()
    return w.detach().numpy(), momenta


def test_to_torch_cycles_momentum_as_one_cycle_lr_does() -> None:
    torch = pytest.importorskip("torch")
    lr = S.one_cycle(max_lr=0.1, total_steps=40)
    ours, our_momenta = _train(torch, lambda opt: S.to_torch(lr, opt))
    theirs, their_momenta = _train(
        torch, lambda opt: torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=40)
    )
    np.testing.assert_allclose(our_momenta, their_momenta, rtol=1e-12, atol=0)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)
    # Without cycling, training is not the same: the difference the default removes.
    plain, _ = _train(torch, lambda opt: S.to_torch(lr, opt, cycle_momentum=False))
    assert np.abs(plain - theirs).max() > 1e-6


def test_to_torch_cycles_adam_beta1_and_refuses_an_optimizer_without_momentum() -> None:
    torch = pytest.importorskip("torch")
    lr = S.cyclic(base_lr=0.01, max_lr=0.1, step_size_up=5)
    adam = torch.optim.Adam([torch.zeros(1, requires_grad=True)], lr=1.0)
    S.to_torch(lr, adam)
    assert adam.param_groups[0]["betas"] == (0.9, 0.999)  # CyclicLR's max_momentum at step 0
    with pytest.raises(ValueError, match="no momentum or betas to cycle"):
        S.to_torch(lr, torch.optim.Adagrad([torch.zeros(1, requires_grad=True)]))
    with pytest.raises(ValueError, match="cycle_momentum=True needs a cyclic or one_cycle"):
        S.to_torch(SCHED, adam, cycle_momentum=True)


def test_to_torch_checkpoint_loads_weights_only_and_resumes() -> None:
    torch = pytest.importorskip("torch")
    import io

    lr = S.one_cycle(max_lr=0.1, total_steps=40)
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0, momentum=0.9)
    sched = S.to_torch(lr, opt)
    for _ in range(5):
        opt.step()
        sched.step()
    buffer = io.BytesIO()
    torch.save(sched.state_dict(), buffer)
    buffer.seek(0)
    state = torch.load(buffer, weights_only=True)  # refused when the state holds gdlab objects
    other = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0, momentum=0.9)
    restored = S.to_torch(SCHED, other, cycle_momentum=False)
    restored.load_state_dict(state)
    assert restored.schedule == lr and restored.momentum == lr.momentum()
    for scheduler, optimizer in ((sched, opt), (restored, other)):
        optimizer.step()
        scheduler.step()
    assert other.param_groups[0]["lr"] == opt.param_groups[0]["lr"] == lr(6)
    assert other.param_groups[0]["momentum"] == opt.param_groups[0]["momentum"]
    assert other.param_groups[0]["momentum"] == lr.momentum()(6)
