"""Back / forward navigation for a pane (like a browser's), shared by the local and remote panes."""

from __future__ import annotations


class NavHistory:
    """Visited locations; :meth:`visit` forgets the forward list, as browsers do."""

    def __init__(self, limit: int = 100) -> None:
        self._back: list[str] = []
        self._forward: list[str] = []
        self.current: str | None = None
        self._limit = limit

    def visit(self, location: str) -> None:
        if location == self.current:
            return
        if self.current is not None:
            self._back.append(self.current)
            del self._back[: -self._limit]
        self._forward.clear()
        self.current = location

    def can_back(self) -> bool:
        return bool(self._back)

    def can_forward(self) -> bool:
        return bool(self._forward)

    def back(self) -> str | None:
        if not self._back:
            return None
        if self.current is not None:
            self._forward.append(self.current)
        self.current = self._back.pop()
        return self.current

    def forward(self) -> str | None:
        if not self._forward:
            return None
        if self.current is not None:
            self._back.append(self.current)
        self.current = self._forward.pop()
        return self.current
