"""Deep-zoom picture viewer: tiles item pictures with libvips and shows them in an item-page block."""
