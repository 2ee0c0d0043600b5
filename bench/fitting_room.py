"""Time to a fitting-room result, per candidate face detector, on one core, with peak memory.

    uv run python bench/fitting_room.py [--runs 30]

The model photo is one of the demo's (1,000×1,600 px: a real portrait on a drawn body); the
buyer's face photo is scikit-image's astronaut upscaled to 1,200 px, sent as JPEG bytes. Each
run does what the app does for a new buyer photo: decode the bytes in memory, find the face and
its landmarks, swap it onto the model (whose face was found once, when the seller added her),
encode the result as JPEG. Each detector runs in its own child process pinned to one core
(OpenCV told to use one thread) so its peak resident memory is its own. Prints p50 and p95 of
the time to a result, the peak RSS, and each candidate's ratio against MediaPipe (the choice).
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DETECTORS = ["mediapipe", "haar"]


def child(detector: str, runs: int) -> dict[str, object]:
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    os.environ.setdefault("GLOG_minloglevel", "2")
    import resource
    import statistics

    import cv2

    cv2.setNumThreads(1)
    sys.path.insert(0, str(ROOT / "apps" / "fitting" / "tests"))
    from emporium_fitting import photos
    from emporium_fitting.face import FaceFinder, HaarDetector
    from emporium_fitting.swap import swap
    from fitting_photos import astronaut, jpeg, scaled

    from emporium.demo.fitting_models import MODELS, compose

    finder = FaceFinder(HaarDetector() if detector == "haar" else None)
    model = photos.decode(compose(MODELS[1], (196, 58, 92)))
    model_face = finder.find(model)
    photo = jpeg(scaled(astronaut(), 1200))
    times = []
    for _ in range(runs + 2):
        start = time.perf_counter()
        rgb = photos.shrink(photos.decode(photo), 1200)
        face = finder.find(rgb)
        result = swap(model, model_face, rgb, face)
        photos.encode_jpeg(result.image)
        times.append(time.perf_counter() - start)
    times = sorted(times[2:])  # the first two warm the models up
    return {
        "detector": detector,
        "model": f"{model.shape[1]}×{model.shape[0]}",
        "photo": f"{rgb.shape[1]}×{rgb.shape[0]}",
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))] * 1000, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "box": [round(v) for v in (model_face.box.x, model_face.box.y, model_face.box.w)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--child", choices=DETECTORS)
    args = parser.parse_args()
    if args.child:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emporium.settings")
        print(json.dumps(child(args.child, args.runs)))
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from catalog import machine

    print(f"fitting room: time to a result on one core, {args.runs} runs — {machine()}")
    rows = []
    for detector in DETECTORS:
        out = subprocess.run([sys.executable, __file__, "--child", detector, "--runs",  # noqa: S603
                              str(args.runs)], capture_output=True, text=True, check=True)  # fmt: skip
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    base = rows[0]
    print(f"{'detector':<10} {'model':>10} {'photo':>10} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'peak MB':>8} {'p50 ratio':>9}")  # fmt: skip
    for row in rows:
        ratio = float(row["p50_ms"]) / float(base["p50_ms"])
        print(f"{row['detector']:<10} {row['model']:>10} {row['photo']:>10} {row['p50_ms']:>8} "
              f"{row['p95_ms']:>8} {row['peak_rss_mb']:>8} {ratio:>8.2f}×")  # fmt: skip


if __name__ == "__main__":
    main()
