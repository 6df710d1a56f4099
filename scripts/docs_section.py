"""Rewrites one generated section of a Markdown page, shared by the measuring scripts."""


def replace_section(path, name, text):
    """Writes `text` between the `<!-- name:start -->` and `<!-- name:end -->` lines of
    `path`, which must have them."""
    start, end = f"<!-- {name}:start -->\n", f"<!-- {name}:end -->"
    page = path.read_text()
    before, _, rest = page.partition(start)
    _, _, after = rest.partition(end)
    if not rest:
        raise SystemExit(f"{path} has no {start.strip()} line")
    path.write_text(before + start + text + end + after)
