"""Pydantic's validation errors said in Vietnamese too, for file:line problems.

Pydantic words its errors in English: its words stay the English text and the common error
types are said here in Vietnamese. A :class:`~auditor.errors.TextValueError` raised by one of our
validators keeps its own vi+en text; any other type keeps pydantic's words in both languages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from auditor.errors import Message, TextValueError
from auditor.models import t


def _choices(ctx: Mapping[str, Any]) -> str:
    return str(ctx.get("expected", "")).replace(" or ", ", ")


def pydantic_message(error: Mapping[str, Any]) -> Message:
    """The message of one pydantic error (an item of ``ValidationError.errors()``)."""
    kind = str(error.get("type", ""))
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    cause = ctx.get("error")
    if isinstance(cause, TextValueError):
        return cause.message
    got = error.get("input")
    shown = repr(got) if isinstance(got, str | int | float | bool) else ""
    words = {
        "missing": "thiếu trường bắt buộc",
        "extra_forbidden": "khóa không được phép ở đây",
        "string_type": "phải là một chuỗi",
        "int_type": "phải là một số nguyên",
        "int_parsing": "phải là một số nguyên",
        "int_from_float": "phải là một số nguyên",
        "float_type": "phải là một số",
        "float_parsing": "phải là một số",
        "bool_type": "phải là true hoặc false",
        "bool_parsing": "phải là true hoặc false",
        "list_type": "phải là một danh sách",
        "tuple_type": "phải là một danh sách",
        "dict_type": "phải là một ánh xạ (khóa: giá trị)",
        "model_type": "phải là một ánh xạ (khóa: giá trị)",
        "model_attributes_type": "phải là một ánh xạ (khóa: giá trị)",
        "date_type": "phải là một ngày YYYY-MM-DD",
        "date_parsing": "không phải ngày YYYY-MM-DD hợp lệ",
        "date_from_datetime_parsing": "không phải ngày YYYY-MM-DD hợp lệ",
        "date_from_datetime_inexact": "phải là một ngày, không kèm giờ",
        "datetime_parsing": "không phải thời điểm hợp lệ",
        "datetime_type": "phải là một thời điểm",
        "string_too_short": f"phải có ít nhất {ctx.get('min_length')} ký tự",
        "string_too_long": f"dài quá {ctx.get('max_length')} ký tự",
        "too_short": f"phải có ít nhất {ctx.get('min_length')} mục",
        "too_long": f"nhiều quá {ctx.get('max_length')} mục",
        "literal_error": f"phải là một trong: {_choices(ctx)}",
        "enum": f"phải là một trong: {_choices(ctx)}",
        "greater_than_equal": f"phải từ {ctx.get('ge')} trở lên",
        "greater_than": f"phải lớn hơn {ctx.get('gt')}",
        "less_than_equal": f"phải từ {ctx.get('le')} trở xuống",
        "less_than": f"phải nhỏ hơn {ctx.get('lt')}",
        "string_pattern_mismatch": f"không đúng dạng {ctx.get('pattern')}",
        "url_parsing": "không phải địa chỉ URL hợp lệ",
        "url_scheme": "địa chỉ phải bắt đầu bằng http(s)://",
    }
    message = str(error.get("msg", kind))
    if kind == "value_error":
        message = message.removeprefix("Value error, ")
    said = words.get(kind)
    if said is None:
        return message
    if shown and kind not in ("missing", "extra_forbidden"):
        said = f"{said} (đang là {shown})"
    return t(said, message)
