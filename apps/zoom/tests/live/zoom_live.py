"""Helpers of the zoom app's live tests."""

from django.core.files.uploadedfile import SimpleUploadedFile


def upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")
