"""One ninja router per resource; main.py mounts them under /api/v1."""
