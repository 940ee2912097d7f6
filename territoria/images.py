"""One path for every uploaded image (report photos, idea images, logos).

The byte size is checked before anything is read, the dimensions from the header before
anything is decoded; what is kept is a fresh JPEG or PNG, turned upright, downscaled,
without any metadata (EXIF and its GPS position, comments, colour profiles), stored
under a random name: never the uploaded one.
"""

import io
import secrets
import threading
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.conf import settings
from django.core import checks
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import models, transaction
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.static import serve as static_serve

from PIL import Image, ImageFile, ImageOps

MAX_PIXELS = 40_000_000  # a 40-megapixel phone photo; a decompression bomb declares far more
MAX_INPUT_SIDE = 16_384  # longer than any camera's side: a longer strip is no photo
# Pillow's own guard agrees with ours: it warns above MAX_PIXELS and refuses above twice.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# "MPO" is how Pillow names the JPEG files of phones that hold a second picture.
DECODERS = ["JPEG", "PNG", "WEBP"]
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png"}


class ImageError(ValueError):
    """A refused image, with a French message for the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Kind:
    """What an upload is for: its limit in bytes, its stored size and format."""

    max_bytes: int
    max_side: int
    format: str  # "JPEG" (photos) or "PNG" (logos keep their transparency)
    label: str  # how messages name the file when its own name is not shown

    @property
    def extension(self) -> str:
        return "jpg" if self.format == "JPEG" else "png"


PHOTO = Kind(10 * 1024 * 1024, 2048, "JPEG", gettext_lazy("L'image"))
LOGO = Kind(1024 * 1024, 512, "PNG", gettext_lazy("Le logo"))
KINDS = {"photo": PHOTO, "logo": LOGO}


def _too_heavy(label: str, max_bytes: int) -> ImageError:
    return ImageError(
        _("%(name)s dépasse %(limit)s Mo : réduisez sa taille avant de l'envoyer.")
        % {"name": label, "limit": number_format(max_bytes / (1024 * 1024), 0)}
    )


_loading = threading.Lock()


@contextmanager
def _strict_loading():
    """WeasyPrint sets Pillow's global LOAD_TRUNCATED_IMAGES: a truncated upload would be
    kept half grey. Refuse it while we decode, then give the flag back."""
    with _loading:
        saved = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = saved


def decode(
    data: bytes, *, label: str, max_bytes: int = PHOTO.max_bytes, max_side: int = 0
) -> Image.Image:
    """Check one uploaded file and return its pixels, upright, without metadata; a JPEG
    is decoded at the smallest scale that still covers `max_side`."""
    if len(data) > max_bytes:
        raise _too_heavy(label, max_bytes)
    try:
        with warnings.catch_warnings():
            # Our own limits below decide, with the dimensions in the message.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            # Image.open reads the header only; other formats' parsers are never tried.
            probe = Image.open(io.BytesIO(data), formats=DECODERS)
        fmt = probe.format
        width, height = probe.size
    except Image.DecompressionBombError as error:
        raise ImageError(
            _("%(name)s a des dimensions trop grandes : %(max)s millions de pixels au plus.")
            % {"name": label, "max": MAX_PIXELS // 1_000_000}
        ) from error
    except Exception as error:  # any parser failure on hostile bytes is a refusal, never a 500
        raise ImageError(
            _("%(name)s n'est pas une image JPEG, PNG ou WebP lisible.") % {"name": label}
        ) from error
    if fmt not in ACCEPTED_FORMATS:
        raise ImageError(_("%(name)s n'est pas une image JPEG, PNG ou WebP.") % {"name": label})
    if (
        width * height > MAX_PIXELS
        or max(width, height) > MAX_INPUT_SIDE
        or min(width, height) <= 0
    ):
        raise ImageError(
            _(
                "%(name)s a des dimensions trop grandes (%(w)s × %(h)s pixels) : "
                "%(max)s millions de pixels au plus."
            )
            % {
                "name": label,
                "w": number_format(width, force_grouping=True),
                "h": number_format(height, force_grouping=True),
                "max": MAX_PIXELS // 1_000_000,
            }
        )
    try:
        if max_side and fmt in {"JPEG", "MPO"}:
            probe.draft("RGB", (max_side, max_side))
        with _strict_loading():
            probe.load()
        image = ImageOps.exif_transpose(probe)
        transparent = "A" in image.getbands() or "transparency" in image.info
        image = image.convert("RGBA" if transparent else "RGB")
    except Exception as error:  # broken pixels or EXIF: a refusal, never a 500
        raise ImageError(
            _("%(name)s est illisible : le fichier est endommagé ou incomplet.") % {"name": label}
        ) from error
    image.info = {}
    return image


def encode(image: Image.Image, fmt: str, max_side: int) -> tuple[bytes, Image.Image]:
    """Downscale and write a fresh file that carries pixels only; returns the file and
    the downscaled pixels (the decoded image is left as it was)."""
    if max(image.size) > max_side:
        image = ImageOps.contain(image, (max_side, max_side), Image.Resampling.LANCZOS)
    stored = image
    if fmt == "JPEG" and image.mode == "RGBA":
        # Transparent areas become white, not the black convert() would give.
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        image = background
    buffer = io.BytesIO()
    # No exif=, no icc_profile=, no comment, no pnginfo: the new file carries pixels only.
    if fmt == "JPEG":
        image.save(buffer, "JPEG", quality=85, optimize=True)
    else:
        image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue(), stored


class CleanImage(ContentFile):
    """A re-encoded image, named at random; what every image field stores."""

    def __init__(self, data: bytes, kind: Kind, width: int, height: int):
        super().__init__(data, name=f"{secrets.token_hex(16)}.{kind.extension}")
        self.width, self.height = width, height


def clean(data: bytes, kind: Kind = PHOTO, label: str = "") -> CleanImage:
    """Check, re-encode and name one uploaded image (ImageError when refused)."""
    label = label or str(kind.label)
    image = decode(data, label=label, max_bytes=kind.max_bytes, max_side=kind.max_side)
    out, stored = encode(image, kind.format, kind.max_side)
    return CleanImage(out, kind, stored.width, stored.height)


def read_upload(upload, max_bytes: int, label: str) -> bytes:
    """The bytes of an uploaded file, refused from its declared size before reading."""
    if getattr(upload, "size", None) is not None and upload.size > max_bytes:
        raise _too_heavy(label, max_bytes)
    upload.seek(0)
    return upload.read(max_bytes + 1)  # one byte more, so decode() sees the excess


def clean_upload(upload, kind: Kind = PHOTO, label: str = "") -> CleanImage:
    """clean() for an uploaded file; an already cleaned one is returned as it is."""
    if isinstance(upload, CleanImage):
        return upload
    label = label or str(kind.label)
    return clean(read_upload(upload, kind.max_bytes, label), kind, label)


def reclean(source, name: str, target, folder: str, kind: Kind) -> str:
    """Pass a file stored before this module existed through the cleaning again, into
    `target` under a random name; returns the new name, "" when missing or refused.
    The old file is deleted once the transaction commits (for data migrations)."""
    try:
        with source.open(name, "rb") as handle:
            cleaned = clean(handle.read(kind.max_bytes + 1), kind)
    except (FileNotFoundError, ImageError):
        cleaned = None
    new_name = target.save(f"{folder}{cleaned.name}", cleaned) if cleaned else ""
    transaction.on_commit(lambda: source.delete(name))
    return new_name


# Storage and serving ----------------------------------------------------------------


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files outside MEDIA_ROOT, never served as plain files: a view checks who asks.
    The folder is read from settings at each use so tests and deployments may move it."""

    root_setting = "PRIVATE_MEDIA_ROOT"

    @property
    def base_location(self):
        return getattr(settings, self.root_setting)

    @property
    def location(self):
        return str(getattr(settings, self.root_setting))

    @property
    def base_url(self):
        return None

    def generate_filename(self, filename):
        # Whatever name the code gives, the file gets a random one: it tells and leaks nothing.
        folder, _slash, base = filename.rpartition("/")
        extension = base.rpartition(".")[2].lower() if "." in base else "bin"
        random_name = f"{secrets.token_hex(16)}.{extension}"
        return super().generate_filename(f"{folder}/{random_name}" if folder else random_name)


private_storage = PrivateStorage()


PRIVATE_ROOTS = ("PRIVATE_MEDIA_ROOT", "REPORTS_PHOTO_ROOT")


@checks.register(checks.Tags.security)
def check_private_roots(app_configs=None, **kwargs):
    """A private folder inside MEDIA_ROOT would be served to anyone by /media/ or nginx."""
    media = Path(settings.MEDIA_ROOT).resolve()
    errors = []
    for name in PRIVATE_ROOTS:
        root = Path(getattr(settings, name)).resolve()
        if root == media or media in root.parents:
            errors.append(
                checks.Error(
                    _(
                        "%(name)s (%(root)s) est dans MEDIA_ROOT (%(media)s) : ces images "
                        "seraient servies à tous, sans vérification des droits."
                    )
                    % {"name": name, "root": root, "media": media},
                    hint=_("Choisissez pour %(name)s un dossier hors de MEDIA_ROOT.")
                    % {"name": name},
                    id="territoria.images.E001",
                )
            )
    return errors


def serve(file) -> FileResponse:
    """A stored image for a view that has already checked the person may see it."""
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = file.name.rsplit(".", 1)[-1].lower()
    response = FileResponse(handle, content_type=CONTENT_TYPES.get(extension, "image/jpeg"))
    # Private: a shared cache must not keep what may be hidden tomorrow.
    response["Cache-Control"] = "private, max-age=3600"
    return response


def serve_public(request, path):
    """Public media (logos) from MEDIA_ROOT, read at each request so it may move."""
    return static_serve(request, path, document_root=settings.MEDIA_ROOT)


# Form and model fields --------------------------------------------------------------


class ImageFormField(forms.FileField):
    """A file input whose cleaned value is the re-encoded image (or a French error)."""

    def __init__(self, *, kind: str = "photo", **kwargs):
        self.kind = kind
        kwargs["max_length"] = None  # the uploaded name is never kept
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return super().widget_attrs(widget) | {"accept": "image/jpeg,image/png,image/webp"}

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        try:
            return clean_upload(upload, KINDS[self.kind])
        except ImageError as error:
            raise forms.ValidationError(error.message, code="invalid_image") from None


class CleanFieldFile(models.fields.files.FieldFile):
    def save(self, name, content, save=True):
        # Every write goes through the one cleaning path, whoever calls it (form, admin, shell).
        content = clean_upload(content, KINDS[self.field.kind])
        super().save(content.name, content, save)


class ImageFileField(models.FileField):
    """An uploaded image: cleaned on every save, named at random under `upload_to`."""

    attr_class = CleanFieldFile

    def __init__(self, *args, kind: str = "photo", **kwargs):
        self.kind = kind
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.kind != "photo":
            kwargs["kind"] = self.kind
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ImageFormField, "kind": self.kind, **kwargs})
