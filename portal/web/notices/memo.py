"""A worker's memory of public answers within a byte budget: the least recently used go first."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedMemo(Generic[K, V]):
    """Values by key, their sizes (``size``) kept within ``budget`` bytes; a value larger than an
    eighth of the budget is not kept at all (it would push out too much)."""

    def __init__(self, budget: int, size: Callable[[V], int]) -> None:
        self.budget = budget
        self._measure = size
        self._size = 0
        self._values: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        size = self._measure(value)
        if size > self.budget // 8:
            return
        with self._lock:
            old = self._values.pop(key, None)
            if old is not None:
                self._size -= self._measure(old)
            self._values[key] = value
            self._size += size
            while self._size > self.budget:
                _, dropped = self._values.popitem(last=False)
                self._size -= self._measure(dropped)
