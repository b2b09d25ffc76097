"""The training set on real MNIST: each step on its own, their order, and what the card records."""

from __future__ import annotations

import numpy as np
import pytest

from digitpad.data import mnist
from digitpad.data.augment import Augmenter
from digitpad.drawing.mnist_style import normalize_digits
from digitpad.errors import TrainingError
from digitpad.training import training_set
from digitpad.training.config import TrainConfig
from digitpad.training.progress import TrainingCallback
from digitpad.training.training_set import TrainingSet


@pytest.fixture(scope="module")
def digits(mnist_dir):
    images, labels = mnist.load_mnist("train", mnist_dir)
    return images[:1000], labels[:1000]


def test_check_dataset_refuses_what_cannot_be_trained_on(digits):
    images, labels = digits
    training_set.check_dataset(images, labels)
    for bad_images, bad_labels, message in [
        (images[:0], labels[:0], "empty"),
        (images[labels == 3], labels[labels == 3], "single class"),
        (images.reshape(-1, 784), labels, r"\(N, 28, 28\)"),
        (images, labels[:-1], "labels"),
    ]:
        with pytest.raises(TrainingError, match=message):
            training_set.check_dataset(bad_images, bad_labels)


def test_first_images_and_normalised_strokes(digits):
    images, labels = digits
    few, few_labels = training_set.first_images(images, labels, 10)
    assert np.array_equal(few, images[:10]) and np.array_equal(few_labels, labels[:10])
    normalised = training_set.normalize_strokes(images[:20])
    assert normalised.shape == (20, 28, 28) and normalised.dtype == np.uint8
    assert np.array_equal(normalised, normalize_digits(images[:20]))


def test_validation_is_split_before_drawn_digits_are_derived(digits):
    images, labels = digits
    config = TrainConfig(drawn_digits=50, seed=2)
    data = training_set.build_training_set(images, labels, config)
    train_idx, val_idx = training_set.split_validation(len(images), config)
    # the first rows are exactly the training part; the drawn digits come after, made from it alone
    assert np.array_equal(data.x_train[:len(train_idx)], images[train_idx])
    assert np.array_equal(data.x_val, images[val_idx]) and np.array_equal(data.y_val, labels[val_idx])
    assert len(data.x_train) == len(train_idx) + 50 and data.x_train.dtype == np.uint8
    again = TrainingSet(images[train_idx], labels[train_idx].astype(np.int64), data.x_val, data.y_val)
    training_set.add_drawn_digits(again, 50, config.seed)
    assert np.array_equal(again.x_train, data.x_train)          # the step alone: the same digits
    assert data.steps[-1].startswith("50 digits drawn from the training part")


def test_personal_digits_are_repeated_weighted_and_never_validated_on(digits):
    images, labels = digits
    data = training_set.build_training_set(images, labels, TrainConfig(val_fraction=0.1))
    before = len(data.x_train)
    own, own_labels = images[:3], np.array([7, 7, 1])
    training_set.add_personal_digits(data, own, own_labels, repeats=4, weight=5.0)
    assert len(data.x_train) == before + 12 and len(data.x_val) == 100
    assert np.array_equal(data.y_train[-12:], np.repeat(own_labels, 4))
    assert np.all(data.weights[:before] == 1) and np.all(data.weights[before:] == 5)
    assert "3 personal digits, each 4 times, weighted 5" in data.steps[-1]


def test_the_training_set_follows_the_config_and_says_what_it_did(digits):
    images, labels = digits
    messages = []

    class Listen(TrainingCallback):
        def on_message(self, text):
            messages.append(text)

    plain = training_set.build_training_set(images, labels, TrainConfig(val_size=100))
    assert plain.augmenter is None and plain.weights is None
    assert plain.steps == ["1,000 MNIST training images", "100 held out for validation (seed 0), 900 to train on"]
    full = training_set.build_training_set(images, labels, TrainConfig(limit=500, normalize_strokes=True, augment=True),
                                     Listen())
    assert isinstance(full.augmenter, Augmenter) and len(full.x_train) + len(full.x_val) == 500
    assert [s.split(" ")[0] for s in full.steps] == ["1,000", "the", "strokes", "100", "each"]
    assert messages == ["normalising the strokes of 500 images"]


def test_pen_digits_of_training_writers_train_and_of_validation_writers_validate(digits, pendigits_dir):
    from digitpad.data import pendigits

    images, labels = digits
    pen = pendigits.load_pendigits(pendigits_dir)
    groups = pendigits.writer_groups()
    data = training_set.build_training_set(images, labels, TrainConfig(val_size=100))
    before_train, before_val = len(data.x_train), len(data.x_val)
    training_set.add_pen_digits(data, pen, copies=2, seed=0)
    trained = pendigits.of_writers(pen, groups["train"])
    held = pendigits.of_writers(pen, groups["validation"])
    assert len(data.x_train) == before_train + 2 * len(trained) and len(data.x_val) == before_val + len(held)
    assert np.array_equal(data.y_train[before_train::2], [d.label for d in trained])
    # the validation writers' digits are exactly as written, through the app's pipeline
    as_written, _ = pendigits.network_inputs(held)
    assert np.array_equal(data.x_val[before_val:], as_written)
    # the two copies of a training digit differ (varied strokes), and neither is the digit as written
    first, second = data.x_train[before_train], data.x_train[before_train + 1]
    plain, _ = pendigits.network_inputs(trained[:1])
    assert not np.array_equal(first, second) and not np.array_equal(first, plain[0])
    assert "of 20 training writers (2 varied copies each" in data.steps[-1]
    assert not set(groups["measure"]) & (set(groups["train"]) | set(groups["validation"]))
