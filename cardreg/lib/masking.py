"""Masked forms of personal data, for logs and for screens seen by anyone but the owner.

Every function is safe on malformed input: a short or odd value is masked more, never less.
"""

MASK = "****"
_ID_VISIBLE = 6
_EMAIL_VISIBLE = 2
_CARD_VISIBLE_EACH_END = 4


def mask_national_id(value: str) -> str:
    """`A230845678` → `A23084****`: at most the first 6 characters, and never the whole value."""
    value = value.strip()
    if not value:
        return ""
    return value[: _visible(len(value), _ID_VISIBLE)] + MASK


def mask_email(address: str) -> str:
    """`abcdef@example.com` → `ab***@example.com`; the domain stays readable to debug delivery."""
    address = address.strip()
    if not address:
        return ""
    local, at, domain = address.rpartition("@")
    if not at:  # no "@": treat the whole value as the private part
        local, domain = address, ""
    shown = local[: max(0, min(_EMAIL_VISIBLE, len(local) - 1))]  # never the whole local part
    return f"{shown}***{at}{domain}"


def mask_card_number(number: str) -> str:
    """`000012345678` → `0000****5678`: the two ends identify the card to its holder, no more."""
    number = number.strip()
    if not number:
        return ""
    each_end = _visible(len(number), 2 * _CARD_VISIBLE_EACH_END) // 2
    tail = number[len(number) - each_end :] if each_end else ""
    return number[:each_end] + MASK + tail


def _visible(length: int, at_most: int) -> int:
    """How many characters may show: at most `at_most`, and at least 4 always stay hidden."""
    return max(0, min(at_most, length - len(MASK)))


def mask_name(name: str) -> str:
    """`王小明` → `王○明`, `歐陽娜娜` → `歐○○娜`, `高堃` → `高○`: the way Taiwan masks names."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "○"
    return name[0] + "○" * (len(name) - 2) + name[-1]
