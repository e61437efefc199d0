"""Built-in Python rules, one per module. Each module exposes `RULES: list[Rule]`."""
