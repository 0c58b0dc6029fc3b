"""Attachments: type by content, metadata stripped, clear refusals."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image, PngImagePlugin
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from portal.domain.attachments import (
    JPEG,
    PDF,
    PNG,
    AttachmentError,
    TooLarge,
    TooLargeWhenOpened,
    Unreadable,
    UnsupportedType,
    clean,
    safe_name,
)
from tests.factories import ACTIVE_PDF_NAMES, HOSTILE_PDF_MARKERS, gen_hostile_pdf

MAX_BYTES = 10_000_000
MAX_PIXELS = 25_000_000

TAG_MAKE = 0x010F
TAG_MODEL = 0x0110
TAG_ARTIST = 0x013B
TAG_ORIENTATION = 0x0112
IFD_GPS = 0x8825
GPS_LATITUDE_REF = 1
GPS_LATITUDE = 2
GPS_MAP_DATUM = 0x12


def run(name: str, data: bytes, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS):
    return clean(name, data, max_bytes, max_pixels)


def opened(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def picture(size=(64, 48), mode="RGB") -> Image.Image:
    """A non-uniform picture with a red block in the top-left corner."""
    img = Image.radial_gradient("L").resize(size).convert(mode)
    if mode in ("RGB", "RGBA"):
        img.paste((255, 0, 0) if mode == "RGB" else (255, 0, 0, 255), (0, 0, 16, 16))
    return img


def exif_bytes(orientation: int = 1) -> bytes:
    exif = Image.Exif()
    exif[TAG_MAKE] = "ZZMakeCorp"
    exif[TAG_MODEL] = "ZZModel-9000"
    exif[TAG_ARTIST] = "ZZArtist Name"
    exif[TAG_ORIENTATION] = orientation
    exif[IFD_GPS] = {
        GPS_LATITUDE_REF: "N",
        GPS_LATITUDE: (39.0, 54.0, 27.0),
        GPS_MAP_DATUM: "ZZGpsDatum",
    }
    return exif.tobytes()


def jpeg_with_exif(orientation: int = 1, size=(64, 48)) -> bytes:
    out = io.BytesIO()
    picture(size).save(out, "JPEG", exif=exif_bytes(orientation), comment=b"ZZJpegComment")
    return out.getvalue()


def png_bytes(img: Image.Image, **params) -> bytes:
    out = io.BytesIO()
    img.save(out, "PNG", **params)
    return out.getvalue()


def png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "ZZPngText")
    info.add_text("Author", "ZZPngZtxt", zip=True)
    info.add_itxt("Description", "ZZPngItxt 中文")
    return png_bytes(picture(), pnginfo=info, exif=exif_bytes())


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width x height (a decompression bomb's shape)."""
    data = bytearray(png_bytes(Image.new("L", (1, 1))))
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


def pdf_with_metadata(encrypt: str | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 300)
    writer.add_blank_page(200, 300)
    writer.add_metadata({"/Author": "ZZPdfAuthor", "/Title": "ZZPdfTitle"})
    xmp = DecodedStreamObject()
    xmp.set_data(b'<x:xmpmeta xmlns:x="adobe:ns:meta/">ZZPdfXmp</x:xmpmeta>')
    xmp[NameObject("/Type")] = NameObject("/Metadata")
    xmp[NameObject("/Subtype")] = NameObject("/XML")
    writer.root_object[NameObject("/Metadata")] = writer._add_object(xmp)  # noqa: SLF001
    if encrypt is not None:
        writer.encrypt(encrypt, "owner password")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- metadata is stripped ----------------------------------------------------

JPEG_SECRETS = [b"ZZMakeCorp", b"ZZModel-9000", b"ZZArtist", b"ZZGpsDatum", b"ZZJpegComment"]
PNG_SECRETS = [b"ZZPngText", b"ZZPngItxt", b"ZZMakeCorp", b"ZZGpsDatum", b"ZZPngZtxt"]


def test_jpeg_fixture_really_carries_metadata():
    data = jpeg_with_exif()
    assert all(secret in data for secret in JPEG_SECRETS)


def test_jpeg_metadata_strings_are_stripped():
    result = run("photo.jpg", jpeg_with_exif())
    for secret in JPEG_SECRETS:
        assert secret not in result.data


def test_jpeg_result_has_no_exif_or_gps():
    img = opened(run("photo.jpg", jpeg_with_exif()).data)
    assert dict(img.getexif()) == {}
    assert dict(img.getexif().get_ifd(IFD_GPS)) == {}
    assert "exif" not in img.info
    assert "comment" not in img.info


def test_jpeg_keeps_type_dimensions_and_name():
    result = run("photo.jpg", jpeg_with_exif())
    assert result.mime == JPEG
    assert result.name == "photo.jpg"
    img = opened(result.data)
    assert img.format == "JPEG"
    assert img.size == (64, 48)


def test_png_metadata_strings_are_stripped():
    data = png_with_text()
    assert all(secret in data for secret in PNG_SECRETS if secret != b"ZZPngZtxt")
    result = run("scan.png", data)
    raw = result.data
    for secret in PNG_SECRETS:
        assert secret not in raw
    img = opened(raw)
    assert img.text == {}
    assert dict(img.getexif()) == {}


def test_png_keeps_type_and_dimensions():
    result = run("scan.png", png_with_text())
    assert result.mime == PNG
    img = opened(result.data)
    assert img.format == "PNG"
    assert img.size == (64, 48)


def test_pixels_survive_cleaning():
    source = picture().convert("RGBA")
    result = run("a.png", png_bytes(source))
    assert opened(result.data).convert("RGBA").tobytes() == source.tobytes()


def test_exif_orientation_is_applied():
    result = run("sideways.jpg", jpeg_with_exif(orientation=6, size=(64, 48)))
    img = opened(result.data)
    assert img.size == (48, 64)
    assert img.getexif().get(TAG_ORIENTATION) is None
    # Orientation 6 means "rotate 90 degrees clockwise to view": the red
    # top-left corner of the stored pixels ends up top right.
    red, green, blue = img.convert("RGB").getpixel((47 - 4, 4))
    assert red > 200 and green < 60 and blue < 60


def test_upright_jpeg_is_not_rotated():
    img = opened(run("upright.jpg", jpeg_with_exif(orientation=1)).data)
    assert img.size == (64, 48)


def test_palette_png_with_transparency_keeps_transparency():
    img = Image.new("P", (10, 8), 0)
    img.putpalette([0, 0, 0, 255, 0, 0] + [0] * (254 * 3))
    img.paste(1, (5, 0, 10, 8))
    result = run("p.png", png_bytes(img, transparency=0))
    out = opened(result.data).convert("RGBA")
    assert out.size == (10, 8)
    assert out.getpixel((0, 0))[3] == 0
    assert out.getpixel((9, 0)) == (255, 0, 0, 255)


def test_rgba_png_keeps_alpha():
    img = Image.new("RGBA", (6, 4), (10, 20, 30, 128))
    out = opened(run("a.png", png_bytes(img)).data)
    assert out.mode in ("RGBA", "LA")
    assert out.convert("RGBA").getpixel((3, 2)) == (10, 20, 30, 128)


def test_cmyk_jpeg_comes_back_as_rgb_jpeg():
    out = io.BytesIO()
    Image.new("CMYK", (20, 10), (0, 255, 255, 0)).save(out, "JPEG")
    result = run("print.jpg", out.getvalue())
    img = opened(result.data)
    assert result.mime == JPEG
    assert img.mode == "RGB"
    assert img.size == (20, 10)


@pytest.mark.parametrize("mode", ["1", "L", "LA", "I;16", "RGB"])
def test_other_png_modes_are_cleaned(mode):
    result = run("m.png", png_bytes(Image.new(mode, (7, 5))))
    assert result.mime == PNG
    assert opened(result.data).size == (7, 5)


def test_grayscale_jpeg_is_cleaned():
    out = io.BytesIO()
    picture(mode="L").save(out, "JPEG")
    img = opened(run("g.jpg", out.getvalue()).data)
    assert img.size == (64, 48)


def test_pdf_fixture_really_carries_metadata():
    data = pdf_with_metadata()
    assert all(secret in data for secret in (b"ZZPdfAuthor", b"ZZPdfTitle", b"ZZPdfXmp"))


def test_pdf_document_information_is_stripped():
    result = run("report.pdf", pdf_with_metadata())
    assert b"ZZPdfAuthor" not in result.data
    assert b"ZZPdfTitle" not in result.data


def test_pdf_xmp_metadata_is_stripped():
    result = run("report.pdf", pdf_with_metadata())
    assert b"ZZPdfXmp" not in result.data


def pdf_with_page_xmp() -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(100, 100)
    xmp = DecodedStreamObject()
    xmp.set_data(b'<x:xmpmeta xmlns:x="adobe:ns:meta/">ZZPageXmp</x:xmpmeta>')
    xmp[NameObject("/Type")] = NameObject("/Metadata")
    xmp[NameObject("/Subtype")] = NameObject("/XML")
    page[NameObject("/Metadata")] = writer._add_object(xmp)  # noqa: SLF001
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdf_page_xmp_metadata_is_stripped():
    data = pdf_with_page_xmp()
    assert b"ZZPageXmp" in data
    assert b"ZZPageXmp" not in run("page.pdf", data).data


def test_pdf_keeps_pages_and_type():
    result = run("report.pdf", pdf_with_metadata())
    assert result.mime == PDF
    assert result.name == "report.pdf"
    reader = PdfReader(io.BytesIO(result.data))
    assert len(reader.pages) == 2
    assert not reader.metadata  # no /Info left
    assert "/Metadata" not in reader.trailer["/Root"]


@pytest.mark.parametrize("user_password", ["", "secret"], ids=["owner-only", "user"])
def test_encrypted_pdf_is_unreadable(user_password):
    with pytest.raises(Unreadable):
        run("locked.pdf", pdf_with_metadata(encrypt=user_password))


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.4\n", b"%PDF-1.7\ngarbage garbage\n%%EOF\n", b"%PDF-" + bytes(range(256))],
    ids=["header-only", "garbage", "binary"],
)
def test_broken_pdf_is_unreadable(data):
    with pytest.raises(Unreadable):
        run("broken.pdf", data)


def test_truncated_pdf_is_refused_cleanly():
    data = pdf_with_metadata()
    for cut in range(5, len(data), max(1, len(data) // 40)):
        try:
            run("cut.pdf", data[:cut])
        except AttachmentError:
            pass


# --- active content is removed ---------------------------------------------


def test_hostile_pdf_fixture_really_carries_active_content():
    data = gen_hostile_pdf()
    assert all(marker in data for marker in HOSTILE_PDF_MARKERS)
    assert all(name in data for name in ACTIVE_PDF_NAMES)


@pytest.mark.parametrize("marker", HOSTILE_PDF_MARKERS, ids=lambda m: m.decode())
def test_pdf_active_content_is_removed(marker):
    assert marker not in run("hostile.pdf", gen_hostile_pdf()).data


@pytest.mark.parametrize("name", ACTIVE_PDF_NAMES, ids=lambda n: n.decode())
def test_pdf_keeps_no_name_of_active_content(name):
    assert name not in run("hostile.pdf", gen_hostile_pdf()).data


def test_cleaned_hostile_pdf_keeps_its_page_and_text():
    result = run("hostile.pdf", gen_hostile_pdf("ZZVisibleText"))
    reader = PdfReader(io.BytesIO(result.data))
    assert len(reader.pages) == 1
    assert b"ZZVisibleText" in reader.pages[0].get_contents().get_data()


# --- type by content, never by name ------------------------------------------


def test_png_named_pdf_is_a_png():
    result = run("x.pdf", png_bytes(picture()))
    assert result.mime == PNG
    assert result.name == "x.png"


def test_jpeg_named_png_is_a_jpeg():
    result = run("x.png", jpeg_with_exif())
    assert result.mime == JPEG
    assert result.name == "x.jpg"


def test_pdf_named_jpg_is_a_pdf():
    result = run("scan.jpg", pdf_with_metadata())
    assert result.mime == PDF
    assert result.name == "scan.pdf"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("photo.jpg", b"just some text, honestly a photo"),
        ("page.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("page.png", b"<html><body>%PDF-1.4</body></html>"),
        ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("logo.jpg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'),
        ("anim.png", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
        ("doc.pdf", b"PK\x03\x04 a zip or docx"),
        ("x.jpg", b"\xff\xd8"),  # two bytes of a JPEG signature
        ("x.png", b"\x89PNG"),
    ],
    ids=["text", "html", "html-with-pdf-marker", "svg", "svg-xml", "gif", "zip", "short-jpeg-magic", "short-png-magic"],
)
def test_other_content_is_unsupported(name, data):
    with pytest.raises(UnsupportedType):
        run(name, data)


def test_webp_is_unsupported():
    out = io.BytesIO()
    picture().save(out, "WEBP")
    with pytest.raises(UnsupportedType):
        run("x.png", out.getvalue())


def test_empty_file_is_unreadable():
    with pytest.raises(Unreadable):
        run("empty.jpg", b"")


@pytest.mark.parametrize("fraction", [0.3, 0.5, 0.8, 0.95])
def test_truncated_jpeg_is_unreadable(fraction):
    data = jpeg_with_exif()
    with pytest.raises(Unreadable):
        run("cut.jpg", data[: int(len(data) * fraction)])


def test_every_truncation_of_a_jpeg_is_refused_as_attachment_error():
    data = jpeg_with_exif()
    for cut in range(1, len(data)):
        with pytest.raises(AttachmentError):
            run("cut.jpg", data[:cut])


def test_jpeg_signature_followed_by_garbage_is_unreadable():
    with pytest.raises(Unreadable):
        run("x.jpg", b"\xff\xd8\xff" + b"garbage" * 20)


def test_truncated_png_is_unreadable():
    data = png_bytes(picture())
    with pytest.raises(Unreadable):
        run("cut.png", data[: len(data) // 2])


def test_png_with_bad_checksum_is_unreadable():
    data = bytearray(png_bytes(picture()))
    data[30] ^= 0xFF  # IHDR CRC
    with pytest.raises(Unreadable):
        run("bad.png", bytes(data))


def rotated_jpeg_with_mistyped_tag(old: bytes, new: bytes) -> bytes:
    data = jpeg_with_exif(orientation=6)
    assert data.count(old) == 1
    return data.replace(old, new)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # Make (0x010F, ASCII) renumbered to InkSet (0x014C, SHORT): struct.error
        (b"\x01\x0f\x00\x02", b"\x01\x4c\x00\x02"),
        # GPSLatitude stored as UNDEFINED instead of RATIONAL: TypeError
        (b"\x00\x02\x00\x05\x00\x00\x00\x03", b"\x00\x02\x00\x07\x00\x00\x00\x03"),
    ],
    ids=["ascii-in-short-tag", "undefined-in-rational-tag"],
)
def test_rotated_jpeg_with_malformed_exif_is_refused_cleanly(old, new):
    data = rotated_jpeg_with_mistyped_tag(old, new)
    with pytest.raises(AttachmentError):
        run("odd.jpg", data)


# --- size limits -------------------------------------------------------------


def test_data_over_max_bytes_is_too_large():
    data = png_bytes(picture())
    with pytest.raises(TooLarge):
        run("big.png", data, max_bytes=len(data) - 1)


def test_data_at_max_bytes_is_accepted():
    data = png_bytes(picture())
    assert run("ok.png", data, max_bytes=len(data)).mime == PNG


def test_oversized_content_is_refused_before_its_type():
    with pytest.raises(TooLarge):
        run("x.txt", b"not an image at all", max_bytes=5)


def test_image_over_max_pixels_is_too_large():
    with pytest.raises(TooLarge):
        run("big.png", png_bytes(picture((64, 48))), max_pixels=64 * 48 - 1)


def test_image_at_max_pixels_is_accepted():
    assert run("ok.png", png_bytes(picture((64, 48))), max_pixels=64 * 48).mime == PNG


def test_pixel_bomb_below_pillow_limit_is_too_large():
    with pytest.raises(TooLarge):
        run("bomb.png", png_header_only(2000, 2000), max_pixels=1_000_000)


@pytest.mark.parametrize(("width", "height"), [(10_000, 10_000), (20_000, 20_000)])
def test_decompression_bomb_is_too_large(width, height):
    with pytest.raises(TooLarge):
        run("bomb.png", png_header_only(width, height), max_pixels=1_000_000)


@pytest.mark.parametrize(("width", "height"), [(2000, 2000), (20_000, 20_000)])
def test_decompression_bomb_is_told_apart_from_a_big_file(width, height):
    with pytest.raises(TooLargeWhenOpened):
        run("bomb.png", png_header_only(width, height), max_pixels=1_000_000)


def test_a_big_file_is_not_called_a_bomb():
    data = png_bytes(picture())
    with pytest.raises(TooLarge) as refused:
        run("big.png", data, max_bytes=len(data) - 1)
    assert not isinstance(refused.value, TooLargeWhenOpened)


def test_decompression_bomb_is_refused_as_attachment_error():
    with pytest.raises(AttachmentError):
        run("bomb.png", png_header_only(10_000, 10_000), max_pixels=1_000_000)


# --- file names --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "mime", "expected"),
    [
        ("../../etc/passwd.png", PNG, "passwd.png"),
        ("..\\..\\windows\\system.ini.jpg", JPEG, "system.ini.jpg"),
        ("/abs/path/scan.pdf", PDF, "scan.pdf"),
        ("photo.jpg", PNG, "photo.png"),
        ("photo.JPG", JPEG, "photo.jpg"),
        ("report", PDF, "report.pdf"),
        ("archive.tar.gz", PDF, "archive.tar.pdf"),
        ("evil.php.png", JPEG, "evil.php.jpg"),
        ("a\x00b\x1bc\nd\te.png", PNG, "abcde.png"),
        ('bad<>:"|?*name.pdf', PDF, "badname.pdf"),
        ("invoice\u202egpj.exe.png", PNG, "invoicegpj.exe.png"),  # RTL override
        ("举报材料 第一页.jpg", JPEG, "举报材料 第一页.jpg"),
        ("", PNG, "file.png"),
        (".png", PNG, "file.png"),
        ("..", PNG, "file.png"),
        ("../", PNG, "file.png"),
        ("  ...  .jpg", JPEG, "file.jpg"),
        ("\x00\x01.pdf", PDF, "file.pdf"),
    ],
)
def test_safe_name(name, mime, expected):
    assert safe_name(name, mime) == expected


def test_safe_name_limits_length():
    result = safe_name("a" * 500 + ".png", PNG)
    assert result == "a" * 80 + ".png"


def test_clean_uses_safe_name():
    assert run("../../etc/passwd.jpg", png_bytes(picture())).name == "passwd.png"


@pytest.mark.parametrize("name", ["../x.png", "a/b\\c.png", "\x00.png", "<>.png", "CON.png"])
def test_safe_name_has_no_separators_or_controls(name):
    result = safe_name(name, PNG)
    assert "/" not in result and "\\" not in result
    assert all(ch.isprintable() for ch in result)
    assert result.endswith(".png")


def test_errors_carry_codes():
    assert UnsupportedType.code == "type"
    assert TooLarge.code == "size"
    assert Unreadable.code == "unreadable"


@pytest.mark.parametrize("mime", [JPEG, PNG])
def test_icc_profiles_and_xmp_do_not_survive_cleaning(mime):
    out = io.BytesIO()
    extra = {"icc_profile": b"ZZIccProfile" * 20, "xmp": b'<x:xmpmeta xmlns:x="adobe:ns:meta/">ZZXmp</x:xmpmeta>'}
    picture((64, 48)).save(out, "JPEG" if mime == JPEG else "PNG", **extra)
    source = out.getvalue()
    assert Image.open(io.BytesIO(source)).info.get("icc_profile")  # the fixture really carries them
    cleaned = clean("photo", source, MAX_BYTES, MAX_PIXELS).data
    assert b"ZZIccProfile" not in cleaned and b"ZZXmp" not in cleaned
    info = Image.open(io.BytesIO(cleaned)).info
    assert "icc_profile" not in info and "xmp" not in info and "XML:com.adobe.xmp" not in info


def test_a_truncated_image_is_refused_after_weasyprint_was_imported(monkeypatch):
    """WeasyPrint sets PIL's process-wide LOAD_TRUNCATED_IMAGES when imported (a worker that made a
    PDF would then let truncated uploads through): the decoder never trusts that flag."""
    import weasyprint  # noqa: F401  (its import is what sets the flag)
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # as the import leaves it
    data = png_bytes(picture())
    with pytest.raises(Unreadable):
        run("cut.png", data[: len(data) // 2])
