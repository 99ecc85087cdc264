"""Module: registration, traversal, modes, repr and dtype casting."""

import numpy as np
import pytest

import scratchdl as sd
from scratchdl import nn


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter([2.0, 3.0])
        self.register_buffer("count", np.zeros(1))
        self.inner = nn.Linear(2, 2)
        self.offset = nn.Parameter([0.5])

    def forward(self, x):
        return self.inner(x * self.scale) + self.offset


def test_parameters_register_in_assignment_order():
    block = Block()
    assert [name for name, _ in block.named_parameters()] == [
        "scale", "offset", "inner.weight", "inner.bias",
    ]  # fmt: skip
    first, second, *_ = block.parameters()
    assert first is block.scale and second is block.offset
    assert [name for name, _ in block.named_parameters(recurse=False)] == ["scale", "offset"]
    assert block.num_parameters() == 2 + 1 + 4 + 2


def test_plain_attributes_and_none_are_not_registered():
    module = nn.Module()
    module.note = "text"
    module.array = np.ones(2)
    module.tensor = sd.tensor([1.0])
    module.nothing = None
    assert list(module.named_parameters()) == []
    assert list(module.named_buffers()) == []
    assert list(module.children()) == []


def test_modules_and_children():
    block = Block()
    model = nn.Sequential(block, nn.ReLU())
    assert list(model.children()) == [block, model[1]]
    assert [name for name, _ in model.named_modules()] == ["", "0", "0.inner", "1"]
    assert list(model.modules())[2] is block.inner
    assert [name for name, _ in model.named_children()] == ["0", "1"]


def test_shared_parameter_and_module_are_listed_once():
    shared = nn.Linear(2, 2)
    model = nn.Sequential(shared, nn.ReLU(), shared)
    assert [name for name, _ in model.named_parameters()] == ["0.weight", "0.bias"]
    assert len(list(model.modules())) == 3
    assert list(model.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]


def test_buffers_register_and_can_be_replaced():
    block = Block()
    assert [name for name, _ in block.named_buffers()] == ["count"]
    block.count = np.full(1, 5.0)
    assert next(block.buffers())[0] == 5.0
    assert "count" in block.state_dict()
    with pytest.raises(TypeError, match="'count' must be a Tensor, got str"):
        block.count = "five"
    assert block.count[0] == 5.0


def test_register_buffer_rejects_clashing_names():
    block = Block()
    with pytest.raises(KeyError, match="cannot take a buffer named 'scale'"):
        block.register_buffer("scale", np.zeros(2))
    with pytest.raises(KeyError, match="contains a dot"):
        block.register_buffer("a.b", np.zeros(2))


def test_reassigning_a_parameter_needs_a_parameter_or_none():
    block = Block()
    with pytest.raises(TypeError, match="cannot assign Tensor to 'scale'"):
        block.scale = block.scale * 2
    assert isinstance(block.scale, nn.Parameter)
    block.offset = None
    assert [name for name, _ in block.named_parameters(recurse=False)] == ["scale"]
    with pytest.raises(TypeError, match="'inner', which is a Module"):
        block.inner = 3


def test_deleting_an_attribute_unregisters_it():
    block = Block()
    del block.inner
    assert [name for name, _ in block.named_parameters()] == ["scale", "offset"]
    assert not hasattr(block, "inner")


def test_forgetting_super_init_is_explained():
    class Broken(nn.Module):
        def __init__(self):
            self.fc = nn.Linear(1, 1)

    with pytest.raises(AttributeError, match=r"Broken: call super\(\).__init__\(\)"):
        Broken()


def test_forward_must_be_defined():
    with pytest.raises(NotImplementedError, match="Module does not define forward"):
        nn.Module()(1)


def test_call_runs_forward_and_gradients_reach_parameters():
    block = Block()
    block(sd.tensor([[1.0, 2.0]])).sum().backward()
    assert all(p.grad is not None for p in block.parameters())
    block.zero_grad()
    assert all(p.grad is None for p in block.parameters())


def test_train_and_eval_reach_every_module():
    model = nn.Sequential(Block(), nn.Dropout(0.5))
    assert model.eval() is model
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())
    with pytest.raises(TypeError, match="train: mode must be True or False"):
        model.train("no")


def test_repr_is_a_tree():
    model = nn.Sequential(nn.Linear(3, 2), nn.Sequential(nn.ReLU(), nn.Dropout(0.25)))
    assert repr(model) == (
        "Sequential(\n"
        "  (0): Linear(in_features=3, out_features=2, bias=True)\n"
        "  (1): Sequential(\n"
        "    (0): ReLU()\n"
        "    (1): Dropout(p=0.25, inplace=False)\n"
        "  )\n"
        ")"
    )


def test_to_casts_parameters_grads_and_float_buffers():
    block = Block()
    block.register_buffer("steps", np.zeros(1, dtype=np.int64))
    block.scale.grad = sd.tensor([1.0, 1.0])
    assert block.to(sd.float64) is block
    assert all(p.dtype == np.float64 for p in block.parameters())
    assert block.scale.grad.dtype == np.float64
    assert block.count.dtype == np.float64 and block.steps.dtype == np.int64
    assert block.state_dict()["count"].dtype == np.float64


def test_parameter_shares_a_tensors_data_as_torch():
    source = sd.tensor([1.0, 2.0])
    param = nn.Parameter(source)
    assert param.dtype == np.float32 and param.requires_grad and param.is_leaf
    assert param.data is source.data
    assert nn.Parameter(np.zeros(2)).dtype == np.float64
    assert nn.Parameter([1.0]).dtype == np.float32
    with pytest.raises(RuntimeError, match="floating-point"):
        nn.Parameter(sd.tensor([1, 2]))
    assert repr(nn.Parameter([1.0])).startswith("Parameter containing:\ntensor(")


def test_replacing_keeps_the_registration_order():
    block = Block()
    block.scale = nn.Parameter([1.0, 1.0])
    block.count = np.ones(1)
    assert list(block.state_dict()) == [
        "scale", "offset", "count", "inner.weight", "inner.bias",
    ]  # fmt: skip
