"""Plain helpers with no Django in them: environment parsing, images, HTML."""
