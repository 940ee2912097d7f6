"""Photo checks and re-encoding: the real format is read by decoding (never from the
name), huge or lying images are refused before they are decoded, and what we keep is
a fresh JPEG without any metadata (EXIF, GPS, comments) plus a thumbnail."""

import io
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext as _

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel phone photo; a decompression bomb declares far more
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_SIDE = 2048
THUMBNAIL_SIDE = 320
MAX_PHOTOS = 3


class PhotoError(ValueError):
    """A refused photo, with a French message for the person."""


@dataclass
class CleanPhoto:
    image: bytes
    thumbnail: bytes
    width: int
    height: int


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    # No exif=, no icc_profile=, no comment: the new file carries pixels only.
    image.save(buffer, "JPEG", quality=85, optimize=True)
    return buffer.getvalue()


def clean_photo(data: bytes, name: str = "") -> CleanPhoto:
    """Check one uploaded file and return its re-encoded photo and thumbnail."""
    label = name or _("la photo")
    if len(data) > MAX_BYTES:
        raise PhotoError(
            _("%(name)s dépasse 10 Mo : réduisez sa taille avant de l'envoyer.") % {"name": label}
        )
    try:
        with warnings.catch_warnings():
            # Our own pixel limit below decides; Pillow's warning would only be noise.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
        fmt = probe.format
        width, height = probe.size
    except Image.DecompressionBombError as error:
        raise PhotoError(
            _("%(name)s a des dimensions trop grandes pour une photo.") % {"name": label}
        ) from error
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise PhotoError(
            _("%(name)s n'est pas une image JPEG, PNG ou WebP lisible.") % {"name": label}
        ) from error
    if fmt not in ACCEPTED_FORMATS:
        raise PhotoError(_("%(name)s n'est pas une image JPEG, PNG ou WebP.") % {"name": label})
    if width * height > MAX_PIXELS or width <= 0 or height <= 0:
        raise PhotoError(
            _("%(name)s a des dimensions trop grandes (%(w)s × %(h)s pixels).")
            % {"name": label, "w": width, "h": height}
        )
    try:
        probe.load()
        image = ImageOps.exif_transpose(probe)
        image = image.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError) as error:
        raise PhotoError(
            _("%(name)s est endommagée et ne peut pas être lue.") % {"name": label}
        ) from error
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    full = _jpeg(image)
    thumb = image.copy()
    thumb.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    return CleanPhoto(full, _jpeg(thumb), image.width, image.height)
