"""Links to other documents of the same build reach their editions of the same format; an
author's ORCID iD, web page and address reach every edition where the format has a place."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import docx
import lxml.html
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

import publish
from publish import layout, pagedata, readback, transforms
from publish import model as m
from publish.check import editions
from publish.readback import html as html_back
from tests.richdocs import ORCID, rich_doc

OPF = "{http://www.idpf.org/2007/opf}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.mark.parametrize(
    ("url", "fmt", "href"),
    [
        ("guide.md", "html", "../guide/guide.html"),
        ("docs/setup.md#install", "pdf", "../setup/setup.pdf#install"),
        ("notes.markdown", "docx", "../notes/notes.docx"),
        ("paper.QMD#results", "epub", "../paper/paper.epub#results"),
        ("my%20guide.md", "html", "../my%20guide/my%20guide.html"),
        ("https://example.org/guide.md", "html", None),
        ("/guide.md", "html", None),
        ("#guide.md", "html", None),
        ("guide.txt", "html", None),
        ("mailto:a@example.org", "html", None),
    ],
)
def test_one_function_maps_a_link_to_a_document_onto_its_edition(url: str, fmt: str, href: str | None) -> None:
    assert layout.edition_link(url, fmt) == href
    if href is not None:
        slug = href.split("/")[1]
        assert layout.edition_of_link(href, fmt) == slug
        # the same place as the output layout gives that document's edition
        out = Path("/out")
        assert (out / "this" / href.partition("#")[0]).resolve() == layout.edition_path(out, Path(f"{slug}.md"), fmt)


def test_a_link_of_another_shape_is_not_an_edition() -> None:
    assert layout.edition_of_link("../guide/other.html", "html") is None
    assert layout.edition_of_link("guide/guide.html", "html") is None
    assert layout.edition_of_link("../guide/guide.pdf", "html") is None


def _linking() -> m.Document:
    link = m.Link((m.Text("the set-up"),), "docs/setup.md#install")
    blocks = (
        m.Paragraph(
            (m.Text("Read "), link, m.Text(" first.")),
        ),
    )
    meta = m.Metadata("Links", identifier="urn:uuid:00000000-0000-4000-8000-000000000002")
    return transforms.apply(m.Document(meta, blocks))


def test_html_links_to_the_other_documents_page(tmp_path: Path) -> None:
    doc = _linking()
    path = publish.build(doc, "html", tmp_path / "links" / "links.html")
    (a,) = [a for a in lxml.html.fromstring(path.read_bytes()).iter("a") if a.text == "the set-up"]
    assert a.get("href") == "../setup/setup.html#install"
    assert readback.check(doc, "html", path) == []


def test_html_readback_still_reports_a_missing_page(tmp_path: Path) -> None:
    path = publish.build(_linking(), "html", tmp_path / "links" / "links.html")
    broken = tmp_path / "links" / "broken.html"
    broken.write_text(path.read_text(encoding="utf-8").replace("../setup/setup.html", "setup.html"), encoding="utf-8")
    assert html_back.link_problems(broken) == ["broken.html: link to setup.html#install: no such page in the edition"]


def test_docx_links_to_the_other_documents_docx(tmp_path: Path) -> None:
    doc = _linking()
    path = publish.build(doc, "docx", tmp_path / "links" / "links.docx")
    rels = docx.Document(str(path)).part.rels.values()
    targets = [r.target_ref for r in rels if r.reltype == RT.HYPERLINK]
    assert targets == ["../setup/setup.docx#install"]
    assert all(r.is_external for r in rels if r.reltype == RT.HYPERLINK)
    assert readback.check(doc, "docx", path) == []


def test_epub_keeps_the_text_of_a_link_that_would_leave_it(tmp_path: Path) -> None:
    """An EPUB may not link outside its container (EPUBCheck RSC-007): the words stay, unlinked."""
    doc = _linking()
    path = publish.build(doc, "epub", tmp_path / "links" / "links.epub")
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("EPUB/text.xhtml"))
    (span,) = [s for s in root.iter(f"{XHTML}span") if s.get("class") == "document-link"]
    assert span.text == "the set-up" and not [a for a in root.iter(f"{XHTML}a") if "setup" in (a.get("href") or "")]
    assert readback.check(doc, "epub", path) == []


@pytest.mark.slow
@pytest.mark.external
def test_pdf_links_to_the_other_pdf_and_its_destination(tmp_path: Path) -> None:
    import pikepdf

    from publish.readback import pdf as pdf_back

    doc = _linking()
    path = publish.build(doc, "pdf", tmp_path / "links" / "links.pdf")
    with pikepdf.open(path) as pdf:
        (annot,) = [a for a in pdf.pages[0].Annots if a.get("/Subtype") == "/Link"]
        action = annot.A
        assert (str(action.S), str(action.F), str(action.D)) == ("/GoToR", "../setup/setup.pdf", "install")
        assert str(annot.Contents) == "../setup/setup.pdf#install"
    assert readback.check(doc, "pdf", path) == []
    broken = tmp_path / "broken.pdf"
    with pikepdf.open(path) as pdf:
        next(a for a in pdf.pages[0].Annots if a.get("/Subtype") == "/Link").A.F = pikepdf.String("/etc/passwd")
        pdf.save(broken)
    assert pdf_back.link_problems(broken) == ["page 1: a link to the file '/etc/passwd', not an edition of this build"]


# ---------------------------------------------------------------- authors


def test_byline_links_the_authors_page_address_and_orcid(tmp_path: Path) -> None:
    path = publish.build(rich_doc(), "html", tmp_path / "rich" / "rich.html")
    root = lxml.html.fromstring(path.read_bytes())
    (byline,) = [p for p in root.iter("p") if p.get("class") == "byline"]
    links = [(a.get("href"), a.text_content()) for a in byline.iter("a")]
    assert links == [
        ("https://example.org/ada", "Ada Lovelace"),
        (f"https://orcid.org/{ORCID}", "iD"),
        ("mailto:charles@example.org", "Charles Babbage"),
    ]
    (orcid,) = [a for a in byline.iter("a") if a.get("class") == "orcid"]
    assert orcid.get("aria-label") == f"ORCID iD {ORCID}"
    (script,) = [s for s in root.iter("script") if s.get("type") == "application/ld+json"]
    authors = json.loads(script.text)["author"]
    assert authors[0]["sameAs"] == [f"https://orcid.org/{ORCID}"] and authors[0]["url"] == "https://example.org/ada"
    assert "sameAs" not in authors[1] and "email" not in authors[1]


def test_only_web_and_mail_addresses_become_links() -> None:
    assert pagedata.web_url("javascript:alert(1)") == "" and pagedata.web_url("https://example.org/a b") == ""
    assert pagedata.mailto("not an address") == "" and pagedata.mailto('a"b@example.org') == ""
    assert pagedata.mailto("ada+docs@example.org") == "mailto:ada+docs@example.org"


def test_epub_creator_refined_by_its_orcid(tmp_path: Path) -> None:
    path = publish.build(rich_doc(), "epub", tmp_path / "rich" / "rich.epub")
    with zipfile.ZipFile(path) as z:
        opf = etree.fromstring(z.read("EPUB/content.opf"))
    refines = [(m.get("refines"), m.get("property"), m.text) for m in opf.iter(f"{OPF}meta") if m.get("refines")]
    assert ("#creator1", "schema:sameAs", f"https://orcid.org/{ORCID}") in refines
    assert not [r for r in refines if r[0] == "#creator2" and r[1] == "schema:sameAs"]


def test_docx_custom_property_names_each_orcid(tmp_path: Path) -> None:
    path = publish.build(rich_doc(), "docx", tmp_path / "rich" / "rich.docx")
    with zipfile.ZipFile(path) as z:
        custom = etree.fromstring(z.read("docProps/custom.xml"))
    values = {p.get("name"): "".join(p.itertext()) for p in custom}
    assert values["ORCID"] == f"Ada Lovelace (https://orcid.org/{ORCID})"


@pytest.mark.parametrize(
    "fmt", ["html", "epub", "docx", pytest.param("pdf", marks=[pytest.mark.slow, pytest.mark.external])]
)
def test_every_format_stores_the_orcids(fmt: str, tmp_path: Path) -> None:
    doc = rich_doc()
    path = publish.build(doc, fmt, tmp_path / "rich" / f"rich.{fmt}")
    assert readback.reader(fmt).metadata(path)["orcids"] == [f"https://orcid.org/{ORCID}"]
    assert editions.check_metadata(doc, fmt, path).details == []


def test_the_metadata_check_notices_a_lost_orcid(tmp_path: Path) -> None:
    doc = rich_doc()
    path = publish.build(doc, "docx", tmp_path / "rich" / "rich.docx")
    broken = tmp_path / "broken.docx"
    shutil.copyfile(path, broken)
    with zipfile.ZipFile(path) as z, zipfile.ZipFile(broken, "w") as out:
        for item in z.infolist():
            data = z.read(item.filename)
            if item.filename == "docProps/custom.xml":
                data = data.replace(ORCID.encode(), b"")
            out.writestr(item, data)
    assert editions.check_metadata(doc, "docx", broken).details == [
        f"orcids: the source has ['https://orcid.org/{ORCID}'], the DOCX has []"
    ]


def test_an_empty_author_is_no_author(tmp_path: Path) -> None:
    # Quarto's templates leave author: '' — an empty dc:creator fails EPUBCheck
    source = tmp_path / "empty.md"
    source.write_text("---\ntitle: Lecture 3\nauthor: ''\n---\n\nText.\n", encoding="utf-8")
    doc = publish.load(source)
    assert doc.meta.authors == ()
    path = publish.build(doc, "epub", tmp_path / "empty.epub")
    with zipfile.ZipFile(path) as z:
        opf = etree.fromstring(z.read("EPUB/content.opf"))
    assert not [c for c in opf.iter("{http://purl.org/dc/elements/1.1/}creator") if not (c.text or "").strip()]
    assert editions.check_metadata(doc, "epub", path).details == []
