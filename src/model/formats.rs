//! Checks of string formats: URLs, dates, sizes, SemVer, env var names, identifiers.
//! Routing patterns are Python regexes and live in [`super::pyregex`].

use std::ops::Range;

/// A failed format check: what is wrong and, when known, the byte range inside the value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatError {
    pub message: String,
    pub within: Option<Range<usize>>,
}

impl FormatError {
    pub(super) fn new(message: impl Into<String>) -> Self {
        FormatError {
            message: message.into(),
            within: None,
        }
    }

    pub(super) fn at(message: impl Into<String>, within: Range<usize>) -> Self {
        FormatError {
            message: message.into(),
            within: Some(within),
        }
    }
}

/// The parts of an `http(s)` URL, as byte ranges into the URL string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url<'a> {
    pub scheme: &'a str,
    pub userinfo: Option<Range<usize>>,
    pub host: &'a str,
    pub host_range: Range<usize>,
    /// The explicit port as written (may be out of range: see [`Url::port_number`]).
    pub port: Option<Range<usize>>,
    pub path: &'a str,
    source: &'a str,
}

impl Url<'_> {
    pub fn port_text(&self) -> Option<&str> {
        self.port.clone().map(|r| &self.source[r])
    }

    /// The explicit port, or `None` when absent or not a number.
    pub fn port_number(&self) -> Option<u64> {
        self.port_text()?.parse().ok()
    }

    /// The explicit port, or the scheme's default.
    pub fn effective_port(&self) -> Option<u64> {
        match self.port {
            Some(_) => self.port_number(),
            None => Some(if self.scheme == "https" { 443 } else { 80 }),
        }
    }

    /// Whether the host is a placeholder such as `<host>` or `${HOST}` (template providers).
    pub fn is_placeholder(&self) -> bool {
        self.host.contains(['<', '{', '$'])
    }
}

/// Parses `http(s)://[user[:pass]@]host[:port][/path][?query]`.
pub fn parse_url(s: &str) -> Result<Url<'_>, FormatError> {
    parse_url_with(s, false)
}

/// Parses the URL of a template provider, whose port may be a placeholder name such as
/// `CUSTOM_PORT` (upper-case letters, digits and `_`, with at least one letter).
pub fn parse_template_url(s: &str) -> Result<Url<'_>, FormatError> {
    parse_url_with(s, true)
}

fn is_placeholder_port(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_uppercase())
        && text
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

fn parse_url_with(s: &str, template: bool) -> Result<Url<'_>, FormatError> {
    let Some(scheme_end) = s.find("://") else {
        return Err(FormatError::new("expected an `http://` or `https://` URL"));
    };
    let scheme = &s[..scheme_end];
    if scheme != "http" && scheme != "https" {
        return Err(FormatError::at(
            format!("unsupported URL scheme `{scheme}`; expected `http` or `https`"),
            0..scheme_end,
        ));
    }
    let authority_start = scheme_end + 3;
    let authority_end = s[authority_start..]
        .find(['/', '?', '#'])
        .map_or(s.len(), |i| authority_start + i);
    let authority = &s[authority_start..authority_end];
    let (userinfo, host_start) = match authority.rfind('@') {
        Some(at) => (
            Some(authority_start..authority_start + at),
            authority_start + at + 1,
        ),
        None => (None, authority_start),
    };
    let hostport = &s[host_start..authority_end];
    let (host_len, port) = if hostport.starts_with('[') {
        match hostport.find(']') {
            Some(close) => {
                let rest = &hostport[close + 1..];
                match rest.strip_prefix(':') {
                    Some(_) => (close + 1, Some(host_start + close + 2..authority_end)),
                    None if rest.is_empty() => (close + 1, None),
                    None => {
                        return Err(FormatError::at(
                            "unexpected text after the IPv6 address",
                            host_start + close + 1..authority_end,
                        ))
                    }
                }
            }
            None => {
                return Err(FormatError::at(
                    "unclosed `[` in IPv6 host",
                    host_start..authority_end,
                ))
            }
        }
    } else {
        match hostport.rfind(':') {
            Some(colon) => (colon, Some(host_start + colon + 1..authority_end)),
            None => (hostport.len(), None),
        }
    };
    let host_range = host_start..host_start + host_len;
    let host = &s[host_range.clone()];
    if host.is_empty() {
        return Err(FormatError::at(
            "the URL has no host",
            host_start..host_start,
        ));
    }
    let placeholder = host.contains(['<', '{', '$']);
    if !placeholder
        && !host.starts_with('[')
        && !host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
    {
        let (bad, width) = host
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || matches!(c, '.' | '-' | '_')))
            .map_or((0, 1), |(i, c)| (i, c.len_utf8()));
        return Err(FormatError::at(
            format!("invalid character in host `{host}`"),
            host_start + bad..host_start + bad + width,
        ));
    }
    if let Some(port) = &port {
        let text = &s[port.clone()];
        let numeric = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
        let placeholder = text.contains(['<', '{', '$']) || template && is_placeholder_port(text);
        if !numeric && !placeholder {
            return Err(FormatError::at(
                format!("port `{text}` is not a number"),
                port.clone(),
            ));
        }
    }
    if s[authority_end..].contains(char::is_whitespace) {
        return Err(FormatError::new("the URL contains white space"));
    }
    Ok(Url {
        scheme,
        userinfo,
        host,
        host_range,
        port,
        path: &s[authority_end..],
        source: s,
    })
}

/// `YYYY-MM-DD`, a real calendar date.
pub fn check_date(s: &str) -> Result<(), FormatError> {
    let bad = || FormatError::new(format!("`{s}` is not a date in the form YYYY-MM-DD"));
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let num = |r: Range<usize>| -> Option<u32> {
        let part = &s[r];
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (Some(year), Some(month), Some(day)) = (num(0..4), num(5..7), num(8..10)) else {
        return Err(bad());
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => {
            return Err(FormatError::at(
                format!("month `{month:02}` does not exist"),
                5..7,
            ))
        }
    };
    if day == 0 || day > days {
        return Err(FormatError::at(
            format!("day `{day:02}` does not exist in month `{month:02}`"),
            8..10,
        ));
    }
    Ok(())
}

/// `<number>(K|M|B|T)`: `7B`, `0.5B`, `1.5T`.
pub fn check_size(s: &str) -> Result<(), FormatError> {
    // The last character is the unit, however many bytes it takes.
    let (number, unit) = s.split_at(s.char_indices().last().map_or(0, |(i, _)| i));
    let unit_ok = matches!(unit, "K" | "M" | "B" | "T");
    let number_ok = !number.is_empty()
        && !number.starts_with('.')
        && !number.ends_with('.')
        && number.bytes().filter(|&b| b == b'.').count() <= 1
        && number.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    if unit_ok && number_ok {
        return Ok(());
    }
    let hint = if number_ok && unit.eq_ignore_ascii_case("b") {
        " (units are upper case)"
    } else {
        ""
    };
    Err(FormatError::new(format!(
        "`{s}` is not a model size like `7B` or `0.5B`: a number then K, M, B or T{hint}"
    )))
}

/// The number of parameters a size such as `7B` or `0.5B` stands for.
fn size_value(s: &str) -> Option<f64> {
    check_size(s).ok()?;
    let (number, unit) = s.split_at(s.len() - 1);
    let scale = match unit {
        "K" => 1e3,
        "M" => 1e6,
        "B" => 1e9,
        _ => 1e12,
    };
    Some(number.parse::<f64>().ok()? * scale)
}

/// A size or a range of sizes, as size routes use them: `7B`, `< 8B`, `<= 8B`, `> 13B`,
/// `>= 70B`, `8B - 13B`. The error points at the part that is not a size.
pub fn check_size_range(s: &str) -> Result<(), FormatError> {
    let part = |start: usize, text: &str| -> Result<f64, FormatError> {
        let trimmed = text.trim_start();
        let start = start + (text.len() - trimmed.len());
        let trimmed = trimmed.trim_end();
        size_value(trimmed).ok_or_else(|| {
            FormatError::at(
                format!(
                    "`{trimmed}` in `{s}` is not a model size like `7B` or `0.5B`: a number then K, M, B or T"
                ),
                start..start + trimmed.len(),
            )
        })
    };
    let body = s.trim_start();
    let offset = s.len() - body.len();
    for op in ["<=", ">=", "<", ">"] {
        if let Some(rest) = body.strip_prefix(op) {
            return part(offset + op.len(), rest).map(|_| ());
        }
    }
    // A range `low - high`: split at a `-` that follows a size's unit.
    let split = body
        .char_indices()
        .filter(|&(i, c)| c == '-' && i > 0)
        .find(|&(i, _)| body[..i].trim_end().ends_with(['K', 'M', 'B', 'T']));
    if let Some((i, _)) = split {
        let low = part(offset, &body[..i])?;
        let high = part(offset + i + 1, &body[i + 1..])?;
        if low > high {
            return Err(FormatError::new(format!(
                "`{s}` is an empty range: its lower bound is above its upper bound"
            )));
        }
        return Ok(());
    }
    if size_value(s).is_some() {
        return Ok(());
    }
    Err(FormatError::new(format!(
        "`{s}` is not a model size (`7B`) or a size range (`< 8B`, `8B - 13B`, `> 13B`)"
    )))
}

/// Port ranges: `8000-8999`, a single port, or several of either separated by commas.
pub fn check_port_ranges(s: &str) -> Result<(), FormatError> {
    let mut start = 0;
    for piece in s.split(',') {
        let trimmed = piece.trim();
        let at = start + (piece.len() - piece.trim_start().len());
        let within = at..at + trimmed.len();
        let bounds: Vec<&str> = trimmed.splitn(2, '-').map(str::trim).collect();
        let ports: Option<Vec<u32>> = bounds.iter().map(|b| b.parse().ok()).collect();
        match ports.as_deref() {
            Some([port]) | Some([port, _]) if !(1..=65535).contains(port) => {
                return Err(FormatError::at(
                    format!("port {port} in `{s}` is outside 1..65535"),
                    within,
                ));
            }
            Some([_, high]) if !(1..=65535).contains(high) => {
                return Err(FormatError::at(
                    format!("port {high} in `{s}` is outside 1..65535"),
                    within,
                ));
            }
            Some([low, high]) if low > high => {
                return Err(FormatError::at(
                    format!("`{trimmed}` is an empty range: {low} is above {high}"),
                    within,
                ));
            }
            Some(_) => {}
            None => {
                return Err(FormatError::at(
                    format!("`{trimmed}` is not a port range like `8000-8999`"),
                    within,
                ));
            }
        }
        start += piece.len() + 1;
    }
    Ok(())
}

pub fn check_semver(s: &str) -> Result<semver::Version, FormatError> {
    semver::Version::parse(s).map_err(|e| {
        let parts = s.split(['-', '+']).next().unwrap_or(s).split('.').count();
        if parts < 3 && s.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            FormatError::new(format!(
                "`{s}` is not a full SemVer version: write MAJOR.MINOR.PATCH, e.g. `2.0.0`"
            ))
        } else {
            FormatError::new(format!("`{s}` is not a SemVer version like `2.0.0`: {e}"))
        }
    })
}

/// `[A-Z_][A-Z0-9_]*`.
pub fn check_env_var(s: &str) -> Result<(), FormatError> {
    if s.is_empty() {
        return Err(FormatError::new("the environment variable name is empty"));
    }
    let mut chars = s.char_indices();
    let first_ok = matches!(chars.next(), Some((_, c)) if c.is_ascii_uppercase() || c == '_');
    if !first_ok {
        return Err(FormatError::at(
            // The value is not repeated: a pasted API key would end up in CI logs.
            "not an environment variable name: it must start with A-Z or `_`".to_string(),
            0..s.chars().next().map_or(0, char::len_utf8),
        ));
    }
    if let Some((i, c)) =
        chars.find(|(_, c)| !(c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_'))
    {
        return Err(FormatError::at(
            "not an environment variable name: only A-Z, 0-9 and `_` are allowed".to_string(),
            i..i + c.len_utf8(),
        ));
    }
    Ok(())
}

/// `[A-Za-z0-9_.-]+`.
pub fn check_identifier(s: &str) -> Result<(), FormatError> {
    if s.is_empty() {
        return Err(FormatError::new("an id cannot be empty"));
    }
    match s
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
    {
        Some((i, c)) => Err(FormatError::at(
            format!(
                "`{s}` is not a valid id: `{c}` is not allowed (use A-Z, a-z, 0-9, `_`, `.`, `-`)"
            ),
            i..i + c.len_utf8(),
        )),
        None => Ok(()),
    }
}

pub fn check_url_path(s: &str) -> Result<(), FormatError> {
    if s.starts_with('/') {
        Ok(())
    } else {
        Err(FormatError::new(format!(
            "`{s}` must be a path starting with `/`"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let u = parse_url("http://127.0.0.1:11434/v1").unwrap();
        assert_eq!(
            (u.host, u.port_number(), u.path),
            ("127.0.0.1", Some(11434), "/v1")
        );
        assert_eq!(
            parse_url("https://api.openai.com")
                .unwrap()
                .effective_port(),
            Some(443)
        );
        let u = parse_url("http://user:pw@host:99999").unwrap();
        assert_eq!(u.userinfo, Some(7..14));
        assert_eq!(u.port_number(), Some(99999));
        assert!(parse_url("http://[::1]:8000").is_ok());
        assert!(parse_url("http://<gpu-host>:8000/v1")
            .unwrap()
            .is_placeholder());
        assert!(parse_url("localhost:8000").is_err());
        assert!(parse_url("ftp://x").is_err());
        assert!(parse_url("http://:80").is_err());
        assert!(parse_url("http://host:80x").is_err());
        assert!(parse_url("http://ho st").is_err());
        // The offending character is covered whole, even when it is several bytes long.
        let bad = parse_url("http://127.0.🦙0.1:8002").unwrap_err();
        assert_eq!(bad.within, Some(13..17));
    }

    #[test]
    fn dates() {
        assert!(check_date("2025-11-08").is_ok());
        assert!(check_date("2024-02-29").is_ok());
        assert!(check_date("2025-02-29").is_err());
        assert!(check_date("2025-13-01").is_err());
        assert!(check_date("25-11-08").is_err());
        assert!(check_date("2025/11/08").is_err());
    }

    #[test]
    fn sizes() {
        for ok in ["7B", "0.5B", "70B", "1.5T", "500M", "8K"] {
            assert!(check_size(ok).is_ok(), "{ok}");
        }
        for bad in ["7", "B", "7b", "7GB", ".5B", "7.B", "1.2.3B", ""] {
            assert!(check_size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn env_vars() {
        assert!(check_env_var("OLLAMA_API_KEY").is_ok());
        assert!(check_env_var("_X1").is_ok());
        assert_eq!(check_env_var("ollama_key").unwrap_err().within, Some(0..1));
        assert_eq!(check_env_var("OPENAI-KEY").unwrap_err().within, Some(6..7));
        assert!(check_env_var("").is_err());
    }
}
