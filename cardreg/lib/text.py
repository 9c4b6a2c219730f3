"""Full-width (全形) characters: Chinese input methods often type letters and digits full-width."""

# U+FF01..U+FF5E mirror ASCII 0x21..0x7E at a fixed offset; U+3000 is the ideographic space.
_TO_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def to_half_width(text: str) -> str:
    """Replace full-width ASCII look-alikes (`Ａ１２／＃`, the ideographic space) by plain ASCII."""
    return text.translate(_TO_HALF_WIDTH)


def has_full_width(text: str) -> bool:
    return any(ord(char) in _TO_HALF_WIDTH for char in text)
