"""Progress photo processing (Pillow), pure and synchronous: run it in a worker thread.

* The real type comes from decoding, never from the file name or Content-Type: only the
  JPEG, PNG and WebP decoders are tried, and the whole image is decoded, so a script
  called ``photo.png``, a truncated file or a corrupt one is refused.
* Dimensions are checked from the header before any pixel is decoded (decompression bombs
  are refused without allocating them), and Pillow's own bomb check is an error.
* EXIF orientation is applied first, so the photo stays upright; then the pixels are
  copied into a brand-new image, so no metadata at all survives: no EXIF (GPS, camera,
  time), no XMP, no comments. An embedded colour profile is converted to sRGB and then
  dropped too (browsers assume sRGB), so colours stay right without a profile.
* The stored image is a JPEG of at most 2560 px on the long side, the thumbnail 480 px.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from spotter.core.errors import InvalidInput

FORMATS = ("JPEG", "PNG", "WEBP")
MAX_SIDE = 12_000
MAX_PIXELS = 50_000_000
MIN_SIDE = 64
STORED_SIDE = 2560
THUMBNAIL_SIDE = 480
CONTENT_TYPE = "image/jpeg"


class ImageRefused(InvalidInput):
    code, title = "invalid_image", "This file is not a usable photo"

    def __init__(self, message: str) -> None:
        super().__init__(message, errors=[{"field": "file", "message": message}])


@dataclass(frozen=True)
class Processed:
    image: bytes
    thumbnail: bytes
    width: int
    height: int
    source_format: str


def _decode(data: bytes) -> Image.Image:
    if not data:
        raise ImageRefused("The file is empty.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
            width, height = image.size
            if max(width, height) > MAX_SIDE or width * height > MAX_PIXELS:
                raise ImageRefused(
                    f"The photo is {width}x{height} pixels; at most {MAX_SIDE} pixels a side "
                    f"and {MAX_PIXELS // 1_000_000} megapixels are accepted."
                )
            if min(width, height) < MIN_SIDE:
                raise ImageRefused(f"The photo is too small: at least {MIN_SIDE} pixels a side.")
            image.load()
    except ImageRefused:
        raise
    except UnidentifiedImageError as exc:
        raise ImageRefused("This is not a JPEG, PNG or WebP image.") from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRefused("The photo has too many pixels.") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageRefused("The image is damaged or incomplete.") from exc
    return image


def _srgb(image: Image.Image) -> Image.Image:
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        converted = ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=image.mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # an unreadable profile: keep the pixels as they are
    return converted if converted is not None else image


def _flatten(image: Image.Image) -> Image.Image:
    """RGB pixels in a new image that carries no metadata; transparency on white."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        clean = Image.new("RGB", rgba.size, (255, 255, 255))
        clean.paste(rgba, mask=rgba.getchannel("A"))
        return clean
    rgb = image.convert("RGB")
    clean = Image.new("RGB", rgb.size)
    clean.paste(rgb)
    return clean


def _jpeg(image: Image.Image, side: int, quality: int) -> bytes:
    if max(image.size) > side:
        image = image.copy()
        image.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()


def process(data: bytes) -> Processed:
    decoded = _decode(data)
    source_format = str(decoded.format)
    try:
        upright = ImageOps.exif_transpose(decoded) or decoded
    except (OSError, ValueError, SyntaxError) as exc:
        raise ImageRefused("The image is damaged or incomplete.") from exc
    clean = _flatten(_srgb(upright))
    image = _jpeg(clean, STORED_SIDE, 86)
    thumbnail = _jpeg(clean, THUMBNAIL_SIDE, 80)
    width, height = Image.open(io.BytesIO(image)).size
    return Processed(image, thumbnail, width, height, source_format)
