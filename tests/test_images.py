"""The one path for uploaded images: hostile files are refused with a French message
before they are decoded; what is kept is re-encoded, upright, without metadata and
named at random."""

import io

from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import SystemCheckError

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image

from territoria import images
from tests.image_files import NOT_AN_IMAGE, huge_png, photo, truncated_jpeg


def _refusal(data: bytes, kind=images.PHOTO) -> str:
    with pytest.raises(images.ImageError) as caught:
        images.clean(data, kind)
    return caught.value.message


def test_a_13000_pixel_square_png_of_20_kb_is_refused_from_its_header():
    """The 20 KB PNG that declares 13,000 × 13,000 pixels is refused from its header."""
    data = huge_png(13_000)
    assert len(data) < 25_000
    assert _refusal(data) == (
        "L'image a des dimensions trop grandes : 40 millions de pixels au plus."
    )


def test_an_image_just_over_the_limit_is_refused_with_its_dimensions():
    """7,000 × 7,000 pixels (49 millions) is refused, the message says how big it is."""
    assert _refusal(huge_png(7_000)) == (
        "L'image a des dimensions trop grandes (7\xa0000 × 7\xa0000 pixels) : "
        "40 millions de pixels au plus."
    )


def test_a_long_strip_is_refused_by_its_longest_side():
    """Few pixels but a side longer than 16,384 is no photo."""
    assert "dimensions trop grandes (20\xa0000 × 1 pixels)" in _refusal(huge_png_strip())


def huge_png_strip() -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (20_000, 1)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (truncated_jpeg(), "L'image est illisible : le fichier est endommagé ou incomplet."),
        (NOT_AN_IMAGE, "L'image n'est pas une image JPEG, PNG ou WebP lisible."),
        (photo("GIF", (40, 30)), "L'image n'est pas une image JPEG, PNG ou WebP lisible."),
        (photo("TIFF", (40, 30)), "L'image n'est pas une image JPEG, PNG ou WebP lisible."),
        (b"", "L'image n'est pas une image JPEG, PNG ou WebP lisible."),
    ],
    ids=["truncated_jpeg_case", "executable_case", "gif_case", "tiff_case", "empty_case"],
)
def test_unreadable_or_other_formats_are_refused_in_french(data, message):
    """A broken JPEG, a renamed executable or another format gets a French message."""
    assert _refusal(data) == message


def test_too_many_bytes_are_refused_before_the_file_is_read():
    """The declared size of an upload decides first; the logo limit is 1 MB."""
    upload = SimpleUploadedFile("logo.png", b"\x00" * (1024 * 1024 + 1))
    with pytest.raises(images.ImageError) as caught:
        images.clean_upload(upload, images.LOGO)
    assert caught.value.message == ("Le logo dépasse 1 Mo : réduisez sa taille avant de l'envoyer.")


def test_a_photo_with_gps_is_stored_without_any_metadata():
    """EXIF (maker, GPS position) is dropped: the stored bytes carry pixels only."""
    cleaned = images.clean(photo(gps=True))
    data = cleaned.read()
    assert b"PhoneMaker" not in data
    assert b"Exif" not in data
    stored = Image.open(io.BytesIO(data))
    assert stored.format == "JPEG"
    assert dict(stored.getexif()) == {}
    assert stored.info.get("icc_profile") is None


def test_a_normal_photo_is_accepted_reencoded_downscaled_and_named_at_random():
    """A 3000 × 2000 photo is kept as a 2048 × 1365 JPEG under a random name."""
    cleaned = images.clean(photo(size=(3000, 2000)))
    stored = Image.open(io.BytesIO(cleaned.read()))
    assert (stored.format, stored.size) == ("JPEG", (2048, 1365))
    assert (cleaned.width, cleaned.height) == (2048, 1365)
    assert len(cleaned.name) == len("0123456789abcdef0123456789abcdef.jpg")
    assert cleaned.name != images.clean(photo(size=(3000, 2000))).name


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"], ids=["png_case", "webp_case"])
def test_png_and_webp_photos_are_accepted_as_jpeg(fmt):
    """PNG and WebP are accepted; photos are kept as JPEG."""
    cleaned = images.clean(photo(fmt, (300, 200)))
    assert Image.open(io.BytesIO(cleaned.read())).format == "JPEG"


def test_the_camera_orientation_is_applied_before_the_metadata_goes():
    """A portrait shot stored sideways with an orientation tag is kept upright."""
    cleaned = images.clean(photo(size=(600, 300), orientation=6))
    assert Image.open(io.BytesIO(cleaned.read())).size == (300, 600)


def test_a_transparent_logo_keeps_its_transparency_and_a_photo_gets_white():
    """Logos are kept as PNG with alpha; a transparent image kept as a photo is on white."""
    buffer = io.BytesIO()
    Image.new("RGBA", (1000, 500), (0, 0, 0, 0)).save(buffer, "PNG")
    logo = Image.open(io.BytesIO(images.clean(buffer.getvalue(), images.LOGO).read()))
    assert (logo.format, logo.mode, logo.size) == ("PNG", "RGBA", (512, 256))
    assert logo.getpixel((10, 10))[3] == 0
    as_photo = Image.open(io.BytesIO(images.clean(buffer.getvalue()).read()))
    assert as_photo.getpixel((10, 10)) == (255, 255, 255)


def test_stored_files_from_before_are_cleaned_again_and_hostile_ones_removed(
    tmp_path, django_capture_on_commit_callbacks, db
):
    """The data migrations' helper: a photo moves, renamed and stripped; a bomb is dropped."""
    old = FileSystemStorage(location=tmp_path / "media")
    new = FileSystemStorage(location=tmp_path / "private")
    old.save("participation/ideas/idee.jpg", io.BytesIO(photo(gps=True)))
    old.save("participation/ideas/idee_2.png", io.BytesIO(huge_png()))
    with django_capture_on_commit_callbacks(execute=True):
        moved = images.reclean(
            old, "participation/ideas/idee.jpg", new, "participation/ideas/", images.PHOTO
        )
        dropped = images.reclean(
            old, "participation/ideas/idee_2.png", new, "participation/ideas/", images.PHOTO
        )
        missing = images.reclean(old, "gone.jpg", new, "x/", images.PHOTO)
    assert moved.startswith("participation/ideas/") and "idee" not in moved
    with new.open(moved) as file:
        assert b"PhoneMaker" not in file.read()
    assert (dropped, missing) == ("", "")
    assert old.listdir("participation/ideas") == ([], [])


def test_a_truncated_jpeg_is_refused_even_after_weasyprint_relaxed_pillow():
    """WeasyPrint (PDFs) lets Pillow load truncated files; uploads stay strict."""
    import weasyprint  # noqa: F401 -- imported for its effect on Pillow
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    assert "endommagé ou incomplet" in _refusal(truncated_jpeg())
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True


SAMPLES = {fmt: photo(fmt, (48, 32), gps=True) for fmt in ("JPEG", "PNG", "WEBP")}


@hypothesis_settings(max_examples=150, derandomize=True, deadline=None)
@given(
    fmt=st.sampled_from(sorted(SAMPLES)),
    flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=8),
    cut=st.integers(0, 10**6),
)
def test_a_corrupted_image_is_kept_clean_or_refused_never_a_crash(fmt, flips, cut):
    """Bytes changed or cut anywhere: the image is either kept, re-encoded without its
    metadata, or refused with a French message; never another error."""
    data = bytearray(SAMPLES[fmt])
    for position, value in flips:
        data[position % len(data)] = value
    data = bytes(data[: max(1, cut % (len(data) + 1))])
    try:
        cleaned = images.clean(data)
    except images.ImageError as error:
        assert error.message.startswith("L'image ")
    else:
        assert b"PhoneMaker" not in cleaned.read()


def test_a_private_folder_inside_the_public_media_stops_the_start(settings, tmp_path):
    """Django's checks refuse a private image folder placed inside MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORTS_PHOTO_ROOT = tmp_path / "private" / "reports"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private" / "media"
    call_command("check")
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media" / "private"
    with pytest.raises(SystemCheckError, match="PRIVATE_MEDIA_ROOT .* est dans MEDIA_ROOT"):
        call_command("check")
