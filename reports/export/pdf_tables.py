"""Each table's header cells tied to the cells they head, in the tagged PDF.

WeasyPrint 70 tags `<th>` as /TH and `<td>` as /TD, and lists on each /TD the /IDs of its
headers, but
- it gives no /TH a /Scope, so a checker (and a reader that goes by scope) cannot tell a
  column's header from a row's (PDF/UA-1 7.5; Matterhorn 15-003);
- its list goes wrong under a `rowspan`: in the acknowledgements table each name after the
  first in a role is said to be headed by "Role" and its job title by "Name";
- it keeps no /IDTree, which ISO 32000-1 14.7.2 requires once any element has an /ID.

`associate_table_headers` rewrites that part of the structure tree after rendering, from each
table's own grid of cells: the print templates put column headers in `<thead>` and a row's
header first in its row (templates/reports/print/part.html), so a /TH in a /THead, or in a row
of header cells only, heads its column; any other heads its row. Nothing on the page changes.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO

import pikepdf
from pikepdf import Array, Dictionary, Name

ROW_GROUPS = {"/THead", "/TBody", "/TFoot"}
CELLS = {"/TH", "/TD"}


@dataclass
class Cell:
    element: Dictionary
    row: int
    column: int
    rows: int
    columns: int
    in_head: bool
    heads_column: bool = False

    @property
    def is_header(self) -> bool:
        return self.element.get("/S") == Name.TH

    def spans_row_of(self, other: "Cell") -> bool:
        return self.row < other.row + other.rows and other.row < self.row + self.rows

    def spans_column_of(self, other: "Cell") -> bool:
        return (
            self.column < other.column + other.columns and other.column < self.column + self.columns
        )


def _structure_kids(element: Dictionary) -> Iterator[Dictionary]:
    """The element's child structure elements (not its marked content or annotations)."""
    kids = element.get("/K")
    for kid in kids if isinstance(kids, Array) else [kids]:
        if isinstance(kid, Dictionary) and "/S" in kid:
            yield kid


def _tables(element: Dictionary) -> Iterator[Dictionary]:
    for kid in _structure_kids(element):
        if kid.get("/S") == Name.Table:
            yield kid
        else:
            yield from _tables(kid)


def _table_attributes(cell: Dictionary) -> Dictionary:
    """The cell's attribute dictionary owned by /Table, made if it has none."""
    attributes = cell.get("/A")
    for candidate in attributes if isinstance(attributes, Array) else [attributes]:
        if isinstance(candidate, Dictionary) and candidate.get("/O") == Name.Table:
            return candidate
    owned = Dictionary(O=Name.Table)
    if attributes is None:
        cell.A = owned
    else:
        cell.A = Array([*(attributes if isinstance(attributes, Array) else [attributes]), owned])
    return owned


def _grid(table: Dictionary) -> list[Cell]:
    """The table's cells with the row and column each starts at, spans counted (as HTML's
    table model places them: a cell takes the first column no cell above still covers)."""
    rows = []
    for kid in _structure_kids(table):
        if kid.get("/S") in ROW_GROUPS:
            rows.extend((row, kid.get("/S") == Name.THead) for row in _structure_kids(kid))
        elif kid.get("/S") == Name.TR:
            rows.append((kid, False))
    covered: set[tuple[int, int]] = set()
    cells = []
    for row_number, (row, in_head) in enumerate(rows):
        column = 0
        for element in _structure_kids(row):
            if element.get("/S") not in CELLS:
                continue
            while (row_number, column) in covered:
                column += 1
            attributes = _table_attributes(element)
            rows_spanned = int(attributes.get("/RowSpan", 1))
            columns_spanned = int(attributes.get("/ColSpan", 1))
            covered.update(
                (row_number + down, column + across)
                for down in range(rows_spanned)
                for across in range(columns_spanned)
            )
            cells.append(Cell(element, row_number, column, rows_spanned, columns_spanned, in_head))
            column += columns_spanned
    return cells


def _scope_headers(cells: list[Cell]) -> list[Cell]:
    """Marks each header cell as heading its column or its row; returns the header cells."""
    headers = [cell for cell in cells if cell.is_header]
    rows_with_data = {cell.row for cell in cells if not cell.is_header}
    for header in headers:
        header.heads_column = header.in_head or header.row not in rows_with_data
        _table_attributes(header.element).Scope = Name.Column if header.heads_column else Name.Row
    return headers


def _headers_of(cell: Cell, headers: list[Cell]) -> list[Cell]:
    """The headers of the cell's row (to its left) and of its column (above it)."""
    of_row = [
        header
        for header in headers
        if not header.heads_column and header.spans_row_of(cell) and header.column < cell.column
    ]
    of_column = [
        header
        for header in headers
        if header.heads_column and header.spans_column_of(cell) and header.row < cell.row
    ]
    return [*of_row, *of_column]


def _associate(table: Dictionary, ids: dict[str, Dictionary]) -> None:
    cells = _grid(table)
    headers = _scope_headers(cells)
    for number, header in enumerate(headers):
        if "/ID" not in header.element:
            header.element.ID = pikepdf.String(f"table-{table.objgen[0]}-header-{number}")
        ids[str(header.element.ID)] = header.element
    for cell in cells:
        if cell.is_header:
            continue
        attributes = _table_attributes(cell.element)
        if found := _headers_of(cell, headers):
            attributes.Headers = Array([header.element.ID for header in found])
        elif "/Headers" in attributes:
            del attributes.Headers


def associate_table_headers(pdf: bytes) -> bytes:
    """The PDF with a /Scope on every /TH, each /TD's /Headers listing the headers of its row
    and column, and the /IDTree that resolves them."""
    with pikepdf.open(BytesIO(pdf)) as document:
        tree = document.Root.get("/StructTreeRoot")
        if tree is None:
            return pdf
        ids: dict[str, Dictionary] = {}
        for table in _tables(tree):
            _associate(table, ids)
        if ids:
            id_tree = pikepdf.NameTree.new(document)
            for key, element in ids.items():
                id_tree[key] = element
            tree.IDTree = id_tree.obj
        out = BytesIO()
        document.save(out)
    return out.getvalue()
