"""Report photos go through the one image path (territoria/images.py): refused before
decoding when too big, kept as a fresh JPEG without any metadata, plus a thumbnail."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from territoria import images

MAX_BYTES = images.PHOTO.max_bytes
MAX_SIDE = images.PHOTO.max_side
THUMBNAIL_SIDE = 320
MAX_PHOTOS = 3
PhotoError = images.ImageError


@dataclass
class CleanPhoto:
    image: bytes
    thumbnail: bytes
    width: int
    height: int


def clean_photo(data: bytes, name: str = "") -> CleanPhoto:
    """Check one uploaded file and return its re-encoded photo and thumbnail."""
    image = images.decode(data, label=name or _("La photo"), max_bytes=MAX_BYTES, max_side=MAX_SIDE)
    full, stored = images.encode(image, "JPEG", MAX_SIDE)
    thumbnail, _thumb = images.encode(stored, "JPEG", THUMBNAIL_SIDE)
    return CleanPhoto(full, thumbnail, stored.width, stored.height)
