"""The zoom app's figures: its libvips tiler beside a plain Pillow tiler on a 10,000 × 10,000 JPEG
(time and peak memory, each in a fresh process, same run), tiles served per second (wrk), and the
time from loading a page with the viewer block to its first sharp view in Chromium.

    uv run python bench/zoom.py [--size 10000] [--seconds 10] [--loads 5] [--write-docs]

The picture is a real photograph (scikit-image's retina) enlarged to the size asked, kept in
var/bench-zoom (BENCH_ZOOM_VAR_DIR) for later runs. Pillow's tiler writes the same pyramid: 254 px
tiles, 1 px overlap, every level halving, JPEG quality 97 without chroma subsampling.
"""

import argparse
import hashlib
import json
import math
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VAR = Path(os.environ.get("BENCH_ZOOM_VAR_DIR", ROOT / "var" / "bench-zoom"))
DOCS = ROOT / "docs" / "performance.md"
HEADING = "## Zoom viewer: tiling, tiles served, first sharp view"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- the picture ---------------------------------------------------------------------------------


def picture(size: int) -> Path:
    path = VAR / f"retina-{size}.jpeg"
    if path.exists():
        return path
    import pyvips
    from skimage import data

    VAR.mkdir(parents=True, exist_ok=True)
    pixels = data.retina()
    photo = pyvips.Image.new_from_memory(
        pixels.tobytes(), pixels.shape[1], pixels.shape[0], 3, "uchar"
    )
    photo.resize(size / photo.width, kernel="cubic").jpegsave(str(path), Q=90)
    return path


# --- tilers, each run in a child process ----------------------------------------------------------


def tile_with_vips(source: Path, out: Path) -> int:
    from emporium_zoom import tiler

    return tiler.tile(source, out / "pyramid", max_pixels=10**9).tiles


def tile_with_pillow(source: Path, out: Path) -> int:
    """The plain way: decode it all, then for each level crop and save, halving as we go."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = None
    image = Image.open(source).convert("RGB")
    levels = math.ceil(math.log2(max(image.size))) + 1
    count = 0
    for level in range(levels - 1, -1, -1):
        folder = out / "pyramid_files" / str(level)
        folder.mkdir(parents=True)
        width, height = image.size
        for x in range(math.ceil(width / 254)):
            for y in range(math.ceil(height / 254)):
                left, top = max(0, x * 254 - 1), max(0, y * 254 - 1)
                box = (left, top, min(width, x * 254 + 255), min(height, y * 254 + 255))
                image.crop(box).save(folder / f"{x}_{y}.jpg", "JPEG", quality=97, subsampling=0)
                count += 1
        image = image.resize((max(1, math.ceil(width / 2)), max(1, math.ceil(height / 2))),
                             Image.Resampling.LANCZOS)  # fmt: skip
    return count


def child(which: str, source: str, out: str) -> None:
    tile = tile_with_vips if which == "vips" else tile_with_pillow
    print(json.dumps({"tiles": tile(Path(source), Path(out))}))


def run_tiler(which: str, source: Path) -> dict:
    out = Path(tempfile.mkdtemp(prefix=f"bench-{which}-", dir=VAR))
    start = time.perf_counter()
    command = [sys.executable, __file__, "--child", which, str(source), str(out)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    answer = json.loads(process.stdout.read().decode().strip().splitlines()[-1])
    assert status == 0, f"{which} tiler failed"
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    shutil.rmtree(out)
    return {"seconds": seconds, "peak_mb": usage.ru_maxrss / 1024, "tiles": answer["tiles"],
            "disk_mb": size / 1e6}  # fmt: skip


# --- serving ----------------------------------------------------------------------------------


def prepare_app(source: Path) -> tuple[Path, str]:
    """The app's data directory with the picture tiled and known as item `bench-item` of shop
    `bench-shop` (written through the app's own store, as its ingestion would)."""
    from emporium_zoom import tiler
    from emporium_zoom.store import Picture, Store
    from emporium_zoom.work import tiles_base

    data = VAR / "app"
    sha = hashlib.sha256(source.read_bytes()).hexdigest()
    base = tiles_base(data / "tiles", sha)
    if not base.with_suffix(".dzi").exists():
        tiler.tile(source, base, max_pixels=10**9)
    store = Store(data / "zoom.sqlite3")
    import pyvips

    size = pyvips.Image.new_from_file(str(source))
    shown = Picture("bench-item", 0, sha, "http://unused/", size.width, size.height, "")
    store.replace_item("bench-shop", "bench-item", "Bench", "on_sale", [shown])
    store.want("bench-shop", shown, small=False)
    store.finish(sha, 1, 1)
    store.close()
    return data, sha


def start_app(data: Path, port: int, platform_url: str) -> subprocess.Popen:
    env = {**os.environ, "ZOOM_DATA_DIR": str(data), "ZOOM_CLIENT_ID": "bench",
           "ZOOM_CLIENT_SECRET": "bench-secret", "ZOOM_PLATFORM_URL": platform_url,
           "ZOOM_PUBLIC_URL": f"http://127.0.0.1:{port}", "ZOOM_FEED_SECONDS": "3600"}  # fmt: skip
    server = subprocess.Popen([sys.executable, "-m", "emporium_zoom", "serve", "--port", str(port),
                               "--quiet"], env=env, stdout=subprocess.DEVNULL)  # fmt: skip
    import httpx

    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline and server.poll() is None, "the zoom app did not start"
        time.sleep(0.2)


def wrk_tiles(port: int, data: Path, sha: str, seconds: int) -> dict:
    deepest = max(int(p.name) for p in (data / "tiles" / sha[:2] / f"{sha}_files").iterdir())
    names = sorted((data / "tiles" / sha[:2] / f"{sha}_files" / str(deepest)).glob("*.jpg"))[:2000]
    paths = [f"/tiles/{sha[:2]}/{sha}_files/{deepest}/{n.name}" for n in names]
    script = VAR / "tiles.lua"
    script.write_text(
        "paths = {" + ",".join(f'"{p}"' for p in paths) + "}\n"
        "counter = 0\nrequest = function()\n  counter = counter + 1\n"
        "  return wrk.format('GET', paths[(counter % #paths) + 1])\nend\n"
    )
    out = subprocess.run(["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", "-s", str(script),
                          f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True)  # fmt: skip
    text = out.stdout
    rate = float(text.split("Requests/sec:")[1].split()[0])
    p50 = text.split(" 50%")[1].split()[0]
    p99 = text.split(" 99%")[1].split()[0]
    errors = "Non-2xx" in text or "Socket errors" in text
    mean_kb = statistics.mean(n.stat().st_size for n in names) / 1024
    return {"rate": rate, "p50": p50, "p99": p99, "errors": errors, "tile_kb": mean_kb}


def first_sharp_view(port: int, loads: int, host_port: int) -> list[float]:
    """From navigation start of a page framing the block to OpenSeadragon's fully-loaded view."""
    import jwt
    from playwright.sync_api import sync_playwright

    platform_url = f"http://127.0.0.1:{host_port}"
    folder = Path(tempfile.mkdtemp(dir=VAR))

    class Quiet(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(folder), **kwargs)

        def log_message(self, *args):
            pass

    host = ThreadingHTTPServer(("127.0.0.1", host_port), Quiet)
    threading.Thread(target=host.serve_forever, daemon=True).start()
    timings = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=["--no-sandbox", "--disable-gpu"])  # fmt: skip
            for n in range(loads):
                now = int(time.time())
                token = jwt.encode({"iss": platform_url, "aud": "bench/block", "typ": "block",
                                    "shop": "bench-shop", "item": "bench-item", "locale": "en",
                                    "placement": "gallery", "iat": now, "exp": now + 300},
                                   "bench-secret", algorithm="HS256")  # fmt: skip
                (folder / f"item{n}.html").write_text(
                    '<!doctype html><body style="margin:0"><iframe sandbox="allow-scripts" '
                    f'style="width:640px;height:560px;border:0" src="http://127.0.0.1:{port}/block?'
                    f'context={token}"></iframe>'
                )
                context = browser.new_context()  # a cold cache every time
                page = context.new_page()
                start = time.perf_counter()
                page.goto(f"{platform_url}/item{n}.html")  # waits for the frame's load too
                frame = next(f for f in page.frames if "/block?" in f.url)
                frame.wait_for_function(
                    "window.zoomViewer && zoomViewer.world.getItemCount() === 1 && "
                    "zoomViewer.world.getItemAt(0).getFullyLoaded()",
                    timeout=60_000,
                )
                timings.append((time.perf_counter() - start) * 1000)
                context.close()
            browser.close()
    finally:
        host.shutdown()
        shutil.rmtree(folder, ignore_errors=True)
    return timings


# --- report -------------------------------------------------------------------------------------


def report(args, vips: dict, pillow: dict, served: dict, sharp: list[float]) -> str:
    cpu = platform.processor() or platform.machine()
    lines = [
        f"`uv run python bench/zoom.py --size {args.size} --seconds {args.seconds} --loads "
        f"{args.loads}` on {os.cpu_count()} cores ({cpu}), everything on the same machine.",
        "",
        f"**Tiling a {args.size:,} × {args.size:,} JPEG** (a real photograph enlarged), each tiler in "
        "a fresh process, same run, same pyramid (254 px tiles, 1 px overlap, JPEG q97 4:4:4):",
        "",
        "| tiler | time | peak memory (RSS) | tiles | on disk |",
        "|---|---|---|---|---|",
        f"| app (libvips `dzsave`) | {vips['seconds']:.2f} s | {vips['peak_mb']:.0f} MB | "
        f"{vips['tiles']:,} | {vips['disk_mb']:.0f} MB |",
        f"| plain Pillow | {pillow['seconds']:.2f} s | {pillow['peak_mb']:.0f} MB | "
        f"{pillow['tiles']:,} | {pillow['disk_mb']:.0f} MB |",
        f"| **ratio** Pillow / app | **{pillow['seconds'] / vips['seconds']:.1f}×** | "
        f"**{pillow['peak_mb'] / vips['peak_mb']:.1f}×** | | |",
        "",
        f"**Tiles served** by the app (uvicorn, one process) to `wrk -t2 -c32 -d{args.seconds}s`, "
        f"cycling over the deepest level's tiles (mean {served['tile_kb']:.0f} KB): "
        f"**{served['rate']:,.0f} tiles/s**, latency p50 {served['p50']}, p99 {served['p99']}"
        f"{' (with errors!)' if served['errors'] else ', no errors'}.",
        "",
        f"**First sharp view** in Chromium (headless, software drawing, cold cache each time): from "
        "navigating to a page that frames the viewer block to OpenSeadragon's fully-loaded view of "
        f"the picture, over {len(sharp)} loads: median **{statistics.median(sharp):.0f} ms** "
        f"(min {min(sharp):.0f}, max {max(sharp):.0f}).",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    if sys.argv[1:2] == ["--child"]:
        child(*sys.argv[2:5])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    source = picture(args.size)
    print(f"picture: {source} ({source.stat().st_size / 1e6:.1f} MB)", flush=True)
    vips = run_tiler("vips", source)
    print("app tiler (libvips):", vips, flush=True)
    pillow = run_tiler("pillow", source)
    print("plain Pillow tiler:", pillow, flush=True)
    print(f"ratio Pillow/app: time {pillow['seconds'] / vips['seconds']:.1f}x, "
          f"peak memory {pillow['peak_mb'] / vips['peak_mb']:.1f}x", flush=True)  # fmt: skip
    data, sha = prepare_app(source)
    port, host_port = free_port(), free_port()
    server = start_app(data, port, f"http://127.0.0.1:{host_port}")
    try:
        served = wrk_tiles(port, data, sha, args.seconds)
        print("tiles served:", served, flush=True)
        sharp = first_sharp_view(port, args.loads, host_port)
        print("first sharp view (ms):", [round(t) for t in sharp], flush=True)
    finally:
        server.terminate()
        server.wait(10)
    text = report(args, vips, pillow, served, sharp)
    print(HEADING + "\n\n" + text)
    if args.write_docs:
        from harness import replace_section

        DOCS.write_text(replace_section(DOCS.read_text(), HEADING, text))
    return 0


if __name__ == "__main__":
    sys.exit(main())
