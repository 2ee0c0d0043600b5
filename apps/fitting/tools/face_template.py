"""Rebuild face_template.json: the mean face mesh of the two test portraits, eyes at (0,0), (1,0).

uv run python apps/fitting/tools/face_template.py
"""

import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE / "tests"))

from emporium_fitting.face import FaceFinder  # noqa: E402
from fitting_photos import astronaut, grace_hopper  # noqa: E402

ABOUT = (
    "MediaPipe's 468 face-mesh points, mean of two frontal portraits, in a frame where the "
    "subject's right eye is (0, 0) and the left eye (1, 0)"
)


def main() -> None:
    finder = FaceFinder()
    shapes = []
    for rgb in (astronaut(), grace_hopper()):
        face = finder.find(rgb)
        right, left = face.eyes
        # Rotate and scale so that every face shares the eyes' frame.
        axis = left - right
        angle = -np.arctan2(axis[1], axis[0])
        turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
        shapes.append(((face.points - right) @ turn.T) / np.linalg.norm(axis))
    points = np.round(np.mean(shapes, axis=0), 4).tolist()
    target = HERE / "src" / "emporium_fitting" / "face_template.json"
    target.write_text(json.dumps({"about": ABOUT, "points": points}, separators=(",", ":")))


if __name__ == "__main__":
    main()
