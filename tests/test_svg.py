"""SVG images: cleaned of everything they could run or fetch (publish/svg.py), carried natively
by every edition (HTML and EPUB embed the file, the PDF draws it in vectors, the DOCX holds it
as Word does, with a PNG beside it), and images without alt text built as decoration."""

from __future__ import annotations

import base64
import http.server
import re
import shutil
import struct
import threading
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pikepdf
import pytest
from lxml import etree

import publish
from publish import check, runner, svg
from publish import model as m
from publish.options import Options
from publish.readback import pdf as pdf_back
from tests.conftest import write

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60" viewBox="0 0 120 60">'
    '<rect x="5" y="5" width="110" height="50" fill="#369"/><circle cx="60" cy="30" r="20" fill="#fc0"/>'
    '<text x="8" y="20" font-size="10">Inside the picture</text></svg>'
)
FORMATS = ["html", "pdf", "epub", "docx"]


def _png() -> str:
    """A real 1 × 1 PNG, base64."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0\xff\0\0")
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    return base64.b64encode(png).decode()


def _hostile(url: str, secret: Path) -> str:
    return f"""<?xml version="1.0"?>
<?xml-stylesheet href="{url}/pi.css"?>
<!DOCTYPE svg [<!ENTITY ns "http://www.w3.org/2000/svg">]>
<svg xmlns="&ns;" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="100" onload="fetch('{url}/onload')">
  <script>fetch('{url}/script')</script>
  <style>@import url({url}/import.css); rect {{ fill: url(#g) }} .x {{ background: url({url}/bg.png) }}</style>
  <defs><linearGradient id="g">
    <stop offset="0" stop-color="#f00"/><stop offset="1" stop-color="#00f"/>
  </linearGradient></defs>
  <rect width="200" height="100" onclick="alert(1)" style="stroke: url({url}/stroke.svg#s)"/>
  <image xlink:href="{url}/remote.png" width="10" height="10"/>
  <image href="file://{secret}" width="10" height="10"/>
  <image href="data:image/png;base64,{_png()}" width="10" height="10"/>
  <use href="{url}/sprite.svg#icon"/>
  <a xlink:href="javascript:alert(2)"><text x="10" y="50">Hello</text></a>
  <foreignObject width="50" height="50"><iframe xmlns="http://www.w3.org/1999/xhtml" src="{url}/frame"/></foreignObject>
  <set attributeName="href" to="javascript:alert(3)"/>
  <circle r="5" fill="url({url}/fill)" clip-path="url(#g)"/>
</svg>
"""


class _Canary(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Canary.requests.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[str]:
    _Canary.requests.clear()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Canary)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


# ---------------------------------------------------------------- cleaning and size


def test_clean_leaves_out_everything_that_could_run_or_fetch(tmp_path: Path) -> None:
    url = "http://127.0.0.1:9"
    cleaned = svg.clean(_hostile(url, tmp_path / "secret.txt").encode())
    root = etree.fromstring(cleaned.data)
    tags = {etree.QName(el).localname for el in root.iter()}
    assert not tags & {"script", "foreignObject", "iframe", "set"}
    attributes = [(etree.QName(el).localname, k, v) for el in root.iter() for k, v in el.attrib.items()]
    assert not [a for a in attributes if etree.QName(a[1]).localname.lower().startswith("on")]
    hrefs = [v for _, k, v in attributes if etree.QName(k).localname == "href"]
    assert hrefs and all(h.startswith("data:image/png;base64,") for h in hrefs)
    text = cleaned.data.decode()
    for gone in ("127.0.0.1", "javascript", "file:", "@import", "<?xml-stylesheet", "DOCTYPE"):
        assert gone not in text
    # what draws the picture stays: the gradient it refers to, its text, the embedded PNG
    assert root.find(f"{SVG}defs/{SVG}linearGradient") is not None
    assert "url(#g)" in root.find(f"{SVG}style").text  # type: ignore[union-attr,operator]
    assert root.find(f".//{SVG}circle").get("clip-path") == "url(#g)"  # type: ignore[union-attr]
    assert root.find(f".//{SVG}circle").get("fill") is None  # type: ignore[union-attr]
    assert "".join(root.find(f".//{SVG}text").itertext()) == "Hello"  # type: ignore[union-attr]
    assert (cleaned.width, cleaned.height) == (200, 100)


def test_clean_reads_what_editors_write() -> None:
    illustrator = b"""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [
  <!ENTITY ns_svg "http://www.w3.org/2000/svg"> <!ENTITY ns_xlink "http://www.w3.org/1999/xlink">
]>
<svg xmlns="&ns_svg;" xmlns:xlink="&ns_xlink;" xmlns:i="http://ns.adobe.com/AdobeIllustrator/10.0/"
  width="100px" height="50px" viewBox="0 0 100 50" i:viewOrigin="0 0" data-name="Layer 1">
<i:pgf>private data</i:pgf><circle cx="25" cy="25" r="20"/></svg>"""
    root = etree.fromstring(svg.clean(illustrator).data)
    assert [etree.QName(el).localname for el in root.iter()] == ["svg", "circle"]
    assert dict(root.attrib) == {"width": "100px", "height": "50px", "viewBox": "0 0 100 50"}
    plain = etree.fromstring(svg.clean(b'<svg viewBox="0 0 40 20"><rect width="4" height="2"/></svg>').data)
    assert plain.tag == f"{SVG}svg" and plain[0].tag == f"{SVG}rect"  # given SVG's namespace
    assert (plain.get("width"), plain.get("height")) == ("40", "20")  # so every edition sizes it alike


@pytest.mark.parametrize(
    ("attributes", "size"),
    [
        ('width="120" height="60"', (120, 60)),
        ('width="2in" height="72pt"', (192, 96)),
        ('width="100%" viewBox="0 0 300 100"', (300, 100)),
        ('width="150" viewBox="0 0 300 100"', (150, 50)),
        ('height="10mm" viewBox="0,0,20,10"', (pytest.approx(2 * 96 / 2.54), pytest.approx(96 / 2.54))),
        ("", (300, 150)),
    ],
)
def test_size_from_width_height_and_viewbox(attributes: str, size: tuple[float, float]) -> None:
    cleaned = svg.clean(f'<svg xmlns="http://www.w3.org/2000/svg" {attributes}/>'.encode())
    assert (cleaned.width, cleaned.height) == size


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'>\n<rect></svg>", "line 2 of the SVG"),
        (b"<html><body/></html>", "not <svg>"),
        (b"", "not well-formed"),
        (b"<!DOCTYPE svg [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><svg>&x;</svg>", "not well-formed"),
    ],
)
def test_a_file_that_is_no_svg_is_refused(data: bytes, reason: str) -> None:
    with pytest.raises(svg.SvgError, match=re.escape(reason)):
        svg.clean(data)


def test_a_malformed_svg_is_said_once_at_its_line_and_set_as_its_alt_text(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    content = tmp_path / "content"
    write(content, "broken.svg", "<svg xmlns='http://www.w3.org/2000/svg'><rect></svg>")
    source = write(content, "doc.md", "---\ntitle: Broken\n---\n\nText.\n\n![A picture](broken.svg)\n")
    report = runner.build([source], FORMATS, tmp_path / "out", Options(content_root=content), jobs=1)
    assert report.errors == [] and len(report.built) == 4
    said = [r.getMessage() for r in caplog.records if "broken.svg" in r.getMessage()]
    assert len(said) == 1 and said[0].startswith(f"{source}:7: warning: SVG image 'broken.svg' cannot be used")
    assert "it is not well-formed XML" in said[0]
    strict = runner.build([source], FORMATS, tmp_path / "strict", Options(content_root=content, strict=True), jobs=1)
    assert strict.built == [] and len(strict.errors) == 1 and strict.errors[0].startswith(f"{source}:7: ")


# ---------------------------------------------------------------- the editions


def _document(content: Path, svg_text: str = LOGO) -> Path:
    write(content, "logo.svg", svg_text)
    return write(
        content,
        "doc.md",
        "---\ntitle: Pictures\n---\n\n## Figures\n\nBefore the figure.\n\n![The logo of the lab](logo.svg)\n\n"
        "The logo again, ![small](logo.svg), in a line.\n",
    )


def _zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def _figure_operators(path: Path) -> tuple[list[str], list[str]]:
    """The drawing operators inside the page's Figure and Artifact marked content."""
    inside: dict[str, list[str]] = {"/Figure": [], "/Artifact": []}
    with pikepdf.open(path) as pdf:
        stack: list[str] = []
        for operands, operator in pikepdf.parse_content_stream(pdf.pages[0]):
            op = str(operator)
            if op in ("BDC", "BMC"):
                stack.append(str(operands[0]))
            elif op == "EMC":
                stack.pop()
            elif stack and stack[-1] in inside:
                inside[stack[-1]].append(op)
    return inside["/Figure"], inside["/Artifact"]


def test_an_svg_figure_is_carried_natively_by_every_edition(tmp_path: Path) -> None:
    content, out = tmp_path / "content", tmp_path / "out"
    source = _document(content)
    report = runner.build([source], FORMATS, out, Options(content_root=content), jobs=1)
    assert report.errors == [] and len(report.built) == 4
    doc = publish.load(source)
    for fmt in FORMATS:
        assert publish.readback.check(doc, fmt, out / "doc" / f"doc.{fmt}") == [], fmt

    # HTML: <img src=…svg>, the SVG file beside the page
    html = (out / "doc" / "doc.html").read_text(encoding="utf-8")
    srcs = re.findall(r'<img src="(media/logo-[0-9a-f]+\.svg)" alt="([^"]*)"', html)
    assert [alt for _, alt in srcs] == ["The logo of the lab", "small"]
    assert etree.fromstring((out / "doc" / srcs[0][0]).read_bytes()).tag == f"{SVG}svg"

    # EPUB: a manifest item of type image/svg+xml
    members = _zip(out / "doc" / "doc.epub")
    opf = etree.fromstring(members["EPUB/content.opf"])
    items = {i.get("href"): i.get("media-type") for i in opf.iter("{http://www.idpf.org/2007/opf}item")}
    (svg_item,) = [href for href, kind in items.items() if href.startswith("media/logo-")]
    assert items[svg_item] == "image/svg+xml"
    assert etree.fromstring(members[f"EPUB/{svg_item}"]).tag == f"{SVG}svg"

    # PDF: the pictures tagged with their alt text and drawn in vectors; no raster image; the
    # picture's own words are not in the text layer (the readback above)
    pdf = out / "doc" / "doc.pdf"
    assert [alt for tag, alt in pdf_back.tags(pdf) if tag == "Figure"] == ["The logo of the lab", "small"]
    figure, _ = _figure_operators(pdf)
    assert {"f", "re"} <= set(figure) or {"f", "c"} <= set(figure)
    assert "Do" not in figure
    with pikepdf.open(pdf) as p:
        assert not [o for o in p.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
    assert check.check_pdf_tags(doc, pdf, Options()).status == "pass"

    # DOCX: an a:blip whose r:embed is a PNG and whose asvg:svgBlip is the SVG part
    members = _zip(out / "doc" / "doc.docx")
    rels = etree.fromstring(members["word/_rels/document.xml.rels"])
    targets = {r.get("Id"): r.get("Target") for r in rels}
    body = etree.fromstring(members["word/document.xml"])
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    r_embed = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
    blips = list(body.iter(f"{a}blip"))
    assert len(blips) == 2
    for blip in blips:
        png = members["word/" + targets[blip.get(r_embed)]]
        assert png.startswith(b"\x89PNG") and struct.unpack(">II", png[16:24]) == (240, 120)  # 2 × 120 × 60
        (svg_blip,) = blip.iter("{http://schemas.microsoft.com/office/drawing/2016/SVG/main}svgBlip")
        assert etree.fromstring(members["word/" + targets[svg_blip.get(r_embed)]]).tag == f"{SVG}svg"
    types = etree.fromstring(members["[Content_Types].xml"])
    assert any(t.get("ContentType") == "image/svg+xml" for t in types)
    wp = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    extents = [(int(e.get("cx")), int(e.get("cy"))) for e in body.iter(f"{wp}extent")]
    assert extents[0] == (120 * 9525, 60 * 9525)  # sized from the SVG: 120 × 60 px


def test_a_hostile_svg_runs_and_fetches_nothing_in_any_edition(tmp_path: Path, server: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("CANARY-svg-7a1e")
    content, out = tmp_path / "content", tmp_path / "out"
    source = _document(content, _hostile(server, secret))
    report = runner.build([source], FORMATS, out, Options(content_root=content), jobs=1)
    assert report.errors == [] and len(report.built) == 4
    assert _Canary.requests == []
    blobs: list[bytes] = [p.read_bytes() for p in (out / "doc").rglob("*") if p.is_file()]
    for name in ("doc.epub", "doc.docx"):
        blobs += _zip(out / "doc" / name).values()
    with pikepdf.open(out / "doc" / "doc.pdf") as pdf:
        blobs += [o.read_bytes() for o in pdf.objects if isinstance(o, pikepdf.Stream)]
    svgs = [b for b in blobs if b.lstrip().startswith(b"<?xml") and b"<svg" in b and b"Hello" in b]
    assert len(svgs) >= 3  # the HTML's media file, the EPUB's item, the DOCX's part
    for blob in blobs:
        for word in (b"CANARY-svg", b"127.0.0.1", b"javascript:", b"onload", b"onclick", b"alert("):
            assert word not in blob
    for blob in svgs:
        assert b"<script" not in blob and b"foreignObject" not in blob and b"<set" not in blob


# ---------------------------------------------------------------- decorative images


def test_an_image_without_alt_text_is_decoration_in_every_edition(tmp_path: Path) -> None:
    """Built through the library (the reader fills in alt text): the PDF/UA edition builds,
    with the image as an artifact, and the check agrees."""
    folder = tmp_path / "content"
    folder.mkdir()
    shutil.copyfile(Path(__file__).parent / "fixtures" / "images" / "gradient.png", folder / "dot.png")
    write(folder, "logo.svg", LOGO)
    doc = m.Document(
        m.Metadata(title="Decoration", lang="en", identifier="urn:uuid:00000000-0000-0000-0000-000000000000"),
        (
            m.Paragraph((m.Text("A dot "), m.Image("dot.png", ""), m.Text(" and a logo "), m.Image("logo.svg", ""))),
            m.Figure(m.Image("dot.png", ""), (m.Text("A caption, no alt text"),)),
        ),
        source=folder / "doc.md",
    )
    options = Options(content_root=folder)
    pdf = publish.build(doc, "pdf", tmp_path / "doc.pdf", options)
    assert [tag for tag, _ in pdf_back.tags(pdf) if tag == "Figure"] == []
    _, artifact = _figure_operators(pdf)
    assert artifact.count("Do") == 2 and "f" in artifact  # all drawn, as artifacts (the SVG in vectors)
    assert check.check_pdf_tags(doc, pdf, options).status == "pass"
    html = publish.build(doc, "html", tmp_path / "doc.html", options).read_text(encoding="utf-8")
    assert len(re.findall(r'<img src="[^"]+" alt="" />', html)) == 3
    epub = _zip(publish.build(doc, "epub", tmp_path / "doc.epub", options))
    pages = b"".join(v for k, v in epub.items() if k.endswith(".xhtml"))
    assert len(re.findall(rb'<img src="media/[^"]+" alt="" />', pages)) == 3
    body = _zip(publish.build(doc, "docx", tmp_path / "doc.docx", options))["word/document.xml"]
    assert body.count(b"<adec:decorative") == 3


# ---------------------------------------------------------------- publish check


@pytest.mark.slow
@pytest.mark.external
def test_publish_check_passes_for_svg_figures(tmp_path: Path) -> None:
    content, out = tmp_path / "content", tmp_path / "out"
    source = _document(content)
    report = runner.build([source], FORMATS, out, Options(content_root=content), jobs=1)
    assert report.errors == []
    result = check.run([source], out, Options(content_root=content))
    problems = {r.label: r.details for d in result.documents for r in d.results if r.status != "pass"}
    assert problems == {}
