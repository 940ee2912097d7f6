"""The demonstration: every module adds its content here, in order."""

from territoria.accounts import demo as accounts_demo
from territoria.territories import demo as territories_demo


def load() -> list[tuple[str, str]]:
    collectivites = territories_demo.load()
    return accounts_demo.load(collectivites)
