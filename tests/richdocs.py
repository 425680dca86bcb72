"""Documents built from the model (the reader does not make these nodes yet): every phrase
element, Div kind, task box, link to another document and author field of the model."""

from __future__ import annotations

from publish import model as m
from publish import transforms

ORCID = "0000-0002-1825-0097"
A = m.Attr


def t(text: str) -> m.Text:
    return m.Text(text)


def p(*content: m.Inline | str) -> m.Paragraph:
    return m.Paragraph(tuple(t(c) if isinstance(c, str) else c for c in content))


def span(text: str, *classes: str, **values: str) -> m.Span:
    return m.Span((t(text),), A(classes=classes, values=tuple(values.items())))


def phrases() -> m.Paragraph:
    return p(
        "Press ",
        span("Ctrl", "kbd"),
        "+",
        span("C", "kbd"),
        " to copy; ",
        m.Strikeout((t("old"),)),
        " and ",
        m.Underline((t("inserted"),)),
        ". ",
        span("HTML", "abbr", title="HyperText Markup Language"),
        " is a ",
        span("markup language", "dfn"),
        " ",
        span("(fine print)", "small"),
        " with ",
        span("highlights", "mark"),
        m.Span((), A(id="here")),
        ".",
    )


def rich_doc() -> m.Document:
    """One of each new node, as a reader of GFM, HTML and pandoc's divs would make them."""
    note = m.Note(
        (
            p("A note with a list of tasks:"),
            m.BulletList((m.ListItem((p("noted"),), True),)),
            m.Div((p("Inside a note."),), A(classes=("callout-tip",)), (t("Tip"),)),
        )
    )
    blocks = (
        m.Heading(1, (t("Rich nodes"),)),
        phrases(),
        p(m.Link((t("back"),), "#here"), ", ", m.Link((t("the guide"),), "guide.md#install"), note, "."),
        m.Div((p("Centred text."),), A(id="centred", values=(("align", "center"),))),
        m.Div((p("Hidden text."),), A(classes=("details",)), (t("More"),)),
        m.Div(
            (p("Take note."), m.BulletList((m.ListItem((p("one"),)),))),
            A(classes=("callout-note",)),
            (t("Note"),),
        ),
        m.Div((p("Careful."),), A(classes=("callout-warning",)), (t("Warning"),)),
        m.BulletList((m.ListItem((p("Write"),), True), m.ListItem((p("Test"),), False), m.ListItem((p("Plain"),)))),
        m.Div((p("Bonjour."),), A(values=(("lang", "fr"),))),
    )
    meta = m.Metadata(
        "Rich",
        authors=(
            m.Person("Ada Lovelace", orcid=ORCID, email="ada@example.org", url="https://example.org/ada"),
            m.Person("Charles Babbage", email="charles@example.org"),
        ),
        identifier="urn:uuid:00000000-0000-4000-8000-000000000000",
    )
    return transforms.apply(m.Document(meta, blocks))


def edge_doc() -> m.Document:
    """The new nodes where they meet the old: in lists, quotes and each other."""
    blocks = (
        m.Heading(1, (t("Where they meet"),)),
        m.OrderedList(
            (
                m.ListItem(
                    (m.Div((p("A callout opens this task."),), A(classes=("callout-caution",)), (t("Caution"),)),),
                    False,
                ),
                m.ListItem((m.CodeBlock("make test", "console"),), True),
                m.ListItem((), False),
                m.ListItem((p("A task"), m.BulletList((m.ListItem((p("inside a task"),), True),))), True),
                m.ListItem((m.Div((p("in a details"),), A(classes=("details",)), (t("Summary"),)), p("after it"))),
            ),
            start=3,
        ),
        m.BlockQuote((m.Div((p("A details in a quote."),), A(classes=("details",)), (t("Quoted summary"),)),)),
        m.Div(
            (
                m.Div((p("A callout in a callout."),), A(classes=("callout-important",)), (t("Important"),)),
                m.Table((m.Cell((t("key"),)),), ((m.Cell((span("Esc", "kbd"),)),),), (m.Align.DEFAULT,)),
            ),
            A(classes=("callout-note",)),
            (t("Note"),),
        ),
        m.Div((p("A plain div with a title."),), A(id="titled", values=(("align", "right"),)), (t("Titled"),)),
        m.Div((), A(id="tip-box", classes=("callout-tip",)), (t("An empty tip"),)),
        m.Div((m.Div((p("Nested divs."),), A(id="inner")),), A(id="outer")),
        p(m.Link((t("tip"),), "#tip-box"), " ", m.Link((t("outer"),), "#outer"), " ", m.Link((t("inner"),), "#inner")),
    )
    meta = m.Metadata("Edges", identifier="urn:uuid:00000000-0000-4000-8000-000000000001")
    return transforms.apply(m.Document(meta, blocks))
