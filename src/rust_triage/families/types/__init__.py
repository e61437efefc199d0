"""Light type information for the type checks (RT3xx): facts from the parser, resolution helpers."""
