"""Placeholder code: placeholder and TODO comments, placeholder strings, stub functions (RT201–RT204)."""
