"""Finding a face and its landmarks, with models that ship inside pip packages.

Two detectors are candidates (docs/fitting.md compares them): MediaPipe's BlazeFace full-range
model (inside the `mediapipe` 0.10.14 wheel) and OpenCV's Haar cascade (inside the OpenCV 4
wheel). Landmarks always come from MediaPipe's face mesh (468 points, also inside the wheel),
run on a crop around the chosen face so both detectors feed it the same way.
"""

import threading
from dataclasses import dataclass
from typing import Protocol

import cv2
import numpy as np

from emporium_fitting.photos import PhotoError, shrink

DETECT_SIDE = 640  # detection runs on a copy this big: faces we accept are ≥ 80 px anyway
MIN_FACE = 80  # px, in the original photo: smaller faces blur when scaled onto a model
MAX_TURN = 0.33  # nose offset from the eyes' midpoint, in eye distances (≈ 30° of yaw)
DARK_MEAN = 22  # mean gray level below which a photo is too dark to read a face from

# Face mesh indices (MediaPipe's canonical face model).
RIGHT_EYE = (33, 133, 159, 145)  # the subject's right eye: corners, upper and lower lid
LEFT_EYE = (362, 263, 386, 374)
NOSE_TIP = 1
MOUTH = (61, 291)
FACE_OVAL = (
    10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152,
    148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109,
)  # fmt: skip


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    score: float = 1.0

    @property
    def area(self) -> float:
        return self.w * self.h

    @property
    def center(self) -> tuple[float, float]:
        return (self.x + self.w / 2, self.y + self.h / 2)


@dataclass(frozen=True)
class Face:
    """One face on one photo: its box and its 468 landmarks (x, y in the photo's pixels)."""

    box: Box
    points: np.ndarray  # (468, 2) float32

    @property
    def eyes(self) -> tuple[np.ndarray, np.ndarray]:
        right = self.points[list(RIGHT_EYE[:2])].mean(axis=0)
        left = self.points[list(LEFT_EYE[:2])].mean(axis=0)
        return right, left

    @property
    def eye_distance(self) -> float:
        right, left = self.eyes
        return float(np.linalg.norm(left - right))

    def key_points(self) -> np.ndarray:
        """Five points a seller can correct by hand: both eyes, the nose tip, mouth corners."""
        right, left = self.eyes
        return np.array(
            [right, left, self.points[NOSE_TIP], self.points[MOUTH[0]], self.points[MOUTH[1]]],
            dtype=np.float32,
        )

    def turn(self) -> float:
        """How far the face looks sideways: the nose's offset from the eyes, in eye distances."""
        right, left = self.eyes
        axis = (left - right) / max(self.eye_distance, 1e-6)
        offset = float(np.dot(self.points[NOSE_TIP] - (left + right) / 2, axis))
        return abs(offset) / max(self.eye_distance, 1e-6)


class Detector(Protocol):
    name: str

    def detect(self, rgb: np.ndarray) -> list[Box]: ...


class MediaPipeDetector:
    """BlazeFace full range: finds small and turned faces; ~20 ms on a 640-px picture."""

    name = "mediapipe"

    def __init__(self) -> None:
        from mediapipe.python.solutions.face_detection import FaceDetection

        self._model = FaceDetection(model_selection=1, min_detection_confidence=0.5)
        self._lock = threading.Lock()  # a MediaPipe graph serves one image at a time

    def detect(self, rgb: np.ndarray) -> list[Box]:
        height, width = rgb.shape[:2]
        with self._lock:
            found = self._model.process(rgb).detections or []
        boxes = []
        for detection in found:
            rel = detection.location_data.relative_bounding_box
            boxes.append(Box(rel.xmin * width, rel.ymin * height, rel.width * width,
                             rel.height * height, float(detection.score[0])))  # fmt: skip
        return boxes


class HaarDetector:
    """OpenCV's frontal-face Haar cascade: older, frontal faces only, no extra package."""

    name = "haar"

    def __init__(self) -> None:
        path = cv2.data.haarcascades + "haarcascade_frontalface_default.xml"  # type: ignore[attr-defined]
        self._model = cv2.CascadeClassifier(path)
        if self._model.empty():
            raise RuntimeError(f"the Haar cascade did not load from {path}")

    def detect(self, rgb: np.ndarray) -> list[Box]:
        gray = cv2.equalizeHist(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY))
        found = self._model.detectMultiScale(gray, scaleFactor=1.1, minNeighbors=6,
                                             minSize=(24, 24))  # fmt: skip
        return [Box(float(x), float(y), float(w), float(h)) for (x, y, w, h) in found]


class Landmarker:
    """MediaPipe's face mesh, run on a square crop around one detected face."""

    CROP = 384

    def __init__(self) -> None:
        from mediapipe.python.solutions.face_mesh import FaceMesh

        self._model = FaceMesh(static_image_mode=True, max_num_faces=1, refine_landmarks=False,
                               min_detection_confidence=0.3)  # fmt: skip
        self._lock = threading.Lock()

    def landmarks(self, rgb: np.ndarray, box: Box) -> np.ndarray | None:
        height, width = rgb.shape[:2]
        cx, cy = box.center
        side = max(box.w, box.h) * 1.9
        x0, y0 = int(max(0, cx - side / 2)), int(max(0, cy - side / 2))
        x1, y1 = int(min(width, cx + side / 2)), int(min(height, cy + side / 2))
        crop = rgb[y0:y1, x0:x1]
        scale = min(1.0, self.CROP / max(crop.shape[:2]))
        if scale < 1:
            crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        with self._lock:
            found = self._model.process(np.ascontiguousarray(crop)).multi_face_landmarks
        if not found:
            return None
        ch, cw = crop.shape[:2]
        points = np.array([(p.x * cw, p.y * ch) for p in found[0].landmark], dtype=np.float32)
        moved: np.ndarray = points / scale + np.array([x0, y0], dtype=np.float32)
        return moved


class FaceFinder:
    """Detector + landmarks, with the rules for what counts as a usable face."""

    def __init__(self, detector: Detector | None = None) -> None:
        self.detector = detector or MediaPipeDetector()
        self.landmarker = Landmarker()

    def boxes(self, rgb: np.ndarray) -> list[Box]:
        """Every face the detector sees, in the photo's pixels, largest first."""
        small = shrink(rgb, DETECT_SIDE)
        ratio = rgb.shape[1] / small.shape[1]
        boxes = [
            Box(b.x * ratio, b.y * ratio, b.w * ratio, b.h * ratio, b.score)
            for b in self.detector.detect(small)
        ]
        return sorted(boxes, key=lambda b: b.area, reverse=True)

    def find(self, rgb: np.ndarray) -> Face:
        """The photo's face — the largest when there are several — or a PhotoError saying why not."""
        if float(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).mean()) < DARK_MEAN:
            raise PhotoError("too_dark")
        boxes = self.boxes(rgb)
        if not boxes:
            raise PhotoError("no_face")
        box = boxes[0]
        if min(box.w, box.h) < MIN_FACE:
            raise PhotoError("face_too_small", f"{box.w:.0f} px")
        points = self.landmarker.landmarks(rgb, box)
        if points is None:
            raise PhotoError("face_too_turned", "no landmarks")
        face = Face(box, points)
        if face.turn() > MAX_TURN:
            raise PhotoError("face_too_turned", f"turn {face.turn():.2f}")
        return face

    def landmarks_at(self, rgb: np.ndarray, box: Box) -> Face | None:
        """Landmarks inside a box a seller drew by hand (detection failed on a model photo)."""
        points = self.landmarker.landmarks(rgb, box)
        return Face(box, points) if points is not None else None


def _template() -> np.ndarray:
    import json
    from importlib.resources import files

    raw = json.loads(files("emporium_fitting").joinpath("face_template.json").read_text())
    return np.array(raw["points"], dtype=np.float32)


def face_from_key_points(key_points: np.ndarray, box: Box) -> Face:
    """A face a seller marked by hand (five points): the mean face mesh laid on those points.

    For photos where the face mesh finds nothing (drawn figures, side views): the template's
    eyes, nose and mouth corners are fitted to the seller's by a similarity transform.
    """
    template = _template()
    mine = Face(box, template).key_points()
    matrix, _ = cv2.estimateAffinePartial2D(mine, key_points.astype(np.float32))
    if matrix is None:
        raise PhotoError("no_face", "the marked points do not make a face")
    points = cv2.transform(template.reshape(-1, 1, 2), matrix).reshape(-1, 2)
    return Face(box, points.astype(np.float32))
