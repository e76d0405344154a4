"""YAML that users bring (front matter, watch rules, actor files), read within fixed bounds.

A 500-byte YAML file of nested aliases expands into gigabytes, and 20,000 nested ``[`` exhaust
the stack. Users' YAML is therefore read with a loader that refuses aliases (``*name``) and
nesting deeper than ``MAX_DEPTH``, and files larger than a caller's byte limit are refused
before parsing. Dates stay strings, so each reader validates them and names the field.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent

MAX_DEPTH = 32


class UnsafeYAML(yaml.YAMLError):
    """YAML Redline refuses to expand; the message says where and why."""


class _BoundedLoader(yaml.SafeLoader):
    """The safe loader without aliases, without deep nesting and without implicit timestamps."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise UnsafeYAML(f"line {event.start_mark.line + 1}: YAML aliases (*{event.anchor}) are not accepted; "
                             "write the values out")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise UnsafeYAML(f"line {mark.line + 1}: nested more than {MAX_DEPTH} levels deep")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load_yaml(text: str, max_bytes: int | None = None) -> Any:
    """Parse a user's YAML text; raises ``yaml.YAMLError`` (``UnsafeYAML`` for what is refused)."""
    return load_yaml_lines(text, max_bytes)[0]


def load_yaml_lines(text: str, max_bytes: int | None = None) -> tuple[Any, dict[tuple, int]]:
    """Parse a user's YAML text like ``load_yaml`` and also say where each value is: the 1-based
    line of every key's value and list item, by its path (``("feeds", 0, "url")``), so a reader's
    errors can name the line of a field that parsed but is wrong."""
    if max_bytes is not None and len(text) > max_bytes:
        raise UnsafeYAML(f"too large ({len(text):,} characters; the limit is {max_bytes:,})")
    loader = _BoundedLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: dict[tuple, int] = {}
        _note_lines(node, (), lines)
        return loader.construct_document(node), lines
    finally:
        loader.dispose()


def _note_lines(node: yaml.Node, path: tuple, lines: dict[tuple, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                lines[(*path, key.value)] = key.start_mark.line + 1
                _note_lines(value, (*path, key.value), lines)
                lines[(*path, key.value)] = key.start_mark.line + 1  # a key's line, even for a block value
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _note_lines(item, (*path, index), lines)


def yaml_problem(err: yaml.YAMLError) -> str:
    """One line saying what is wrong with a YAML text, with its line when known."""
    if isinstance(err, UnsafeYAML):
        return str(err)
    mark = getattr(err, "problem_mark", None)
    problem = getattr(err, "problem", None) or err.__class__.__name__
    return f"line {mark.line + 1}: {problem}" if mark is not None else str(problem)


def read_yaml_file(path: str | Path, max_bytes: int, error: type[Exception], what: str = "file") -> Any:
    """A user's YAML file, parsed; anything wrong (missing, a folder, unreadable, larger than
    ``max_bytes`` (read no further), not UTF-8, not valid or refused YAML) raises ``error`` with
    one line naming the file and the problem. ``what`` names the kind of file in the messages."""
    return read_yaml_file_lines(path, max_bytes, error, what)[0]


def read_yaml_file_lines(path: str | Path, max_bytes: int, error: type[Exception],
                         what: str = "file") -> tuple[Any, dict[tuple, int]]:
    """``read_yaml_file`` with the lines of its values (see ``load_yaml_lines``)."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            raw = f.read(max_bytes + 1)
        if len(raw) > max_bytes:
            raise error(f"{path}: too large (more than {max_bytes:,} bytes; split the {what} into files)")
        return load_yaml_lines(raw.decode("utf-8"))
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except IsADirectoryError:
        raise error(f"{path}: is a folder, not a {what}") from None
    except OSError as e:
        raise error(f"{path}: cannot read ({e.strerror or e})") from None
    except UnicodeDecodeError:
        raise error(f"{path}: not UTF-8 text (a {what} is YAML)") from None
    except yaml.YAMLError as e:
        raise error(f"{path}: not valid YAML: {yaml_problem(e)}") from None
