"""Putting a buyer's face on a model's photo: align, warp by triangles, match colour, blend.

The classical pipeline: a similarity transform (rotation, scale, shift) brings the buyer's face
to the model's; a piecewise-affine warp over the Delaunay triangles of the 468 landmarks fits
it to the model's features; the face is matched to the model's skin in Lab (mean and spread per
channel, after Reinhard et al. 2001); Poisson blending (`cv2.seamlessClone`, Pérez et al. 2003)
hides the seam. Only pixels inside the mask — the face oval, pulled in below the hairline —
change: everything else of the model's photo is returned byte for byte.
"""

from dataclasses import dataclass

import cv2
import numpy as np

from emporium_fitting.face import FACE_OVAL, Face

PAD = 0.25  # margin around the model's face, so the Poisson region never touches its edge
SHRINK_SIDES = 0.06  # the mask is the face oval pulled towards its centre by this much…
SHRINK_TOP = 0.22  # …and more above the eyes: the model's hairline and forehead stay hers


@dataclass(frozen=True)
class Swapped:
    image: np.ndarray  # the model photo with the new face, same size
    mask: np.ndarray  # uint8 0/255 over the whole photo: the pixels that may differ
    center: tuple[int, int]  # the face's centre on the model photo


def swap(model: np.ndarray, model_face: Face, photo: np.ndarray, photo_face: Face) -> Swapped:
    """`photo`'s face on `model`, where `model_face` is; `model` is left unchanged."""
    height, width = model.shape[:2]
    x0, y0, x1, y1 = _roi(model_face.points, width, height)
    target = model_face.points - np.array([x0, y0], dtype=np.float32)
    roi = model[y0:y1, x0:x1]
    aligned, source = _align(photo, photo_face.points, target, roi.shape[1], roi.shape[0])
    warped = _warp_triangles(aligned, source, target, roi.shape[:2])
    mask = _mask(target, roi.shape[:2])
    corrected = _match_colour(warped, roi, mask)
    bx, by, bw, bh = cv2.boundingRect(mask)
    center = (bx + bw // 2, by + bh // 2)
    # seamlessClone writes into the mask it is given (OpenCV 4), so it gets a copy.
    blended = cv2.seamlessClone(corrected, roi, mask.copy(), center, cv2.NORMAL_CLONE)
    out = model.copy()
    inside = mask > 0
    out[y0:y1, x0:x1][inside] = blended[inside]
    full_mask = np.zeros((height, width), dtype=np.uint8)
    full_mask[y0:y1, x0:x1] = mask
    return Swapped(out, full_mask, (x0 + center[0], y0 + center[1]))


def _roi(points: np.ndarray, width: int, height: int) -> tuple[int, int, int, int]:
    x, y, w, h = cv2.boundingRect(points.astype(np.float32))
    pad_x, pad_y = int(w * PAD) + 4, int(h * PAD) + 4
    return (max(0, x - pad_x), max(0, y - pad_y), min(width, x + w + pad_x),
            min(height, y + h + pad_y))  # fmt: skip


def _align(
    photo: np.ndarray, points: np.ndarray, target: np.ndarray, width: int, height: int
) -> tuple[np.ndarray, np.ndarray]:
    """The photo rotated, scaled and shifted so its face lies on the target's, cut to the ROI."""
    matrix, _ = cv2.estimateAffinePartial2D(points, target, method=cv2.LMEDS)
    if matrix is None:
        raise ValueError("the two faces' landmarks do not align")
    aligned = cv2.warpAffine(photo, matrix, (width, height), flags=cv2.INTER_LINEAR,
                             borderMode=cv2.BORDER_REFLECT)  # fmt: skip
    moved = cv2.transform(points.reshape(-1, 1, 2), matrix).reshape(-1, 2)
    return aligned, moved.astype(np.float32)


def triangles(points: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Delaunay triangles over the landmarks, as (n, 3) indices into `points`."""
    height, width = shape
    subdiv = cv2.Subdiv2D((0, 0, width, height))
    inside = (points[:, 0] >= 0) & (points[:, 0] < width) & (points[:, 1] >= 0)
    inside &= points[:, 1] < height
    for x, y in points[inside]:
        subdiv.insert((float(x), float(y)))
    corners = np.asarray(subdiv.getTriangleList()).reshape(-1, 3, 2)
    result = []
    for triangle in corners:
        distances = np.linalg.norm(points[None, :, :] - triangle[:, None, :], axis=2)
        index = distances.argmin(axis=1)
        if distances[np.arange(3), index].max() < 0.5 and len(set(index)) == 3:
            result.append(index)
    return np.array(result, dtype=np.int32).reshape(-1, 3)


def _warp_triangles(
    image: np.ndarray, source: np.ndarray, target: np.ndarray, shape: tuple[int, int]
) -> np.ndarray:
    """Each Delaunay triangle of `source` moved onto its twin in `target` (piecewise affine)."""
    out = image.copy()  # outside the triangles: the aligned photo (the mask never reaches it)
    height, width = shape
    for tri in triangles(target, shape):
        src, dst = source[tri], target[tri]
        sx, sy, sw, sh = cv2.boundingRect(src)
        dx, dy, dw, dh = cv2.boundingRect(dst)
        if dw <= 0 or dh <= 0 or dx < 0 or dy < 0 or dx + dw > width or dy + dh > height:
            continue
        sx0, sy0 = max(sx, 0), max(sy, 0)
        patch = image[sy0 : sy + sh, sx0 : sx + sw]
        if patch.size == 0:
            continue
        matrix = cv2.getAffineTransform(
            (src - [sx0, sy0]).astype(np.float32), (dst - [dx, dy]).astype(np.float32)
        )
        moved = cv2.warpAffine(patch, matrix, (dw, dh), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REFLECT_101)  # fmt: skip
        tri_mask = np.zeros((dh, dw), dtype=np.uint8)
        cv2.fillConvexPoly(tri_mask, np.round(dst - [dx, dy]).astype(np.int32), 1)
        region = out[dy : dy + dh, dx : dx + dw]
        region[tri_mask > 0] = moved[tri_mask > 0]
    return out


def _mask(target: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """The face oval, pulled in at the sides and more at the top (hairline), as 0/255."""
    oval = target[list(FACE_OVAL)].astype(np.float64)
    center = oval.mean(axis=0)
    eye_line = float(target[[33, 263], 1].mean())
    pull = np.where(oval[:, 1] < eye_line, SHRINK_TOP, SHRINK_SIDES)[:, None]
    oval = oval + (center - oval) * pull
    mask = np.zeros(shape, dtype=np.uint8)
    cv2.fillPoly(mask, [cv2.convexHull(np.round(oval).astype(np.int32)).reshape(-1, 2)], 255)
    return mask


def _match_colour(face: np.ndarray, model: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """`face` with the mean and spread of the model's skin under the mask, per Lab channel."""
    inside = mask > 0
    face_lab = cv2.cvtColor(face, cv2.COLOR_RGB2LAB).astype(np.float32)
    model_lab = cv2.cvtColor(model, cv2.COLOR_RGB2LAB).astype(np.float32)
    src, ref = face_lab[inside], model_lab[inside]
    # Spread is clamped: a very flat or very contrasty photo must not be stretched absurdly.
    ratio = np.clip(ref.std(axis=0) / np.maximum(src.std(axis=0), 1e-3), 0.5, 2.0)
    face_lab = (face_lab - src.mean(axis=0)) * ratio + ref.mean(axis=0)
    rgb: np.ndarray = cv2.cvtColor(np.clip(face_lab, 0, 255).astype(np.uint8), cv2.COLOR_LAB2RGB)
    return rgb
