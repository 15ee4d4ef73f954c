"""Short excerpts of user input for messages: an error names what to fix, it never echoes
a 100,000-character quote back to the sender (or into a log)."""

EXCERPT_CHARS = 80


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """``text`` if it is at most ``limit`` characters, else its first ones and an ellipsis,
    with the total length, so the sender can still tell which input it was."""
    text = str(text)
    if len(text) <= limit:
        return text
    return f"{text[: limit - 1]}… ({len(text):,} characters)"
