"""Tests for digitpad.data.mnist_idx and digitpad.data.mnist (reading and verifying the files, lookup,
download) and `digitpad download`.

Everything runs on the real MNIST files (fixture ``mnist_dir``).  Downloads are served by a local
``http.server`` on 127.0.0.1; an autouse fixture makes any other host fail the test.
"""

from __future__ import annotations

import gzip
import hashlib
import http.server
import io
import os
import shutil
import struct
import sys
import threading
import time
import tracemalloc
import urllib.parse
import urllib.request
import zlib
from pathlib import Path

import numpy as np
import pytest

from digitpad import cli
from digitpad.commands import data as data_command
from digitpad.data import mnist, mnist_idx
from digitpad.errors import DatasetError

GZ_NAMES = [spec.gz_name for spec in mnist_idx.ALL_FILES]
TRAIN_HISTOGRAM = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_HISTOGRAM = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


# --- helpers -------------------------------------------------------------------------------------


def link_or_copy(source: Path, target: Path) -> None:
    try:
        os.symlink(source, target)
    except OSError:  # no symlink permission (Windows)
        shutil.copyfile(source, target)


def populate(directory: Path, mnist_dir: Path, names=GZ_NAMES) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name in names:
        link_or_copy(mnist_dir / name, directory / name)
    return directory


def touch_all(directory: Path, names=GZ_NAMES) -> Path:
    """Empty files with the right names: enough for find_mnist_dir, which only checks presence."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in names:
        (directory / name).touch()
    return directory


def raw_idx(mnist_dir: Path, spec: mnist_idx.MnistFile) -> bytes:
    with gzip.open(mnist_dir / spec.gz_name) as handle:
        return handle.read()


def split_dir_with(tmp_path: Path, mnist_dir: Path, name: str, content: bytes) -> Path:
    """A directory with the real test split, except that file ``name`` holds ``content``."""
    directory = populate(tmp_path / "split", mnist_dir, [mnist_idx.TEST_IMAGES.gz_name, mnist_idx.TEST_LABELS.gz_name])
    (directory / name).unlink(missing_ok=True)
    (directory / name).write_bytes(content)
    return directory


def assert_names_file_and_fix(error: pytest.ExceptionInfo, name: str) -> None:
    message = str(error.value)
    assert name in message
    assert "digitpad download" in message
    assert "\n" not in message


@pytest.fixture
def isolated(monkeypatch, tmp_path):
    """Lookup confined to tmp_path: no env var, no project data/, user cache under tmp_path/cache."""
    monkeypatch.delenv(mnist.ENV_VAR, raising=False)
    monkeypatch.setattr(mnist, "project_data_dir", lambda: None)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(mnist, "user_cache_dir", lambda: tmp_path / "xdg" / "digitpad" / "mnist")
    return tmp_path


# --- loading the real data -----------------------------------------------------------------------


def test_train_split(mnist_dir):
    images, labels = mnist.load_mnist("train", mnist_dir)
    assert images.shape == (60000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (60000,) and labels.dtype == np.uint8
    assert labels[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert np.bincount(labels, minlength=10).tolist() == TRAIN_HISTOGRAM
    assert images.mean() / 255 == pytest.approx(0.1307, abs=5e-5)
    assert images.std() / 255 == pytest.approx(0.3081, abs=5e-5)
    assert images.min() == 0 and images.max() == 255


def test_test_split(mnist_dir):
    images, labels = mnist.load_mnist("test", mnist_dir)
    assert images.shape == (10000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (10000,) and labels.dtype == np.uint8
    assert labels[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    assert np.bincount(labels, minlength=10).tolist() == TEST_HISTOGRAM
    assert images.mean() / 255 == pytest.approx(0.1325, abs=5e-5)


def test_arrays_are_read_only_and_cached(mnist_dir):
    images, labels = mnist.load_mnist("test", mnist_dir)
    assert not images.flags.writeable and not labels.flags.writeable
    with pytest.raises(ValueError):
        images[0, 0, 0] = 1
    again, _ = mnist.load_mnist("test", mnist_dir)
    assert again is images


def test_canonical_constants_match_real_files(mnist_dir):
    for spec in mnist_idx.ALL_FILES:
        data = (mnist_dir / spec.gz_name).read_bytes()
        assert len(data) == spec.gz_size
        assert hashlib.md5(data).hexdigest() == spec.gz_md5
        assert hashlib.sha256(data).hexdigest() == spec.gz_sha256
        raw = gzip.decompress(data)
        assert len(raw) == spec.idx_size
        assert hashlib.md5(raw).hexdigest() == spec.idx_md5


def test_uncompressed_files_accepted(tmp_path, mnist_dir):
    for spec in mnist_idx.SPLITS["test"]:
        (tmp_path / spec.name).write_bytes(raw_idx(mnist_dir, spec))
    images, labels = mnist.load_mnist("test", tmp_path)
    expected_images, expected_labels = mnist.load_mnist("test", mnist_dir)
    np.testing.assert_array_equal(images, expected_images)
    np.testing.assert_array_equal(labels, expected_labels)


def test_gzip_detected_by_content_not_name(tmp_path, mnist_dir):
    for spec in mnist_idx.SPLITS["test"]:
        link_or_copy(mnist_dir / spec.gz_name, tmp_path / spec.name)  # gzipped, but without .gz
    _, labels = mnist.load_mnist("test", tmp_path)
    assert labels[:3].tolist() == [7, 2, 1]


def test_gz_name_preferred_over_uncompressed(tmp_path, mnist_dir):
    populate(tmp_path, mnist_dir, [s.gz_name for s in mnist_idx.SPLITS["test"]])
    (tmp_path / mnist_idx.TEST_LABELS.name).write_bytes(b"garbage")
    _, labels = mnist.load_mnist("test", tmp_path)
    assert len(labels) == 10000


def test_unknown_split(mnist_dir):
    with pytest.raises(ValueError, match="split"):
        mnist.load_mnist("validation", mnist_dir)


# --- damaged and foreign files -------------------------------------------------------------------


def _flip(data: bytes, position: int) -> bytes:
    return data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]


@pytest.fixture(scope="module")
def bad_files(mnist_dir: Path) -> dict[str, tuple[str, bytes]]:
    """Damaged or foreign versions of the test split's files: case -> (file name, content)."""
    images = raw_idx(mnist_dir, mnist_idx.TEST_IMAGES)
    labels = raw_idx(mnist_dir, mnist_idx.TEST_LABELS)
    gz_images = (mnist_dir / mnist_idx.TEST_IMAGES.gz_name).read_bytes()
    return {
        "empty": (mnist_idx.TEST_LABELS.gz_name, b""),
        "truncated gz": (mnist_idx.TEST_IMAGES.gz_name, gz_images[: len(gz_images) // 2]),
        "truncated raw": (mnist_idx.TEST_IMAGES.name, images[:-100]),
        "header only": (mnist_idx.TEST_LABELS.name, labels[:5]),
        "trailing data": (mnist_idx.TEST_LABELS.name, labels + b"\x00"),
        "wrong magic": (mnist_idx.TEST_LABELS.name, struct.pack(">I", 2051) + labels[4:]),
        "images as labels": (mnist_idx.TEST_LABELS.name, images),
        "flipped pixel raw": (mnist_idx.TEST_IMAGES.name, _flip(images, 5000)),
        "flipped pixel gz": (mnist_idx.TEST_IMAGES.gz_name, gzip.compress(_flip(images, 5000), 1)),
        "flipped pixel 999": (mnist_idx.TEST_IMAGES.gz_name, gzip.compress(_flip(images, 999), 1)),
        "flipped label": (mnist_idx.TEST_LABELS.gz_name, gzip.compress(_flip(labels, 9000))),
        "damaged gzip stream": (mnist_idx.TEST_LABELS.gz_name, _flip(gzip.compress(labels), 40)),
        "foreign": (mnist_idx.TEST_LABELS.name, b"<html><body>404 Not Found</body></html>"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "empty", "truncated gz", "truncated raw", "header only", "trailing data", "wrong magic",
        "images as labels", "flipped pixel raw", "flipped pixel gz", "flipped label",
        "damaged gzip stream", "foreign",
    ],
)  # fmt: skip
def test_bad_file_raises_dataset_error(tmp_path, mnist_dir, bad_files, case):
    name, content = bad_files[case]
    directory = split_dir_with(tmp_path, mnist_dir, name, content)
    if not name.endswith(".gz"):  # make the bad uncompressed file the one that is read
        (directory / (name + ".gz")).unlink()
    with pytest.raises(DatasetError) as error:
        mnist.load_mnist("test", directory)
    assert_names_file_and_fix(error, name)


def test_checksum_message(tmp_path, mnist_dir, bad_files):
    directory = split_dir_with(tmp_path, mnist_dir, *bad_files["flipped pixel 999"])
    with pytest.raises(DatasetError, match="corrupt.*MD5"):
        mnist.load_mnist("test", directory)


def test_absurd_header_rejected_before_allocating(tmp_path, mnist_dir):
    header = struct.pack(">IIII", 2051, 10**9, 28, 28)
    directory = split_dir_with(tmp_path, mnist_dir, mnist_idx.TEST_IMAGES.gz_name, header + bytes(100))
    tracemalloc.start()
    try:
        with pytest.raises(DatasetError, match="1000000000 x 28 x 28") as error:
            mnist.load_mnist("test", directory)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert_names_file_and_fix(error, mnist_idx.TEST_IMAGES.gz_name)
    assert peak < 1_000_000


def _gzip_bomb(header: bytes, zeros: int) -> bytes:
    """``header`` followed by ``zeros`` zero bytes, gzipped (a few hundred kB) without materialising them."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1 << 20)
    parts = [compressor.compress(header)]
    parts += [compressor.compress(block) for _ in range(zeros >> 20)]
    return b"".join(parts) + compressor.flush()


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    size = 200 << 20  # 200 MB of zeros behind a valid-looking header
    return {
        mnist_idx.TEST_IMAGES.gz_name: _gzip_bomb(struct.pack(">IIII", 2051, 10000, 28, 28), size),
        mnist_idx.TEST_LABELS.gz_name: _gzip_bomb(struct.pack(">II", 2049, 10000), size),
    }


@pytest.mark.parametrize("spec", [mnist_idx.TEST_IMAGES, mnist_idx.TEST_LABELS], ids=["images", "labels"])
def test_gzip_bomb_stopped_after_expected_size(tmp_path, mnist_dir, bombs, spec):
    directory = split_dir_with(tmp_path, mnist_dir, spec.gz_name, bombs[spec.gz_name])
    mnist_idx._load_cached.cache_clear()
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(DatasetError, match="more data") as error:
            mnist_idx.load_idx_file(directory / spec.gz_name, spec)
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert_names_file_and_fix(error, spec.gz_name)
    assert peak < 3 * spec.idx_size + 1_000_000  # never near the 200 MB the stream expands to
    assert elapsed < 10  # a hang guard: the bomb is stopped at the expected size (~0.3 s)


def test_replaced_file_is_reread(tmp_path, mnist_dir):
    directory = populate(tmp_path / "d", mnist_dir, [s.gz_name for s in mnist_idx.SPLITS["test"]])
    mnist.load_mnist("test", directory)
    labels_path = directory / mnist_idx.TEST_LABELS.gz_name
    labels_path.unlink()
    labels_path.write_bytes(gzip.compress(_flip(raw_idx(mnist_dir, mnist_idx.TEST_LABELS), 20)))
    with pytest.raises(DatasetError, match="corrupt"):
        mnist.load_mnist("test", directory)


# --- where the files are looked for --------------------------------------------------------------


def test_search_order(monkeypatch, tmp_path):
    monkeypatch.setenv(mnist.ENV_VAR, str(tmp_path / "env"))
    monkeypatch.setattr(mnist, "project_data_dir", lambda: tmp_path / "project")
    monkeypatch.setattr(mnist, "user_cache_dir", lambda: tmp_path / "cache")
    assert mnist.search_dirs() == [tmp_path / name for name in ("env", "project", "cache")]
    assert mnist.search_dirs(tmp_path / "arg") == [tmp_path / "arg"]  # a folder given is the only one


def test_downloads_go_to_the_variable_else_the_cache_never_the_checkout(monkeypatch, tmp_path):
    """A checkout's data/ is searched, but an editable install does not move where downloads go."""
    monkeypatch.setattr(mnist, "project_data_dir", lambda: tmp_path / "project")
    monkeypatch.setattr(mnist, "user_cache_dir", lambda: tmp_path / "cache")
    monkeypatch.setenv(mnist.ENV_VAR, str(tmp_path / "env"))
    assert mnist.default_download_dir() == tmp_path / "env"
    monkeypatch.delenv(mnist.ENV_VAR)
    assert mnist.default_download_dir() == tmp_path / "cache"


def test_find_mnist_dir_takes_first_complete_dir(monkeypatch, tmp_path):
    monkeypatch.setenv(mnist.ENV_VAR, str(tmp_path / "env"))
    monkeypatch.setattr(mnist, "project_data_dir", lambda: tmp_path / "project")
    monkeypatch.setattr(mnist, "user_cache_dir", lambda: tmp_path / "cache")
    assert mnist.find_mnist_dir() is None
    touch_all(tmp_path / "cache")
    assert mnist.find_mnist_dir() == tmp_path / "cache"
    touch_all(tmp_path / "project", [n.removesuffix(".gz") for n in GZ_NAMES])  # uncompressed names count
    assert mnist.find_mnist_dir() == tmp_path / "project"
    touch_all(tmp_path / "env", GZ_NAMES[:3])  # incomplete: skipped
    assert mnist.find_mnist_dir() == tmp_path / "project"
    touch_all(tmp_path / "env")
    assert mnist.find_mnist_dir() == tmp_path / "env"
    assert mnist.find_mnist_dir(tmp_path / "arg") is None  # a folder given is used or nothing: no fallback
    touch_all(tmp_path / "arg")
    assert mnist.find_mnist_dir(tmp_path / "arg") == tmp_path / "arg"


def test_load_uses_env_var(isolated, monkeypatch, mnist_dir):
    monkeypatch.setenv(mnist.ENV_VAR, str(mnist_dir))
    _, labels = mnist.load_mnist("test")
    assert labels[:3].tolist() == [7, 2, 1]


def test_load_falls_back_to_user_cache(isolated, mnist_dir):
    populate(mnist.user_cache_dir(), mnist_dir)
    _, labels = mnist.load_mnist("test")
    assert labels[:3].tolist() == [7, 2, 1]


def test_a_data_dir_given_is_used_or_refused_never_replaced(isolated, mnist_dir, monkeypatch):
    populate(mnist.user_cache_dir(), mnist_dir)
    monkeypatch.setenv(mnist.ENV_VAR, str(mnist_dir))
    monkeypatch.setattr(mnist, "download_mnist", lambda *a, **k: pytest.fail("downloaded"))
    (isolated / "empty").mkdir()
    with pytest.raises(DatasetError, match=f"not found in {isolated / 'empty'}; run"):
        mnist.load_mnist("test", isolated / "empty")
    with pytest.raises(DatasetError, match=f"{isolated / 'nowhere'}: no such folder"):
        mnist.ensure_mnist(isolated / "nowhere")  # not created, nothing downloaded
    assert not (isolated / "nowhere").exists()
    populate(isolated / "test-only", mnist_dir, [mnist_idx.TEST_IMAGES.gz_name, mnist_idx.TEST_LABELS.gz_name])
    assert mnist.ensure_mnist(isolated / "test-only", download=False, split="test") == isolated / "test-only"


def test_missing_data_says_how_to_fix(isolated):
    with pytest.raises(DatasetError, match="digitpad download") as error:
        mnist.load_mnist("train")
    assert "train-images-idx3-ubyte.gz" in str(error.value)
    with pytest.raises(DatasetError, match="digitpad download"):
        mnist.ensure_mnist(download=False)


def test_ensure_mnist_returns_existing_dir_without_downloading(isolated, mnist_dir, monkeypatch):
    monkeypatch.setattr(mnist, "download_mnist", lambda *a, **k: pytest.fail("downloaded"))
    assert mnist.ensure_mnist(mnist_dir) == mnist_dir


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="XDG layout")
def test_user_cache_dir_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert mnist.user_cache_dir() == tmp_path / "digitpad" / "mnist"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # ignored, as the XDG spec asks
    assert mnist.user_cache_dir() == Path.home() / ".cache" / "digitpad" / "mnist"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert mnist.user_cache_dir() == Path.home() / ".cache" / "digitpad" / "mnist"


def test_check_mnist_dir(tmp_path, mnist_dir):
    assert mnist.check_mnist_dir(mnist_dir) == []
    populate(tmp_path, mnist_dir, GZ_NAMES[1:])
    (tmp_path / GZ_NAMES[3]).unlink()
    (tmp_path / GZ_NAMES[3]).write_bytes(b"bad")
    assert mnist.check_mnist_dir(tmp_path) == [GZ_NAMES[0], GZ_NAMES[3]]
    # an intact uncompressed copy counts
    (tmp_path / mnist_idx.TEST_LABELS.name).write_bytes(raw_idx(mnist_dir, mnist_idx.TEST_LABELS))
    assert mnist.check_mnist_dir(tmp_path) == [GZ_NAMES[0]]


# --- downloading from a local server -------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    """Serves ``server.routes[path] = (body, send_length)``; anything else is a 404."""

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self.server.requests.append(self.path)
        route = self.server.routes.get(self.path)
        if route is None:
            self.send_error(404)
            return
        body, send_length = route
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        if send_length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(autouse=True)
def only_localhost(monkeypatch):
    """Fail any request to a host other than 127.0.0.1, and bypass proxies for it."""
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    real_urlopen = urllib.request.urlopen

    def guarded(request, *args, **kwargs):
        url = request.full_url if isinstance(request, urllib.request.Request) else request
        host = urllib.parse.urlsplit(url).hostname
        assert host == "127.0.0.1", f"test tried to reach {url}"
        return real_urlopen(request, *args, **kwargs)

    monkeypatch.setattr(urllib.request, "urlopen", guarded)


@pytest.fixture(scope="module")
def server(mnist_dir):
    """A local HTTP server: /good/ serves the real files, /corrupt/ damaged copies, /huge/ files
    with extra data and no Content-Length, /short/ truncated copies; all else is 404."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.requests = []
    httpd.routes = {}
    for name in GZ_NAMES:
        data = (mnist_dir / name).read_bytes()
        httpd.routes[f"/good/{name}"] = (data, True)
        httpd.routes[f"/corrupt/{name}"] = (_flip(data, len(data) // 2), True)
        httpd.routes[f"/huge/{name}"] = (data + bytes(200_000), False)
        httpd.routes[f"/short/{name}"] = (data[:-10], True)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    httpd.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def mirrors(server, *names: str) -> list[str]:
    return [f"{server.base}/{name}/" for name in names]


def assert_complete(directory: Path) -> None:
    assert sorted(p.name for p in directory.iterdir()) == sorted(GZ_NAMES)
    assert mnist.check_mnist_dir(directory) == []


def test_download_success_with_progress(tmp_path, server):
    calls = []
    dest = tmp_path / "new" / "dir"
    result = mnist.download_mnist(dest, mirrors(server, "good"), progress=lambda *a: calls.append(a))
    assert result == dest
    assert_complete(dest)
    for spec in mnist_idx.ALL_FILES:
        mine = [(done, total) for name, done, total in calls if name == spec.gz_name]
        assert mine[0] == (0, spec.gz_size) and mine[-1] == (spec.gz_size, spec.gz_size)
        assert [d for d, _ in mine] == sorted(d for d, _ in mine)
    _, labels = mnist.load_mnist("test", dest)
    assert labels[:3].tolist() == [7, 2, 1]


def test_download_skips_files_already_valid(tmp_path, server, mnist_dir):
    populate(tmp_path, mnist_dir, GZ_NAMES[:3])
    server.requests.clear()
    mnist.download_mnist(tmp_path, mirrors(server, "good"))
    assert server.requests == [f"/good/{GZ_NAMES[3]}"]
    server.requests.clear()
    mnist.download_mnist(tmp_path, mirrors(server, "good"))
    assert server.requests == []


def test_download_replaces_damaged_file(tmp_path, server, mnist_dir):
    populate(tmp_path, mnist_dir, GZ_NAMES[:3])
    (tmp_path / GZ_NAMES[3]).write_bytes(b"half a file")
    mnist.download_mnist(tmp_path, mirrors(server, "good"))
    assert_complete(tmp_path)


@pytest.mark.parametrize("bad", ["missing", "corrupt", "short", "huge"])
def test_bad_first_mirror_falls_back_to_second(tmp_path, server, bad):
    server.requests.clear()
    mnist.download_mnist(tmp_path, mirrors(server, bad, "good"))
    assert_complete(tmp_path)
    assert len(server.requests) == 2 * len(GZ_NAMES)
    assert {p.split("/")[1] for p in server.requests} == {bad, "good"}


def test_all_mirrors_failing_leaves_nothing(tmp_path, server):
    unused_port = _closed_port()
    tried = [*mirrors(server, "missing", "corrupt", "huge"), f"http://127.0.0.1:{unused_port}/x/"]
    with pytest.raises(DatasetError) as error:
        mnist.download_mnist(tmp_path, tried, timeout=5)
    message = str(error.value)
    assert GZ_NAMES[0] in message and "\n" not in message
    for base in tried:
        assert base + GZ_NAMES[0] in message
    assert "HTTP 404" in message and "checksum" in message
    assert list(tmp_path.iterdir()) == []


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_stale_part_files_removed(tmp_path, server, mnist_dir):
    populate(tmp_path, mnist_dir)
    stale = tmp_path / f"{GZ_NAMES[0]}.part-1a2b3c4d"
    stale.write_bytes(b"interrupted")
    unrelated = tmp_path / "notes.part-1"
    unrelated.write_text("mine")
    mnist.download_mnist(tmp_path, mirrors(server, "good"))
    assert not stale.exists() and unrelated.exists()


def test_ensure_mnist_downloads_when_missing(isolated, server, monkeypatch):
    real = mnist.download_mnist
    monkeypatch.setattr(mnist, "download_mnist", lambda d, progress: real(d, mirrors(server, "good"), progress))
    assert mnist.ensure_mnist() == mnist.user_cache_dir()  # the default destination
    assert_complete(mnist.user_cache_dir())
    assert mnist.ensure_mnist() == mnist.user_cache_dir()  # found, not fetched again


# --- `digitpad download` -------------------------------------------------------------------------


def test_cli_download_reports_existing_files(tmp_path, mnist_dir, capsys):
    populate(tmp_path, mnist_dir)
    assert cli.main(["download", "--dir", str(tmp_path)]) == 0
    assert "already" in capsys.readouterr().out


def test_cli_download_without_dir_checks_where_loaders_look(isolated, mnist_dir, monkeypatch, capsys):
    monkeypatch.setattr(mnist, "download_mnist", lambda *a, **k: pytest.fail("downloaded"))
    populate(mnist.user_cache_dir(), mnist_dir)
    assert cli.main(["download"]) == 0
    assert f"already in {mnist.user_cache_dir()}" in capsys.readouterr().out


def test_cli_download_with_progress(tmp_path, server, monkeypatch, capsys):
    real = mnist.download_mnist
    monkeypatch.setattr(mnist, "download_mnist", lambda *a, **k: real(*a, **{**k, "mirrors": mirrors(server, "good")}))
    assert cli.main(["download", "--dir", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert str(tmp_path) in out
    assert "train-images-idx3-ubyte.gz  100% 9.9/9.9 MB" in err
    assert "t10k-labels-idx1-ubyte.gz  100% 4.5/4.5 kB" in err
    assert_complete(tmp_path)


def test_cli_download_failure_is_one_line(tmp_path, server, monkeypatch, capsys):
    real = mnist.download_mnist
    monkeypatch.setattr(mnist, "download_mnist", lambda *a, **k: real(*a, **{**k, "mirrors": mirrors(server, "missing")}))
    assert cli.main(["download", "--dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("digitpad: error: could not download")


def test_progress_bar_on_terminal():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    stream = Tty()
    bar = data_command.ProgressBar(stream)
    bar("a.gz", 0, 2_000_000)
    bar("a.gz", 2_000_000, 2_000_000)
    bar("b.gz", 500, None)
    bar.close()
    lines = stream.getvalue().split("\n")
    assert lines[0].split("\r")[-1].rstrip() == "a.gz  100% 2.0/2.0 MB"
    assert lines[1].split("\r")[-1].rstrip() == "b.gz  0.5 kB"


def test_amount_format():
    assert data_command._amount(4_300_000, 9_912_422) == " 43% 4.3/9.9 MB"
    assert data_command._amount(0, 28_881) == "  0% 0.0/28.9 kB"
    assert data_command._amount(1_500_000, None) == "1.5 MB"
