"""The document's settings (``word/settings.xml``): hyphenation, and fields updated on open."""

from __future__ import annotations

import docx
from docx.oxml.ns import qn
from lxml import etree

#: CT_Settings (ECMA-376 17.15.1.78), in order, as far as the writer needs it.
_ORDER = (
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts", "embedSystemFonts",
    "saveSubsetFonts", "saveFormsData", "mirrorMargins", "alignBordersAndEdges", "bordersDoNotSurroundHeader",
    "bordersDoNotSurroundFooter", "gutterAtTop", "hideSpellingErrors", "hideGrammaticalErrors",
    "activeWritingStyle", "proofState", "formsDesign", "attachedTemplate", "linkStyles",
    "stylePaneFormatFilter", "stylePaneSortMethod", "documentType", "mailMerge", "revisionView",
    "trackRevisions", "doNotTrackMoves", "doNotTrackFormatting", "documentProtection", "autoFormatOverride",
    "styleLockTheme", "styleLockQFSet", "defaultTabStop", "autoHyphenation", "consecutiveHyphenLimit",
    "hyphenationZone", "doNotHyphenateCaps", "showEnvelope", "summaryLength", "clickAndTypeStyle",
    "defaultTableStyle", "evenAndOddHeaders", "bookFoldRevPrinting", "bookFoldPrinting",
    "bookFoldPrintingSheets", "drawingGridHorizontalSpacing", "drawingGridVerticalSpacing",
    "displayHorizontalDrawingGridEvery", "displayVerticalDrawingGridEvery",
    "doNotUseMarginsForDrawingGridOrigin", "drawingGridHorizontalOrigin", "drawingGridVerticalOrigin",
    "doNotShadeFormData", "noPunctuationKerning", "characterSpacingControl", "printTwoOnOne",
    "strictFirstAndLastChars", "noLineBreaksAfter", "noLineBreaksBefore", "savePreviewPicture",
    "doNotValidateAgainstSchema", "saveInvalidXml", "ignoreMixedContent", "alwaysShowPlaceholderText",
    "doNotDemarcateInvalidXml", "saveXmlDataOnly", "useXSLTWhenSaving", "saveThroughXslt", "showXMLTags",
    "alwaysMergeEmptyNamespace", "updateFields", "hdrShapeDefaults", "footnotePr", "endnotePr", "compat",
    "docVars", "rsids", "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
    "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade", "captions",
    "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags",
    "decimalSymbol", "listSeparator"
)  # fmt: skip
_RANK = {qn(f"w:{name}"): index for index, name in enumerate(_ORDER)}


def put(document: docx.document.Document, name: str, value: str | None = None) -> None:
    """Set ``w:name`` (with ``w:val``, when given) at its place in the settings."""
    settings = document.settings.element
    tag = qn(f"w:{name}")
    for old in settings.findall(tag):
        settings.remove(old)
    element = etree.Element(tag, {qn("w:val"): value} if value is not None else {})
    rank = _RANK[tag]
    later = next((child for child in settings if _RANK.get(child.tag, len(_ORDER)) > rank), None)
    if later is not None:
        later.addprevious(element)
    else:
        settings.append(element)


def hyphenation(document: docx.document.Document) -> None:
    """Hyphenate the body text (styles for titles, bylines and headings do not): at most two
    hyphenated lines in a row, in a quarter-inch zone, capitalised words whole."""
    put(document, "autoHyphenation", "true")
    put(document, "consecutiveHyphenLimit", "2")
    put(document, "hyphenationZone", "357")
    put(document, "doNotHyphenateCaps", "true")


def update_fields_on_open(document: docx.document.Document) -> None:
    """Ask Word to update the document's fields when it opens it (``w:updateFields``)."""
    put(document, "updateFields", "true")
