"""The models shipped in models/ meet their accuracy targets on the real 10,000 MNIST test images,
and their model cards tell the truth."""

import json

import pytest

from digitpad import nn
from digitpad.data import mnist
from digitpad.drawing.network_input import to_model_input
from digitpad.evaluation.metrics import evaluate
from digitpad.reading.store import list_models, shipped_dir

TARGETS = {"cnn": 0.996, "mlp": 0.986}  # Simard et al. 2003, CNN + elastic distortions: 99.6 %; LeCun: 2-layer MLP: 98.4 %


@pytest.fixture(scope="module")
def test_set(mnist_dir):
    images, labels = mnist.load_mnist("test", mnist_dir)
    return to_model_input(images), labels


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_shipped_model_meets_its_target(name, test_set):
    path = shipped_dir() / f"{name}.npz"
    model = nn.load_model(path)
    result = evaluate(model, *test_set)
    assert result.accuracy >= TARGETS[name], f"{name}: {result.accuracy:.2%}"
    card = json.loads(path.with_suffix(".card.json").read_text())
    assert card["test_accuracy"] == pytest.approx(result.accuracy, abs=1e-4)
    assert model.metadata["test_accuracy"] == pytest.approx(result.accuracy, abs=1e-4)
    assert card["parameters"] == model.parameter_count()
    assert "digitpad train" in card["command"] and "--seed" in card["command"]
    assert path.with_suffix(".md").read_text().startswith(f"# Model card: {name}")


def test_shipped_models_are_listed():
    names = {entry.name for entry in list_models() if entry.kind == "shipped"}
    assert set(TARGETS) <= names
