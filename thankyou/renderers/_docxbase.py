"""The prepared base document the DOCX renderer fills, built once per process and style.

python-docx spends most of a naive letter loading its default template (a
350 KB ``styles.xml``, a 440 KB ``stylesWithEffects.xml``, a theme, numbering,
a thumbnail) and writing it all back out. Here python-docx builds the
package once per style: the template cut down to what a letter uses, our page
setup, named styles, headers and images. The result is kept as the bytes of
its parts. A letter then parses only the parts that differ between letters
(document, headers it fills, core properties), fills them, and is zipped with
the other parts' bytes as they are.

The vertical rhythm is the PDF renderer's, both reading their numbers from
:mod:`thankyou.renderers._layout`, so that the two formats look alike: the
letterhead at the top margin with two blank lines under it, two after the
date, one after every other block.

Only this module and :mod:`thankyou.renderers.docx` import python-docx.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import zipfile
from pathlib import Path

import docx
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu, Twips
from lxml import etree  # type: ignore[import-untyped]  # lxml ships no stubs

from thankyou.models import Style
from thankyou.renderers import _layout
from thankyou.renderers._layout import (
    HEADER_DISTANCE,
    LETTERHEAD_HEIGHT,
    LETTERHEAD_MAX_HEIGHT,
    MARK_WIDTH,
    NAME_AFTER,
    NAME_LEADING,
    NAME_SIZE,
    PARAGRAPH_GAP,
    RETURN_LEADING,
    RETURN_SIZE,
    RULE_SPACE,
    RULE_WIDTH,
    SIGNATURE_HEIGHT,
    SIGNATURE_MAX_WIDTH,
    SMALL_LEADING,
    SMALL_SIZE,
    SUBJECT,
    Page,
)

__all__ = ["STYLE_NAMES", "Base", "base_for", "style_id"]

#: Role in the letter -> name of its paragraph style. Every paragraph the renderer
#: writes carries one of these, so restyling one style restyles the whole role.
#: "Salutation", "Closing" and "Signature" are also Word's built-in names for
#: the same roles, so Word lists them where a user expects them.
STYLE_NAMES = {
    "sender": "Sender",
    "date": "Letter Date",
    "recipient": "Recipient",
    "return": "Return Address",
    "salutation": "Salutation",
    "heading": "Subject Line",
    "body": "Body",
    "closing": "Closing",
    "signature_space": "Signature Space",
    "signature": "Signature",
    "letterhead_name": "Letterhead Name",
    "letterhead_contact": "Letterhead Contact",
    "letterhead_rule": "Letterhead Rule",
    "letterhead_image": "Letterhead",
    "continuation": "Continuation",
    "mark": "Fold Mark",
}

#: drawing ids (wp:docPr/@id) must be unique across the whole document, headers
#: included; python-docx numbers each story from 1, so we set them ourselves.
LETTERHEAD_IMAGE_ID = 1001
SIGNATURE_IMAGE_ID = 1002

_EMU_PER_PT = 12700


@dataclasses.dataclass(frozen=True)
class Base:
    """A prepared package: the parts every letter shares, and templates of the rest."""

    #: (zip entry name, bytes) in package order; bytes is None for a part the
    #: letter writes itself (its XML template is in ``templates``).
    entries: tuple[tuple[str, bytes | None], ...]
    #: Entry name -> XML of the parts each letter fills.
    templates: dict[str, bytes]
    #: Entry names of those parts, by role.
    document: str
    core: str
    continuation: str
    #: The first-page header holding the text letterhead, when it has one.
    letterhead: str | None
    #: ``wp:inline`` XML of images whose parts are in the package but which the
    #: letter places: the signature, and in the window layout the letterhead.
    signature_inline: bytes | None = None
    letterhead_inline: bytes | None = None
    #: Height of the letterhead image in points (0 without one).
    letterhead_height: float = 0.0


def base_for(style: Style) -> Base:
    """Return the prepared base document for ``style``, building it on first use.

    Raises:
        OSError: when an image file cannot be read.
        docx.image.exceptions.UnrecognizedImageError: for an image python-docx
            cannot place (the renderer turns both into RenderError).
    """
    return _build(
        style.paper,
        style.font,
        style.layout,
        _file_key(style.letterhead),
        _file_key(style.signature_image),
    )


_FileKey = bool | tuple[str, int, int] | None


def _file_key(value: bool | Path | None) -> _FileKey:
    # Style is not hashable (it holds a list), and an image may change on disk
    # between two runs in one process: key on the path, size and mtime.
    if value is None or isinstance(value, bool):
        return value
    stat = Path(value).stat()
    return (str(value), stat.st_size, stat.st_mtime_ns)


def style_id(name: str) -> str:
    """The w:styleId python-docx and Word derive from a style name: its spaces removed."""
    return name.replace(" ", "")


@functools.lru_cache(maxsize=16)
def _build(paper: str, font: str, layout: str, letterhead: _FileKey, signature: _FileKey) -> Base:
    page = _layout.PAGES[paper]
    document = docx.Document()
    _trim_package(document)
    _replace_styles(document, _styles_xml(_layout.DOCX_FONTS[font], layout))
    _replace_settings(document)
    head_in_header = layout == "block" and letterhead is not False
    image_inline, image_height = None, 0.0
    if isinstance(letterhead, tuple):
        image_inline, image_height = _add_letterhead_image(
            document, Path(letterhead[0]), page, in_header=head_in_header
        )
    elif letterhead is True and head_in_header:
        _add_letterhead_text(document)
    head = (LETTERHEAD_HEIGHT if letterhead is True else image_height) if head_in_header else 0.0
    _set_page(document, page, head)
    _add_continuation_header(document, empty_first_page=not head_in_header)
    signature_inline = (
        _add_signature(document, Path(signature[0])) if isinstance(signature, tuple) else None
    )
    _blank_properties(document)
    base = _freeze(document, letterhead_text=letterhead is True and head_in_header)
    return dataclasses.replace(
        base,
        signature_inline=signature_inline,
        letterhead_inline=None if head_in_header else image_inline,
        letterhead_height=image_height,
    )


def _freeze(document: Document, *, letterhead_text: bool) -> Base:
    """Save the prepared document once and split it into shared and per-letter parts."""
    out = io.BytesIO()
    document.save(out)
    section = document.sections[0]
    names = {
        "document": _member(document.part.partname),
        "core": _member(document.part.package._core_properties_part.partname),
        "continuation": _member(section.header.part.partname),
    }
    if letterhead_text:
        names["letterhead"] = _member(section.first_page_header.part.partname)
    with zipfile.ZipFile(out) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    per_letter = set(names.values())
    return Base(
        entries=tuple((name, None if name in per_letter else blob) for name, blob in parts.items()),
        templates={name: parts[name] for name in per_letter},
        document=names["document"],
        core=names["core"],
        continuation=names["continuation"],
        letterhead=names.get("letterhead"),
    )


def _member(partname: str) -> str:
    # A part name is "/word/document.xml"; its zip entry has no leading slash.
    return partname.lstrip("/")


# --- the package: drop what a letter never uses --------------------------------------------

_DROP_FROM_DOCUMENT = frozenset(
    {
        "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
        RT.WEB_SETTINGS,
        RT.NUMBERING,
        RT.CUSTOM_XML,
        RT.THEME,  # our styles name their fonts outright, so nothing refers to the theme
    }
)

_APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"<Application>thankyou</Application><DocSecurity>0</DocSecurity></Properties>"
)


def _trim_package(document: Document) -> None:
    """Drop the parts of python-docx's template that a letter does not use.

    The thumbnail matters beyond size: it is a picture of someone else's page
    that file managers would show for every letter.
    """
    part = document.part
    for rId, rel in list(part.rels.items()):
        if rel.reltype in _DROP_FROM_DOCUMENT:
            del part.rels[rId]
    package_rels = part.package.rels
    for rId, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[rId]
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = _APP_XML


# --- styles ---------------------------------------------------------------------------------


def _twips(points: float) -> int:
    return round(points * 20)


def _fonts(name: str) -> str:
    # eastAsia and cs are set too (docs/design/hazards.md, python-docx): without them Word takes the
    # theme's East Asian and complex-script fonts, so a CJK, Hebrew or Arabic
    # name would come out in a font the user never chose and cannot find in
    # the style. Word and LibreOffice substitute per glyph for what it lacks.
    return f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}"/>'


def size_xml(points: float) -> str:
    """w:sz and w:szCs (half-points), so complex-script runs get the same size."""
    half = round(points * 2)
    return f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'


def _spacing(
    after: float = 0.0, line: float | None = None, rule: str = "atLeast", *, before: float = 0.0
) -> str:
    line_xml = f' w:line="{_twips(line)}" w:lineRule="{rule}"' if line else ""
    before_xml = f' w:before="{_twips(before)}"' if before else ""
    return f'<w:spacing{before_xml} w:after="{_twips(after)}"{line_xml}/>'


def _paragraph_style(
    name: str, *, ppr: str = "", rpr: str = "", next_name: str | None = None
) -> str:
    """One custom paragraph style based on Normal, children in CT_Style order."""
    following = f'<w:next w:val="{style_id(next_name)}"/>' if next_name else ""
    return (
        f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{style_id(name)}">'
        f'<w:name w:val="{name}"/><w:basedOn w:val="Normal"/>{following}'
        f"<w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
    )


def _letter_styles(layout: str) -> list[str]:
    """The styles of the letter's parts, spaced as pdf.py spaces them."""
    names, gap = STYLE_NAMES, PARAGRAPH_GAP
    # contextualSpacing: no gap between the lines of one block, one after it.
    block = _spacing(gap) + "<w:contextualSpacing/>"
    date_after = 2 * gap if layout == "block" else gap
    return [
        _paragraph_style(names["sender"], ppr=block),
        _paragraph_style(names["date"], ppr=_spacing(date_after)),
        _paragraph_style(names["recipient"], ppr="<w:keepNext/>" + block),
        _paragraph_style(
            names["salutation"], ppr="<w:keepNext/>" + _spacing(gap), next_name=names["body"]
        ),
        # The subject line: SUBJECT's size and leading are the body's (the document defaults).
        _paragraph_style(
            names["heading"],
            ppr="<w:keepNext/>" + _spacing(SUBJECT.after),
            rpr="<w:b/>" if SUBJECT.bold else "",
        ),
        _paragraph_style(names["body"], ppr=_spacing(gap), next_name=names["body"]),
        _paragraph_style(names["closing"], ppr="<w:keepNext/>"),
        _paragraph_style(
            names["signature_space"], ppr="<w:keepNext/>" + _spacing(line=_layout.SIGNATURE_SPACE)
        ),
        _paragraph_style(names["signature"]),
    ]


def _border(width: float) -> str:
    """A paragraph's top border ``width`` points thick (w:sz counts eighths of a point)."""
    eighths = round(width * 8)
    return f'<w:pBdr><w:top w:val="single" w:sz="{eighths}" w:space="0" w:color="auto"/></w:pBdr>'


def _furniture_styles() -> list[str]:
    """Letterhead, return line, continuation header and fold marks."""
    names = STYLE_NAMES
    # The rule is an empty paragraph of its own whose top border draws it: a border
    # on the contact line would do, but LibreOffice 7.4 then drops the frame that
    # holds the letterhead in the window layout.
    rule = _border(RULE_WIDTH)
    return [
        _paragraph_style(names["letterhead_name"], rpr=size_xml(NAME_SIZE),
                         ppr="<w:keepNext/>" + _spacing(NAME_AFTER, NAME_LEADING, "exact")),
        _paragraph_style(names["letterhead_contact"], rpr=size_xml(SMALL_SIZE),
                         ppr="<w:keepNext/>" + _spacing(0, SMALL_LEADING, "exact")),
        _paragraph_style(names["letterhead_rule"], rpr=size_xml(1),
                         ppr=rule + _spacing(0, 1, "exact", before=RULE_SPACE)),
        _paragraph_style(names["letterhead_image"], ppr=_spacing(0, 12, "auto")),
        _paragraph_style(names["return"], rpr=size_xml(RETURN_SIZE),
                         ppr=_spacing(0, RETURN_LEADING, "exact")),
        _paragraph_style(names["continuation"], rpr=size_xml(SMALL_SIZE),
                         ppr=_spacing(0, SMALL_LEADING, "exact")),
        _paragraph_style(names["mark"], rpr=size_xml(1),
                         ppr=_border(MARK_WIDTH) + _spacing(0, 1, "exact")),
    ]  # fmt: skip


def _styles_xml(font: str, layout: str) -> str:
    leading = _spacing(0, _layout.BODY_LEADING)
    run_defaults = _fonts(font) + size_xml(_layout.BODY_SIZE)
    return (
        f"<w:styles {nsdecls('w')}>"
        f"<w:docDefaults><w:rPrDefault><w:rPr>{run_defaults}</w:rPr></w:rPrDefault>"
        f"<w:pPrDefault><w:pPr>{leading}</w:pPr></w:pPrDefault></w:docDefaults>"
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        f"<w:qFormat/><w:pPr><w:widowControl/>{leading}</w:pPr>"
        f"<w:rPr>{run_defaults}</w:rPr></w:style>"
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        "<w:unhideWhenUsed/></w:style>"
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal">'
        '<w:name w:val="Normal Table"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr>'
        '<w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
        '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
        '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'
        + "".join(_letter_styles(layout) + _furniture_styles())
        + "</w:styles>"
    )


def _replace_children(element: etree._Element, xml: str) -> None:
    for child in list(element):
        element.remove(child)
    element.extend(parse_xml(xml))


def _replace_styles(document: Document, xml: str) -> None:
    """Swap python-docx's 164 built-in styles and latent-style table for ours."""
    _replace_children(document.styles.element, xml)


def _replace_settings(document: Document) -> None:
    """Minimal settings: Word 2013+ layout rules, no rsids, no stale document id."""
    _replace_children(
        document.settings.element,
        f"<w:settings {nsdecls('w')}>"
        '<w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/>'
        '<w:characterSpacingControl w:val="doNotCompress"/>'
        '<w:compat><w:compatSetting w:name="compatibilityMode" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>',
    )


# --- page and headers -----------------------------------------------------------------------


def _set_page(document: Document, page: Page, head: float) -> None:
    """Paper size and the margins shared with the PDF (_layout).

    With a letterhead (``head`` points tall) in the header, the header sits at
    the top margin and the text starts two blank lines under it, where the PDF
    starts it; otherwise the header holds only the continuation line of
    later pages, above the margin.
    """
    section = document.sections[0]
    section.page_width = Twips(_twips(page.width))
    section.page_height = Twips(_twips(page.height))
    margin = Twips(_twips(page.margin))
    section.bottom_margin = section.left_margin = section.right_margin = margin
    section.top_margin = Twips(_twips(page.margin + head + 2 * PARAGRAPH_GAP)) if head else margin
    section.header_distance = Twips(_twips(page.margin if head else HEADER_DISTANCE))
    section.footer_distance = Twips(_twips(HEADER_DISTANCE))
    section.gutter = Twips(0)
    # Page 1 has its own header (the letterhead, or nothing); later pages get
    # the continuation line, as in the PDF.
    section.different_first_page_header_footer = True
    for name in list(section._sectPr.attrib):
        del section._sectPr.attrib[name]


def _add_letterhead_text(document: Document) -> None:
    """First-page header paragraphs (name, contact line, rule) that each letter fills."""
    header = document.sections[0].first_page_header
    header.is_linked_to_previous = False
    header.paragraphs[0].style = document.styles[STYLE_NAMES["letterhead_name"]]
    header.add_paragraph(style=STYLE_NAMES["letterhead_contact"])
    header.add_paragraph(style=STYLE_NAMES["letterhead_rule"])


def _add_continuation_header(document: Document, *, empty_first_page: bool) -> None:
    """The header of pages 2 and later: the recipient's name and the page number."""
    section = document.sections[0]
    section.header.is_linked_to_previous = False
    small = document.styles[STYLE_NAMES["continuation"]]
    section.header.paragraphs[0].style = small
    if empty_first_page:  # one small empty line, well above the text
        section.first_page_header.is_linked_to_previous = False
        section.first_page_header.paragraphs[0].style = small


def _add_letterhead_image(
    document: Document, path: Path, page: Page, *, in_header: bool
) -> tuple[bytes, float]:
    """The user's letterhead image across the text width.

    In the block layout it goes into the first-page header; in the window
    layout the renderer places it above the window, so only its part is
    added here. Returns the ``wp:inline`` XML and the image height in points.
    """
    max_height = LETTERHEAD_MAX_HEIGHT
    if not in_header:  # it must fit between the top edge and the window
        max_height = min(max_height, _layout.head_room(page))
    width, height = fit(path, page.width - 2 * page.margin, max_height)
    if not in_header:
        inline = document.part.new_pic_inline(str(path), Emu(width), Emu(height))
        inline.docPr.set("id", str(LETTERHEAD_IMAGE_ID))
        _zero_inset(inline)
        return etree.tostring(inline), height / _EMU_PER_PT
    header = document.sections[0].first_page_header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.style = document.styles[STYLE_NAMES["letterhead_image"]]
    inline = header.part.new_pic_inline(str(path), Emu(width), Emu(height))
    inline.docPr.set("id", str(LETTERHEAD_IMAGE_ID))
    _zero_inset(inline)
    paragraph.add_run()._r.add_drawing(inline)
    return etree.tostring(inline), height / _EMU_PER_PT


def _add_signature(document: Document, path: Path) -> bytes:
    """Put the signature image in the package once; return the XML that shows it."""
    width, height = fit(path, SIGNATURE_MAX_WIDTH, SIGNATURE_HEIGHT)
    inline = document.part.new_pic_inline(str(path), Emu(width), Emu(height))
    inline.docPr.set("id", str(SIGNATURE_IMAGE_ID))
    _zero_inset(inline)
    xml: bytes = etree.tostring(inline)
    return xml


def _zero_inset(inline: etree._Element) -> None:
    """No space around a picture and no effect margin (ECMA-376 Part 1, §20.4.2.8, §20.4.2.6).

    Without the attributes Word and LibreOffice may add their default
    distance from text, which pushes a letterhead as wide as the text column
    beyond the margins or onto a second line.
    """
    for side in ("distT", "distB", "distL", "distR"):
        inline.set(side, "0")
    extent = inline.find(qn("wp:extent"))
    effect = OxmlElement("wp:effectExtent", attrs={"l": "0", "t": "0", "r": "0", "b": "0"})
    extent.addnext(effect)


def fit(path: Path, max_width: float, max_height: float) -> tuple[int, int]:
    """Scale an image into ``max_width`` x ``max_height`` points keeping its shape; EMU."""
    from docx.image.image import Image

    image = Image.from_file(str(path))
    scale = min(max_width / image.px_width, max_height / image.px_height)
    return round(image.px_width * scale * _EMU_PER_PT), round(image.px_height * scale * _EMU_PER_PT)


def _blank_properties(document: Document) -> None:
    """Start from empty core properties, not python-docx's author and 2013 dates."""
    part = document.part.package._core_properties_part
    part._element = parse_xml(
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
    )
