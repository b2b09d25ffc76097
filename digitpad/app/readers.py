"""What the app reads with: a reader choice (an image network, a stroke model, or both) and the list
of choices the model rows offer.

A :class:`ReaderChoice` is the model files a `Reader` reads with, at most one image network and one
stroke model; its ``spec`` is the same choice as ``Reader.load`` takes it (the paths joined by ``+``).
The session keeps choices, not single paths, so that the chosen and the compared reader can each be
an image network alone, a stroke model alone or the two combined.  `reader_options` turns the model
store's catalogue into the list the model rows show, in three groups: picture and pen (every image
network with every stroke model, the default first), picture only, pen only; an unreadable file is
listed last, greyed out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from digitpad.errors import DigitpadError
from digitpad.reading.reader import Reader
from digitpad.reading.store import ModelEntry, default_reader_names, resolve_reader


@dataclass(frozen=True)
class ReaderChoice:
    """The model files a reader reads with: one or two paths (an image network and a stroke model,
    in that order once their kinds are known)."""

    paths: tuple[Path, ...]

    def __post_init__(self):
        if not 1 <= len(self.paths) <= 2:
            raise ValueError(f"a reader reads with one or two models, got {len(self.paths)}")

    @classmethod
    def of(cls, *paths: str | Path) -> "ReaderChoice":
        return cls(tuple(Path(p) for p in paths))

    @classmethod
    def parse(cls, spec: "ReaderChoice | str | Path") -> "ReaderChoice":
        """A choice from a path (one model file), or a spec: names of the model store or paths, joined by
        ``+`` (``"cnn+strokes"``); ModelFileError for a name that is no model."""
        return spec if isinstance(spec, ReaderChoice) else cls(resolve_reader(spec))

    @property
    def spec(self) -> str:
        """The choice as ``Reader.load`` takes it: the paths joined by ``+``."""
        return "+".join(str(p) for p in self.paths)

    @property
    def name(self) -> str:
        """The models' names joined by ``+`` (``cnn+strokes``)."""
        return "+".join(p.stem for p in self.paths)


def load_reader(choice: ReaderChoice) -> Reader:
    """The reader of ``choice``: its files opened by `Reader.load` (each checked to fit digitpad), an
    image network and a stroke model combined with the stroke model's weight.  ModelFileError (one line
    naming the file) when a file cannot be used or two models of one kind are chosen."""
    return Reader.load(list(choice.paths))   # Paths: never split on "+"


@dataclass(frozen=True)
class ReaderOption:
    """One line of a model list: a header (``choice`` None), a reader choice, or an unreadable file
    (``problem``).  ``entries`` are the catalogue entries of the choice's models, image network first."""

    group: str                       # "both", "image", "strokes" or "unreadable"
    choice: ReaderChoice | None = None
    entries: tuple[ModelEntry, ...] = ()
    default: bool = False
    problem: str | None = None


def default_choice(entries: list[ModelEntry]) -> ReaderChoice | None:
    """What the app reads with at start: the shipped CNN with the shipped stroke model (`Reader.default`),
    or the CNN alone when no stroke model is installed; None when the CNN is not installed."""
    try:
        return ReaderChoice(resolve_reader(default_reader_names()))
    except DigitpadError:
        return None


def reader_options(entries: list[ModelEntry]) -> list[ReaderOption]:
    """The model list: each group's header then its readers, picture and pen first (the default at the
    top), then picture only, pen only, and the files that cannot be read."""
    images = [e for e in entries if e.reads == "image"]
    strokes = [e for e in entries if e.reads == "strokes"]
    unreadable = [e for e in entries if e.reads is None]
    default = default_choice(entries)
    both = [ReaderOption("both", ReaderChoice((i.path, s.path)), (i, s)) for i in images for s in strokes]
    both.sort(key=lambda option: option.choice != default)
    options: list[ReaderOption] = []
    for group, members in (("both", both),
                           ("image", [ReaderOption("image", ReaderChoice((e.path,)), (e,)) for e in images]),
                           ("strokes", [ReaderOption("strokes", ReaderChoice((e.path,)), (e,)) for e in strokes])):
        if members:
            options.append(ReaderOption(group))
            options += [ReaderOption(o.group, o.choice, o.entries, o.choice == default) for o in members]
    options += [ReaderOption("unreadable", ReaderChoice((e.path,)), (e,), problem=e.problem or "")
                for e in unreadable]
    return options
