"""The viewer's and the admin page's words in English and Simplified Chinese."""

EN = {
    "app_title": "Zoom viewer",
    "viewer_label": "Zoom into the pictures",
    "previous": "Previous picture",
    "next": "Next picture",
    "reset": "Reset",
    "zoom_in": "Zoom in",
    "zoom_out": "Zoom out",
    "fullscreen": "Full screen",
    "picture_n": "Picture {n} of {total}",
    "hint": "Drag to move, scroll or pinch to zoom, double-tap to zoom in; keys: + − and arrows.",
    "too_small": "This picture is {width} × {height} pixels: too small to zoom, shown as it is.",
    "preparing": "This picture is being prepared for zooming; shown as it is meanwhile.",
    "no_pictures": "This item has no pictures to zoom yet.",
    "refused": "This viewer opens from an item page.",
    "admin_intro": "Pictures of your items that buyers can zoom into, down to the fabric.",
    "progress": "{done} of {total} pictures ready to zoom",
    "disk": "Tiles use {size} on disk.",
    "retile_all": "Tile every picture again",
    "retile": "Tile again",
    "item": "Item",
    "pictures": "Pictures",
    "zoomable": "Zoomable",
    "state_done": "zoomable ({w} × {h})",
    "state_queued": "waiting to be tiled",
    "state_tiling": "being tiled",
    "state_failed": "refused: {reason}",
    "state_small": "too small: {side} px, {need} px needed ({factor}× larger)",
    "state_none": "no original kept (uploaded before zoom): upload it again",
    "zoomable_items": "{n} of {total} items are zoomable",
    "unknown_shop": "This shop has not finished installing the app: open it from the app market.",
    "empty": "No items with pictures yet.",
}
ZH = {
    "app_title": "放大镜",
    "viewer_label": "放大查看图片",
    "previous": "上一张",
    "next": "下一张",
    "reset": "复原",
    "zoom_in": "放大",
    "zoom_out": "缩小",
    "fullscreen": "全屏",
    "picture_n": "第 {n} 张，共 {total} 张",
    "hint": "拖动移动，滚轮或双指缩放，双击放大；键盘：+ − 和方向键。",
    "too_small": "这张图片只有 {width} × {height} 像素，太小，无法放大，按原样显示。",
    "preparing": "这张图片正在准备放大，暂按原样显示。",
    "no_pictures": "这件商品还没有可放大的图片。",
    "refused": "此查看器需从商品页面打开。",
    "admin_intro": "买家可以放大查看的商品图片，一直看到面料的纹理。",
    "progress": "{total} 张图片中已有 {done} 张可以放大",
    "disk": "切片占用磁盘 {size}。",
    "retile_all": "全部重新切片",
    "retile": "重新切片",
    "item": "商品",
    "pictures": "图片",
    "zoomable": "可放大",
    "state_done": "可放大（{w} × {h}）",
    "state_queued": "等待切片",
    "state_tiling": "正在切片",
    "state_failed": "无法处理：{reason}",
    "state_small": "太小：{side} 像素，需要 {need} 像素（需大 {factor} 倍）",
    "state_none": "没有保存原图（启用放大前上传）：请重新上传",
    "zoomable_items": "{total} 件商品中有 {n} 件可以放大",
    "unknown_shop": "这个店铺还没有完成安装：请从应用市场打开。",
    "empty": "还没有带图片的商品。",
}
TABLES = {"en": EN, "zh-hans": ZH}


def pick(wanted: str | None) -> str:
    """zh-hans for a Chinese locale or browser, else English."""
    text = (wanted or "").lower()
    return "zh-hans" if text.startswith("zh") or "zh-hans" in text or "zh-cn" in text else "en"


def table(lang: str) -> dict[str, str]:
    return TABLES.get(lang, EN)
