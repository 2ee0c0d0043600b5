"""The fitting room's words in English and Simplified Chinese (the app is not a Django project)."""

EN = {
    "app_title": "Fitting room",
    "try_it_on": "Try it on",
    "intro": "See this garment on a model of your build, with your own face.",
    "height": "Height (cm)",
    "weight": "Weight (kg)",
    "shape": "Body shape",
    "shape_any": "— any —",
    "slim": "Slim",
    "average": "Average",
    "athletic": "Athletic",
    "curvy": "Curvy",
    "plus": "Plus",
    "find_models": "Find models like me",
    "closest": "Closest to your build",
    "wears": "wears",
    "choose": "Choose",
    "consent": (
        "Your photo stays in this app's memory only: it is never saved to disk, never sent to "
        "the shop or the marketplace, and everything made with it is deleted after 10 minutes "
        "at the latest. No account needed."
    ),
    "agree": "I agree — use my photo",
    "photo": "Your face photo (upload or camera)",
    "make": "Put my face on",
    "working": "Working…",
    "original": "Original",
    "you": "You",
    "forget": "Delete my photo now",
    "forgotten": "Your photo and results are deleted.",
    "no_models": "This shop has not added models for this item yet.",
    "size_reason": "{name} is {height} cm, {weight} kg and wears {model_size}; {diff}, so take {size}.",
    "same_build": "you are built much like her",
    "bigger": "you are larger in build",
    "smaller": "you are smaller in build",
    # refusals (buyer)
    "no_face": "We found no face in this photo. Try a photo where your face is clearly visible.",
    "face_too_small": "Your face is too small in this photo. Try a closer one.",
    "face_too_turned": "Your face is turned too far. Try a photo looking at the camera.",
    "too_dark": "This photo is too dark. Try one taken in better light.",
    "too_large": "This picture is too large (at most 40 megapixels and 25 MB).",
    "not_a_picture": "This file is not a picture we can read (JPEG, PNG or WebP).",
    "expired": "This fitting session has ended: please give your photo again.",
    "bad_build": "Enter a height between 120 and 220 cm and a weight between 30 and 200 kg.",
    "bad_context": "This block has expired: reload the page.",
    "unknown_model": "This model is no longer offered.",
    # admin (seller)
    "models": "Models",
    "add_model": "Add a model",
    "for_item": "For the item",
    "for_category": "or for every item of the category",
    "name": "Name",
    "size_worn": "Size worn",
    "model_photo": "Photo of the model wearing the item",
    "save": "Save",
    "delete": "Delete",
    "face_found": "Face found",
    "mark_face": (
        "No face found: drag the box onto the face and the five points onto the eyes, "
        "nose tip and mouth corners, then save."
    ),
    "save_face": "Save the face",
    "plan_limit": "The free plan offers 3 models per item; the paid plan has no limit.",
    "limit_reached": "This item already has 3 models: the free plan's limit.",
    "refused": "This page opens from your seller center.",
    "unknown_shop": "This shop has not finished installing the app: open it from the app market.",
    "model_saved": "Model saved.",
    "bad_model": "Give a name, a height (120–220 cm), a weight (30–200 kg), a body shape and a size.",
    "no_sizes": "(this item has no size option)",
    "category_all": "all items of this category",
}

ZH = {
    "app_title": "试衣间",
    "try_it_on": "试穿",
    "intro": "看看这件衣服穿在与您身材相近的模特身上、换上您自己的脸是什么样子。",
    "height": "身高（厘米）",
    "weight": "体重（公斤）",
    "shape": "体型",
    "shape_any": "— 不限 —",
    "slim": "纤瘦",
    "average": "标准",
    "athletic": "健美",
    "curvy": "丰满",
    "plus": "大码",
    "find_models": "找和我身材相近的模特",
    "closest": "与您身材最接近",
    "wears": "穿",
    "choose": "选择",
    "consent": (
        "您的照片只保存在本应用的内存中：不会写入磁盘，不会发送给店铺或平台，"
        "用它生成的一切最迟 10 分钟后删除。无需账号。"
    ),
    "agree": "我同意——使用我的照片",
    "photo": "您的正脸照片（上传或拍照）",
    "make": "换上我的脸",
    "working": "处理中…",
    "original": "原图",
    "you": "您",
    "forget": "立即删除我的照片",
    "forgotten": "您的照片和结果已删除。",
    "no_models": "店铺还没有为这件商品添加模特。",
    "size_reason": "{name}身高 {height} 厘米、体重 {weight} 公斤，穿 {model_size} 码；{diff}，建议选 {size} 码。",
    "same_build": "您和她身材相近",
    "bigger": "您的身材比她大一些",
    "smaller": "您的身材比她小一些",
    "no_face": "这张照片里没有找到人脸，请换一张能清楚看到脸的照片。",
    "face_too_small": "照片里的脸太小了，请换一张近一些的照片。",
    "face_too_turned": "脸侧得太厉害了，请换一张正对镜头的照片。",
    "too_dark": "照片太暗了，请换一张光线好一些的照片。",
    "too_large": "图片太大了（最多 4000 万像素、25 MB）。",
    "not_a_picture": "无法读取这个文件，请上传 JPEG、PNG 或 WebP 图片。",
    "expired": "本次试衣已结束，请重新提供照片。",
    "bad_build": "请输入 120–220 厘米之间的身高和 30–200 公斤之间的体重。",
    "bad_context": "此模块已过期，请刷新页面。",
    "unknown_model": "该模特已不再提供。",
    "models": "模特",
    "add_model": "添加模特",
    "for_item": "用于商品",
    "for_category": "或用于该类目的所有商品",
    "name": "名字",
    "size_worn": "所穿尺码",
    "model_photo": "模特穿着该商品的照片",
    "save": "保存",
    "delete": "删除",
    "face_found": "已找到人脸",
    "mark_face": "没有找到人脸：请把方框拖到脸上，把五个点拖到双眼、鼻尖和两个嘴角，然后保存。",
    "save_face": "保存人脸位置",
    "plan_limit": "免费版每件商品最多 3 位模特；付费版不限。",
    "limit_reached": "这件商品已有 3 位模特，已达免费版上限。",
    "refused": "此页面需从卖家中心打开。",
    "unknown_shop": "本店尚未完成安装，请从应用市场打开。",
    "model_saved": "模特已保存。",
    "bad_model": "请填写名字、身高（120–220 厘米）、体重（30–200 公斤）、体型和尺码。",
    "no_sizes": "（该商品没有尺码选项）",
    "category_all": "该类目的所有商品",
}

TABLES = {"en": EN, "zh-hans": ZH}


def pick(value: str | None) -> str:
    """`en` or `zh-hans`, from a locale claim, a parameter or an Accept-Language header."""
    value = (value or "").lower()
    return "zh-hans" if value.startswith("zh") else "en"


def table(lang: str) -> dict[str, str]:
    return TABLES[pick(lang)]
