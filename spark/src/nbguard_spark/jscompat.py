"""JavaScript semantics that nbguard's CLI relies on, reproduced in Python.

nbguard is written in TypeScript: audit records are parsed with ``JSON.parse`` (every number a
double), ids are turned into text with ``String(value)``, times are read with ``Date.parse`` and
written with ``Date.prototype.toISOString``, lines are trimmed with ``String.prototype.trim`` and
written with ``JSON.stringify``. The Spark job must name sessions and write session lines exactly
as the CLI does, so this module reproduces those pieces:

- :func:`js_trim` -- ``String.prototype.trim`` (its whitespace set differs from ``str.strip``).
- :func:`js_number_to_string` -- ``Number.prototype.toString`` / ``String(number)``.
- :func:`js_loads` -- ``JSON.parse``: numbers become floats, ``NaN``/``Infinity`` are rejected.
- :func:`js_dumps` -- ``JSON.stringify`` of plain data (no indentation).
- :func:`date_parse` -- ``Date.parse`` for the ISO 8601 forms V8 accepts (not its legacy formats).
- :func:`iso_string` -- ``new Date(ms).toISOString()``.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from typing import Any

# The characters String.prototype.trim removes: WhiteSpace and LineTerminator of ECMA-262.
_JS_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)


def js_trim(text: str) -> str:
    """``text.trim()`` as JavaScript does it (Python's strip() knows other whitespace)."""
    return text.strip(_JS_WHITESPACE)


def js_number_to_string(value: float) -> str:
    """``String(value)`` for a JavaScript number (ECMA-262 Number::toString, radix 10)."""
    if math.isnan(value):
        return "NaN"
    if value == 0:
        return "0"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    sign = "-" if value < 0 else ""
    # repr() gives the shortest digits that round-trip, as JavaScript does; only the layout differs.
    digits_tuple = Decimal(repr(abs(value))).as_tuple()
    digits = "".join(str(d) for d in digits_tuple.digits)
    exponent = int(digits_tuple.exponent)
    stripped = digits.rstrip("0")
    exponent += len(digits) - len(stripped)
    digits = stripped.lstrip("0") or "0"
    k = len(digits)
    n = exponent + k  # value = 0.digits * 10^n
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    e = n - 1
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{sign}{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def js_loads(text: str) -> Any:
    """``JSON.parse(text)``: every number a float (a double, as in JavaScript)."""
    return json.loads(text, parse_int=float, parse_constant=_reject_constant)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def js_dumps(value: Any) -> str:
    """``JSON.stringify(value)`` for dicts, lists, strings, numbers, bools and None.

    Numbers are written as JavaScript writes them (``1714550400000``, not ``1714550400000.0``);
    non-finite numbers become ``null``; a lone surrogate is escaped (``\\ud800``) as well-formed
    JSON.stringify does. Strings are escaped as JSON.stringify escapes them (json.dumps with
    ensure_ascii=False escapes the same characters).
    """
    parts: list[str] = []
    _write(value, parts)
    return "".join(parts)


def _write(value: Any, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        if _LONE_SURROGATE.search(value):
            # A surrogate pair held as two code points is one character in JavaScript.
            value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
        text = json.dumps(value, ensure_ascii=False)
        out.append(_LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text))
    elif isinstance(value, int | float):
        number = float(value)
        out.append(js_number_to_string(number) if math.isfinite(number) else "null")
    elif isinstance(value, dict):
        out.append("{")
        for i, (key, item) in enumerate(value.items()):
            if i:
                out.append(",")
            _write(str(key), out)
            out.append(":")
            _write(item, out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _write(item, out)
        out.append("]")
    else:
        raise TypeError(f"cannot write {type(value).__name__} as JSON")


# Date.parse: the ECMAScript date-time string format and the variants V8 accepts beside it
# (lower-case t/z, an offset without its colon, a date followed by Z, any number of fraction digits).
_ISO = re.compile(
    r"([+-][0-9]{6}|[0-9]{4})"
    r"(?:-([0-9]{2})(?:-([0-9]{2}))?)?"
    r"(?:[Tt]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?)?"
    r"([Zz]|[+-][0-9]{2}:?[0-9]{2})?"
)
_MS_PER_DAY = 86_400_000


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days from 1970-01-01 to the date (proleptic Gregorian; day may run past the month's end)."""
    y = year - (1 if month <= 2 else 0)
    era = y // 400
    yoe = y - era * 400
    mp = (month + 9) % 12
    doy = (153 * mp + 2) // 5
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468 + (day - 1)


def date_parse(text: str) -> float | None:
    """``Date.parse(text)`` for ISO 8601 text; None where JavaScript gives NaN.

    V8's non-ISO fallback formats (``"May 1 2024"``) are not read and give None. A date-time
    without an offset is taken as UTC (nbguard appends ``Z`` to those before parsing).
    """
    m = _ISO.fullmatch(text)
    if not m:
        return None
    year_text, month_text, day_text, hh, mi, ss, fraction, offset = m.groups()
    if year_text == "-000000":
        return None
    year = int(year_text)
    month = int(month_text) if month_text else 1
    day = int(day_text) if day_text else 1
    hour = int(hh) if hh else 0
    minute = int(mi) if mi else 0
    second = int(ss) if ss else 0
    millis = int((fraction or "0")[:3].ljust(3, "0"))
    if not (1 <= month <= 12 and 1 <= day <= 31 and minute <= 59 and second <= 59):
        return None
    if hour > 24 or (hour == 24 and (minute or second or millis)):
        return None
    ms = _days_from_civil(year, month, day) * _MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + millis
    if offset and offset not in ("Z", "z"):
        sign = 1 if offset[0] == "+" else -1
        digits = offset[1:].replace(":", "")
        off_h, off_m = int(digits[:2]), int(digits[2:])
        if off_h > 23 or off_m > 59:
            return None
        ms -= sign * (off_h * 60 + off_m) * 60_000
    if abs(ms) > 8.64e15:
        return None
    return float(ms)


def iso_string(ms: float) -> str:
    """``new Date(ms).toISOString()`` (milliseconds truncated toward zero, as TimeClip does)."""
    t = int(ms)  # truncation toward zero
    days, rest = divmod(t, _MS_PER_DAY)
    # civil_from_days
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    year = y + (1 if month <= 2 else 0)
    hour, rest = divmod(rest, 3_600_000)
    minute, rest = divmod(rest, 60_000)
    second, millis = divmod(rest, 1000)
    year_text = f"{year:04d}" if 0 <= year <= 9999 else f"{'+' if year > 0 else '-'}{abs(year):06d}"
    return f"{year_text}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}.{millis:03d}Z"
