"""Surgical edits of YAML data files: change one value and keep every other byte as it is.

Organisation files carry comments, a chosen key order and fields a spreadsheet does not hold;
`ketenkaart import --bijwerken` must change only the fields the spreadsheet changes. So this
module edits the text itself instead of loading and dumping the data: it finds a value through
the node marks of PyYAML's pure-Python parser (they count characters) and replaces, inserts or
removes only the lines of that value. A comment on the same line as a replaced value stays.

An edit (`Edit`) is one of

* ``set``: the value at a path (mapping keys and list positions); a missing key is inserted at
  its place in the field order (`order`), a missing block is created;
* ``delete``: the value at a path goes, with its lines; a block that becomes empty goes too;
* ``append``: one item at the end of a list (the list is created when missing).

Values are written the way Ketenkaart writes new files (generator.exchange.orgfile): short lists
in brackets, blocks indented, long descriptions as a text block. Where a value sits in a flow
collection (``{...}`` or ``[...]``), that collection is written anew.

`apply_edits` reads the result back and compares it with the original data with the same edits
applied in plain Python (`apply_to_data`); any difference raises EditError, so a mistake here can
never change or lose data unnoticed.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Callable, Iterable

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.exchange.orgfile import _Dumper, _Text

SET, DELETE, APPEND = "set", "delete", "append"

Path_ = tuple[Any, ...]
Order = Callable[[Path_], tuple[str, ...]]


class EditError(Exception):
    """The text cannot be edited in place (or the result would not be what was asked)."""


@dataclass(frozen=True)
class Edit:
    op: str  # SET, DELETE or APPEND
    path: Path_
    value: Any = None


def _no_order(_path: Path_) -> tuple[str, ...]:
    return ()


# -- reading positions ------------------------------------------------------------------------------

def _compose(text: str) -> Node:
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, MappingNode) or root.flow_style:
        raise EditError("het bestand is geen blok met velden (sleutel: waarde op elke regel)")
    return root


def _child(node: Node | None, part: Any) -> tuple[Node | None, Node | None]:
    """(key node, value node) of `part` in a mapping or list node; (None, None) when absent."""
    if isinstance(node, MappingNode) and isinstance(part, str):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value == part:
                return key, value
    if isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return None, node.value[part]
    return None, None


def _node_at(root: Node, path: Path_) -> Node | None:
    node: Node | None = root
    for part in path:
        node = _child(node, part)[1]
        if node is None:
            return None
    return node


def _content_end(node: Node, text: str) -> int:
    """Where the node's own text ends: after its last character, not after trailing blank lines
    or comments (which belong to what follows)."""
    if isinstance(node, ScalarNode):
        end = node.end_mark.index
        if node.style in ("|", ">"):
            while end > node.start_mark.index and text[end - 1] in " \t\r\n":
                end -= 1
        return end
    if isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        return _content_end(last[1] if isinstance(node, MappingNode) else last, text)
    return node.end_mark.index


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    """The start of the line after the one `index` is on (the end of the text on the last line)."""
    found = text.find("\n", index)
    return len(text) if found < 0 else found + 1


def _data_at(data: Any, path: Path_) -> Any:
    for part in path:
        data = data[part]
    return data


# -- writing values ---------------------------------------------------------------------------------

def _styled(key: Any, value: Any, blocks: frozenset[str]) -> Any:
    if isinstance(value, str) and not isinstance(value, _Text) and (
            "\n" in value or (key in blocks and len(value) > 60)):
        return _Text(value)
    return value


def _dump(value: Any) -> str:
    return yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=88)


def _shift(text: str, column: int) -> str:
    """Indent every line but the first by `column` spaces (the first continues a line)."""
    lines = text.split("\n")
    return "\n".join([lines[0]] + [" " * column + line if line else line for line in lines[1:]])


def _entry(key: str, value: Any, column: int, blocks: frozenset[str]) -> str:
    """`key: value` as the lines of a block mapping whose keys are at `column`."""
    return _shift(_dump({key: _styled(key, value, blocks)}).rstrip("\n"), column)


def _item(value: Any, column: int, blocks: frozenset[str]) -> str:
    """A list item's text after its '- ', its own lines at `column`."""
    if isinstance(value, dict):
        return _shift(_dump({k: _styled(k, v, blocks) for k, v in value.items()}).rstrip("\n"), column)
    return _dump({"x": value}).rstrip("\n")[len("x: "):]


# -- the edits --------------------------------------------------------------------------------------

class _Editor:
    def __init__(self, text: str, order: Order, blocks: frozenset[str]):
        self.text = text
        self.order = order
        self.blocks = blocks

    def data(self) -> Any:
        return yaml.safe_load(self.text)

    def root(self) -> Node:
        return _compose(self.text)

    def replace(self, start: int, end: int, new: str) -> None:
        self.text = self.text[:start] + new + self.text[end:]

    # set ------------------------------------------------------------------------------------------
    def set(self, path: Path_, value: Any) -> None:
        if not path:
            raise EditError("het hele bestand vervangen kan niet")
        root = self.root()
        parent_path, last = path[:-1], path[-1]
        parent = _node_at(root, parent_path)
        if parent is None:
            if isinstance(last, int):
                raise EditError(f"lijst {'.'.join(map(str, parent_path))} bestaat niet")
            return self.set(parent_path, {last: value})
        if isinstance(parent, MappingNode) and isinstance(last, str):
            if parent.flow_style:
                return self._rewrite(parent_path, lambda d: self._with(parent_path, d, last, value))
            key, node = _child(parent, last)
            if node is None:
                return self._insert(parent, parent_path, last, value)
            self.replace(key.start_mark.index, _content_end(node, self.text),
                         _entry(last, value, key.start_mark.column, self.blocks))
            return None
        if isinstance(parent, SequenceNode) and isinstance(last, int) and last < len(parent.value):
            if parent.flow_style:
                return self._rewrite(parent_path, lambda d: [*d[:last], value, *d[last + 1:]])
            node = parent.value[last]
            self.replace(node.start_mark.index, _content_end(node, self.text),
                         _item(value, node.start_mark.column, self.blocks))
            return None
        raise EditError(f"{'.'.join(map(str, parent_path))} is geen blok of lijst")

    def _with(self, path: Path_, data: dict, key: str, value: Any) -> dict:
        """The block with `key` set: in its place when present, else after the keys before it in
        the field order (the other keys keep their order)."""
        if key in data:
            return {**data, key: value}
        rank = {k: i for i, k in enumerate(self.order(path))}
        items = list(data.items())
        place = rank.get(key, len(rank))
        at = max((i + 1 for i, (k, _v) in enumerate(items) if rank.get(k, len(rank) + 1) < place), default=0)
        return dict(items[:at] + [(key, value)] + items[at:])

    def _rewrite(self, path: Path_, change: Callable[[Any], Any]) -> None:
        """Write a (flow) collection anew, changed."""
        if not path:
            raise EditError("het bestand is geen blok met velden")
        self.set(path, change(copy.deepcopy(_data_at(self.data(), path))))

    def _insert(self, parent: MappingNode, parent_path: Path_, key: str, value: Any) -> None:
        """A new key in a block mapping: after the nearest key before it in the field order."""
        wanted = self.order(parent_path)
        rank = {k: i for i, k in enumerate(wanted)}
        place = rank.get(key, len(wanted))
        before = [(k, v) for k, v in parent.value if rank.get(k.value, len(wanted) + 1) < place]
        column = parent.value[0][0].start_mark.column
        if before:
            _key, node = max(before, key=lambda kv: rank[kv[0].value])
            at = _line_end(self.text, _content_end(node, self.text))
        else:
            after = [k for k, _v in parent.value if k.value in rank]
            first = min(after, key=lambda k: rank[k.value]) if after else None
            if first is None:  # only keys outside the order: at the end
                at = _line_end(self.text, _content_end(parent, self.text))
            else:
                at = _line_start(self.text, first.start_mark.index)
                if self.text[at:first.start_mark.index].strip():  # '- naar: x': not its own line
                    return self._rewrite(parent_path, lambda d: self._with(parent_path, d, key, value))
        lead = "" if at == 0 or self.text[at - 1] == "\n" else "\n"
        self.replace(at, at, lead + " " * column + _entry(key, value, column, self.blocks) + "\n")
        return None

    # delete ---------------------------------------------------------------------------------------
    def delete(self, path: Path_) -> None:
        root = self.root()
        parent_path, last = path[:-1], path[-1]
        parent = _node_at(root, parent_path)
        key, node = _child(parent, last)
        if node is None:
            return None
        if parent_path and len(parent.value) == 1:  # the block would be left empty: it goes too
            return self.delete(parent_path)
        if parent.flow_style:
            if isinstance(last, int):
                return self._rewrite(parent_path, lambda d: [*d[:last], *d[last + 1:]])
            return self._rewrite(parent_path, lambda d: {k: v for k, v in d.items() if k != last})
        start_node = key if key is not None else node
        start = _line_start(self.text, start_node.start_mark.index)
        prefix = self.text[start:start_node.start_mark.index].strip()
        if prefix != ("" if key is not None else "-"):  # shares its line with more: write the block anew
            if isinstance(last, int):
                return self._rewrite(parent_path, lambda d: [*d[:last], *d[last + 1:]])
            return self._rewrite(parent_path, lambda d: {k: v for k, v in d.items() if k != last})
        self.replace(start, _line_end(self.text, _content_end(node, self.text)), "")
        return None

    # append ---------------------------------------------------------------------------------------
    def append(self, path: Path_, item: Any) -> None:
        node = _node_at(self.root(), path)
        if node is None:
            return self.set(path, [item])
        if not isinstance(node, SequenceNode):
            raise EditError(f"{'.'.join(map(str, path))} is geen lijst")
        if node.flow_style or not node.value:
            return self._rewrite(path, lambda d: [*(d or []), item])
        last = node.value[-1]
        start = _line_start(self.text, last.start_mark.index)
        prefix = self.text[start:last.start_mark.index]
        if prefix.strip() != "-":
            return self._rewrite(path, lambda d: [*d, item])
        column = last.start_mark.column
        at = _line_end(self.text, _content_end(last, self.text))
        lead = "" if self.text[at - 1] == "\n" else "\n"
        self.replace(at, at, lead + prefix + _item(item, column, self.blocks) + "\n")
        return None


def apply_to_data(data: Any, edits: Iterable[Edit]) -> Any:
    """The same edits on plain data: what reading the edited text must give."""
    data = copy.deepcopy(data)
    for edit in edits:
        *parents, last = edit.path
        if edit.op == DELETE:
            chain = [data]
            for part in parents:
                chain.append(chain[-1][part] if _has(chain[-1], part) else None)
            target = chain[-1]
            if not _has(target, last):
                continue
            del target[last]
            # a block left empty goes too
            for depth in range(len(parents), 0, -1):
                if chain[depth]:
                    break
                del chain[depth - 1][parents[depth - 1]]
            continue
        target = data
        for part in parents:
            if not _has(target, part):
                target[part] = {}
            target = target[part]
        if edit.op == SET:
            target[last] = edit.value
        elif _has(target, last) and target[last] is not None:
            target[last].append(edit.value)
        else:
            target[last] = [edit.value]
    return data


def _has(container: Any, part: Any) -> bool:
    if isinstance(container, dict):
        return part in container
    if isinstance(container, list) and isinstance(part, int):
        return 0 <= part < len(container)
    return False


def apply_edits(text: str, edits: Iterable[Edit], order: Order = _no_order,
                blocks: Iterable[str] = ()) -> str:
    """The text with the edits made in place; raises EditError when that cannot be done exactly."""
    edits = list(edits)
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    newline = "\r\n" if "\r\n" in text else "\n"
    body = text[len(bom):].replace("\r\n", "\n") if newline == "\r\n" else text[len(bom):]
    try:
        before = yaml.safe_load(body)
        editor = _Editor(body, order, frozenset(blocks))
        for edit in edits:
            if edit.op == SET:
                editor.set(edit.path, edit.value)
            elif edit.op == DELETE:
                editor.delete(edit.path)
            elif edit.op == APPEND:
                editor.append(edit.path, edit.value)
            else:
                raise EditError(f"onbekende bewerking {edit.op}")
        after = yaml.safe_load(editor.text)
    except yaml.YAMLError as exc:
        raise EditError(f"de YAML is na het aanpassen niet meer te lezen ({exc})") from None
    expected = apply_to_data(before, edits)
    if after != expected:
        raise EditError("het aangepaste bestand bevat niet precies de bedoelde wijzigingen")
    result = editor.text.replace("\n", newline) if newline == "\r\n" else editor.text
    return bom + result
