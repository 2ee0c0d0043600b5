"""The one base every refusal of a domain rule extends, so the API maps them all in one place."""


class DomainError(ValueError):
    """A rule of the domain refused the request.

    `code` is stable for machines (the API's error code), the message is for people, `field` names
    the input at fault. Without an explicit `status`, a named field is bad input (422) and anything
    else is a conflict with the current state (409).
    """

    default_code = "conflict"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        field: str | None = None,
        status: int | None = None,
    ):
        super().__init__(message)
        self.code = code or ("validation_error" if field else self.default_code)
        self.field = field
        self.status = status or (422 if field else 409)
