"""Photos made safe to keep: decoded, turned upright, scaled down and re-encoded from the
pixels alone, so no EXIF, GPS, XMP, ICC profile or comment survives. A position found in the
original's GPS tags is read first, so the reporter can be offered it."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

from lagesbild.errors import ValidationError

try:  # HEIC from iPhones; the form says so when it is missing
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIC = True
except ImportError:  # pragma: no cover - depends on the installation
    HEIC = False

MAX_BYTES = 15 * 1024 * 1024
MAX_PHOTOS = 5
LONGEST_SIDE = 1600
THUMB_SIDE = 320
TIP_SIDE = 96  # the small picture in a map's tooltip
MAX_PIXELS = 60_000_000  # refuse decompression bombs well before Pillow's own limit
FORMATS = {"JPEG", "PNG", "MPO"} | ({"HEIF"} if HEIC else set())
EXTENSIONS = ["jpg", "jpeg", "png"] + (["heic", "heif"] if HEIC else [])
GPS_IFD = 0x8825


@dataclass(frozen=True)
class Prepared:
    """A photo ready to store: JPEG bytes without metadata, and where it was taken if known."""

    full: bytes
    thumbnail: bytes
    width: int
    height: int
    lat: float | None = None
    lon: float | None = None


def _degrees(value, ref: str | None) -> float | None:
    try:
        d, m, s = (float(v) for v in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    result = d + m / 60 + s / 3600
    return -result if ref in ("S", "W") else result


def gps_position(image: Image.Image) -> tuple[float, float] | None:
    """The latitude and longitude in the photo's EXIF GPS tags, if any and plausible."""
    try:
        gps = image.getexif().get_ifd(GPS_IFD)
    except Exception:  # a broken tag block is simply no position
        return None
    if not gps or 2 not in gps or 4 not in gps:
        return None
    lat = _degrees(gps[2], gps.get(1))
    lon = _degrees(gps[4], gps.get(3))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    if lat == 0 and lon == 0:
        return None
    return round(lat, 6), round(lon, 6)


def _encode(image: Image.Image, quality: int) -> bytes:
    """Only the pixels: a fresh image with no info dictionary, saved without metadata."""
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()


def prepare(data: bytes, name: str = "bilden") -> Prepared:
    """Check, turn upright, scale and strip one uploaded photo; Swedish errors on bad input."""
    if len(data) > MAX_BYTES:
        raise ValidationError(
            {"photo": f"{name} är {len(data) / 1e6:.1f} MB; högst {MAX_BYTES // 2**20} MB."}
        )
    try:
        image = Image.open(io.BytesIO(data))
        if image.format not in FORMATS:
            raise ValidationError({"photo": f"{name}: {_accepted()}"})
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError({"photo": f"{name} är för stor (för många bildpunkter)."})
        position = gps_position(image)
        image = ImageOps.exif_transpose(image)
        image = image.convert("RGB")
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        problem = f"{name} går inte att läsa som bild. {_accepted()}"
        raise ValidationError({"photo": problem}) from exc
    image.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS)
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    lat, lon = position if position else (None, None)
    return Prepared(
        full=_encode(image, 85),
        thumbnail=_encode(thumb, 80),
        width=image.width,
        height=image.height,
        lat=lat,
        lon=lon,
    )


def blurred(thumbnail: bytes) -> bytes:
    """A thumbnail blurred so that no person can be recognised, for those without full access."""
    image = Image.open(io.BytesIO(thumbnail)).convert("RGB")
    return _encode(image.filter(ImageFilter.GaussianBlur(radius=12)), 70)


def smaller(thumbnail: bytes, side: int = TIP_SIDE) -> bytes:
    """A thumbnail scaled down to at most `side` pixels (a map tooltip's picture), re-encoded
    from the pixels alone like every stored image."""
    image = Image.open(io.BytesIO(thumbnail)).convert("RGB")
    image.thumbnail((side, side), Image.Resampling.LANCZOS)
    return _encode(image, 70)


def _accepted() -> str:
    kinds = "JPEG, PNG eller HEIC" if HEIC else "JPEG eller PNG (HEIC stöds inte här)"
    return f"Välj en bild i {kinds}."
