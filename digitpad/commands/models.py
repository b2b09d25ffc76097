"""`digitpad models`: the shipped and user models with what they read (images or strokes) and their test
accuracy; a model file that cannot be read is listed too, with the reason."""

from __future__ import annotations

from digitpad.errors import printable
from digitpad.reading.store import default_reader_names, list_models, shipped_dir
from digitpad.user_dirs import user_models_dir


def register_cli(subparsers) -> None:
    p = subparsers.add_parser("models", help="list shipped and user models",
                              description="List the models digitpad can read with: the shipped ones and yours "
                                          "(the user models folder), with what each reads (images or strokes), "
                                          "its accuracy on its test set and its size. A model file that cannot "
                                          "be read is listed too, with the reason. Give a name to --model of "
                                          "gui, predict or evaluate.")
    p.set_defaults(func=run)


def run(args) -> int:
    entries = list_models()
    if not entries:
        print(f"no models found in {printable(str(shipped_dir()))} or {printable(str(user_models_dir()))}")
        return 0
    print(f"{'name':<24} {'kind':<8} {'reads':<8} {'test acc':>10} {'params':>10}  path")
    for e in entries:
        acc = "unreadable" if e.problem else f"{e.test_accuracy:.2%}" if e.test_accuracy is not None else "-"
        params = f"{e.parameters:,}" if e.parameters is not None else "-"
        print(f"{printable(e.name):<24} {e.kind:<8} {e.reads or '-':<8} {acc:>10} {params:>10}  {printable(str(e.path))}")
        if e.problem:
            print(f"    {e.problem}")
    print(f"(your models are saved in {printable(str(user_models_dir()))}; the app and `digitpad predict` read "
          f"with {' + '.join(default_reader_names())} by default: join an image network and a stroke model with "
          f"'+' to read with both, e.g. --model mlp+strokes)")
    return 0
