"""Size and structure: oversized files and functions with split plans, embedded test modules (RT210, RT211, RT220)."""
