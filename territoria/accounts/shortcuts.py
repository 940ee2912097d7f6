"""« Mon espace » shortcuts: what a member of a collectivité does most, by role.

Each module registers a provider from its AppConfig.ready(); accounts gathers them
without importing any module above it. A provider takes (collectivité, role) and
returns Shortcut objects; `count` is what waits there (reports to handle, open alerts).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Shortcut:
    label: str
    url: str
    count: int | None = None


_providers: list[Callable] = []


def register(provider: Callable) -> Callable:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def shortcuts_for(collectivite, role: str) -> list[Shortcut]:
    return [shortcut for provider in _providers for shortcut in provider(collectivite, role)]
