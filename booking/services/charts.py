"""Charts drawn on the server as inline SVG, so they show without
JavaScript and print with the report. Each chart has a <title> and a
<desc> (read by screen readers through aria-labelledby), text labels with
every value, and the page shows the same numbers in a table next to it.

    horizontal_bars(key, title, desc, labels, series)   one row per label
    month_columns(key, title, desc, months, series)     one column group per month

`series` is a list of (name, values) with one value per label; None counts
as 0 in the drawing and is labelled "–"."""
from babel.dates import get_month_names
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

# Colour pairs with a contrast of at least 3:1 against white (WCAG 1.4.11),
# told apart by lightness as well, so they survive greyscale printing.
COLOURS = ("#1f5fa8", "#e07b00", "#2e7d32", "#8e24aa")
LABEL_WIDTH = 220
WIDTH = 640
BAR = 14
GAP = 10
FONT = 12


def horizontal_bars(key, title, desc, labels, series, *, unit="") -> Markup:
    labels = [str(label) for label in labels]
    top = _legend_height(series)
    group = BAR * len(series) + GAP
    height = top + group * max(len(labels), 1) + GAP
    plot = WIDTH - LABEL_WIDTH - 60
    peak = _peak(series)
    parts = [_open(key, title, desc, WIDTH, height), _legend(series, LABEL_WIDTH)]
    if not labels:
        parts.append(_text(LABEL_WIDTH, top + FONT, _("No data"), "start"))
    for row, label in enumerate(labels):
        y = top + row * group
        parts.append(_text(LABEL_WIDTH - 8, y + len(series) * BAR / 2 + FONT / 2 - 2,
                           _short(label), "end", full=label))
        for index, (name, values) in enumerate(series):
            value = values[row]
            length = plot * (value or 0) / peak
            by = y + index * BAR
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{by}" width="{length:.1f}" height="{BAR - 2}" '
                f'fill="{COLOURS[index % len(COLOURS)]}"><title>{escape(label)}, '
                f'{escape(name)}: {_value(value, unit)}</title></rect>'
            )
            parts.append(_text(LABEL_WIDTH + length + 4, by + BAR - 3, _value(value, unit),
                               "start"))
    parts.append(f'<line x1="{LABEL_WIDTH}" y1="{top - 4}" x2="{LABEL_WIDTH}" '
                 f'y2="{height - GAP / 2}" stroke="#555"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def month_columns(key, title, desc, months, series, *, unit="") -> Markup:
    months = [str(m) for m in months]
    top = _legend_height(series) + FONT + 4
    bottom = 2 * FONT + 10
    plot_height = 180
    left = 40
    height = top + plot_height + bottom
    slot = (WIDTH - left - 10) / max(len(months), 1)
    bar = min(BAR * 1.5, (slot - 6) / max(len(series), 1))
    peak = _peak(series)
    base = top + plot_height
    label_step = -(-len(months) // 12) or 1
    year_shown = None
    parts = [_open(key, title, desc, WIDTH, height), _legend(series, left)]
    for step in range(5):  # light grid lines with their values
        value = peak * step / 4
        y = base - plot_height * step / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - 10}" y2="{y:.1f}" '
                     f'stroke="#ddd"/>')
        parts.append(_text(left - 4, y + 4, _number(value), "end"))
    for col, month in enumerate(months):
        x0 = left + col * slot + (slot - bar * len(series)) / 2
        for index, (name, values) in enumerate(series):
            value = values[col]
            h = plot_height * (value or 0) / peak
            x = x0 + index * bar
            parts.append(
                f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar - 1:.1f}" height="{h:.1f}" '
                f'fill="{COLOURS[index % len(COLOURS)]}"><title>{escape(month)}, '
                f'{escape(name)}: {_value(value, unit)}</title></rect>'
            )
            if value and bar >= 12:  # narrower columns: the value is in the tooltip and table
                parts.append(_text(x + bar / 2, base - h - 3, _value(value, unit), "middle",
                                   size=FONT - 2))
        if col % label_step == 0:  # at most about twelve labels; a year under its first
            x = left + col * slot + slot / 2
            parts.append(_text(x, base + FONT + 4, _month(month), "middle", full=month))
            if month[:4] != year_shown:
                year_shown = month[:4]
                parts.append(_text(x, base + 2 * FONT + 6, year_shown, "middle"))
    parts.append(f'<line x1="{left}" y1="{base}" x2="{WIDTH - 10}" y2="{base}" stroke="#555"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _open(key, title, desc, width, height) -> str:
    key = escape(key)
    return (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width} {height:.0f}" width="{width}" height="{height:.0f}" '
        f'aria-labelledby="chart-{key}-title chart-{key}-desc" font-size="{FONT}" '
        f'direction="ltr">'
        f'<title id="chart-{key}-title">{escape(title)}</title>'
        f'<desc id="chart-{key}-desc">{escape(desc)}</desc>'
    )


def _legend_height(series) -> int:
    return FONT + 14 if len(series) > 1 else 6


def _legend(series, x) -> str:
    if len(series) < 2:
        return ""
    parts = []
    for index, (name, _values) in enumerate(series):
        parts.append(f'<rect x="{x}" y="2" width="{FONT}" height="{FONT}" '
                     f'fill="{COLOURS[index % len(COLOURS)]}"/>')
        parts.append(_text(x + FONT + 4, FONT, name, "start"))
        x += FONT + 16 + 7 * len(str(name))
    return "".join(parts)


def _text(x, y, text, anchor, *, full=None, size=None) -> str:
    size_attr = f' font-size="{size}"' if size else ""
    tooltip = f"<title>{escape(full)}</title>" if full and full != text else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="#222"{size_attr}>'
            f'{tooltip}{escape(text)}</text>')


def _peak(series) -> float:
    peak = max((v or 0 for _name, values in series for v in values), default=0)
    return peak or 1


def _short(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _number(value) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _value(value, unit) -> str:
    if value is None:
        return "–"
    if unit == "%":
        return f"{_number(value)} %"
    if unit == "EUR":
        return f"€ {_number(value)}"
    return _number(value)


MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _month(key: str) -> str:
    """'2027-03' as 'Mar' ('mrt', 'مارس', 'Mar') in the page's language (the year
    is in the table and the tooltip); English without a page."""
    try:
        month = int(key[5:7])
    except ValueError:
        return key
    if not 1 <= month <= 12:
        return key
    locale = get_locale()
    if locale is None:
        return MONTH_ABBREVIATIONS[month - 1]
    return get_month_names("abbreviated", locale=locale)[month]
