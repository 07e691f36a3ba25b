"""How a user installs a Debian package (detection's fixes and the bootstrap share it)."""

from __future__ import annotations


def install_command(names: list[str]) -> str:
    """The exact command a user runs to install `names`."""
    return "apt-get install -y --no-install-recommends " + " ".join(names)
