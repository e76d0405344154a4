"""Names a package exports but loads on first use (PEP 562), so that a command importing the
package does not pay for what only other commands need (``redline code`` never opens a store)."""
from __future__ import annotations

from importlib import import_module
from typing import Any, Callable


def lazy_names(package: str, names: dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package`` giving each name of ``names`` (name -> submodule)
    from its submodule, imported when the name is first asked for, then kept in the package."""
    import sys

    def __getattr__(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f"{package}.{module}"), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
