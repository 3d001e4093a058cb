//! The typed values condition operators compare: numbers, dates and IP
//! addresses (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>).
//!
//! - Numeric operators compare integers and decimals.
//! - Date operators compare W3C ISO 8601 dates (`2025-01-01`,
//!   `2025-01-01T00:00:00Z`, with an offset or fractional seconds) and epoch
//!   (UNIX) seconds (any all-digit value, so `2025` is a second, not a year); both become milliseconds since the epoch here.
//! - IpAddress/NotIpAddress compare an address with IPv4 or IPv6 CIDR blocks
//!   (RFC 4632); a plain address is a block of one. An IPv4 address is never in
//!   an IPv6 block, nor the reverse.

use std::net::IpAddr;

/// A number of a Numeric condition.
pub(crate) fn number(s: &str) -> Option<f64> {
    let t = s.trim();
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    let ok = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|c| *c == '.').count() <= 1
        && digits.chars().any(|c| c.is_ascii_digit());
    ok.then(|| t.parse::<f64>().ok()).flatten()
}

/// A date of a Date condition, as milliseconds since 1970-01-01T00:00:00Z.
pub(crate) fn date(s: &str) -> Option<i64> {
    let t = s.trim();
    if !t.is_empty()
        && t.strip_prefix('-')
            .unwrap_or(t)
            .chars()
            .all(|c| c.is_ascii_digit())
    {
        return t.parse::<i64>().ok()?.checked_mul(1000);
    }
    let (day, time) = match t.split_once('T') {
        Some((d, time)) => (d, Some(time)),
        None => (t, None),
    };
    let mut parts = day.split('-');
    let year: i64 = fixed(parts.next()?, 4)?;
    let month: i64 = parts.next().map_or(Some(1), |m| fixed(m, 2))?;
    let dom: i64 = parts.next().map_or(Some(1), |d| fixed(d, 2))?;
    if parts.next().is_some()
        || !(1..=12).contains(&month)
        || !(1..=days_in(year, month)).contains(&dom)
    {
        return None;
    }
    let mut ms = days_from_civil(year, month, dom).checked_mul(86_400_000)?;
    if let Some(time) = time {
        ms = ms.checked_add(time_of_day(time)?)?;
    }
    Some(ms)
}

/// `hh:mm[:ss[.s]]` with `Z`, `+hh:mm` or `-hh:mm` (none: UTC), in milliseconds.
fn time_of_day(t: &str) -> Option<i64> {
    let (clock, offset) = if let Some(c) = t.strip_suffix(['Z', 'z']) {
        (c, 0)
    } else if let Some(i) = t.rfind(['+', '-']) {
        let (c, o) = (t.get(..i)?, t.get(i..)?);
        let sign = if o.starts_with('-') { -1 } else { 1 };
        let (h, m) = o.get(1..)?.split_once(':')?;
        (c, sign * (fixed(h, 2)? * 60 + fixed(m, 2)?) * 60_000)
    } else {
        (t, 0)
    };
    let mut fields = clock.split(':');
    let h: i64 = fixed(fields.next()?, 2)?;
    let m: i64 = fixed(fields.next()?, 2)?;
    let sec = fields.next().unwrap_or("0");
    if fields.next().is_some() || h > 23 || m > 59 {
        return None;
    }
    let (whole, frac) = sec.split_once('.').unwrap_or((sec, ""));
    let s: i64 = if sec == "0" { 0 } else { fixed(whole, 2)? };
    if s > 60 || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let millis: i64 = format!("{frac:0<3}").get(..3)?.parse().ok()?;
    Some(((h * 60 + m) * 60 + s) * 1000 + millis - offset)
}

fn fixed(s: &str, width: usize) -> Option<i64> {
    (s.len() == width && s.chars().all(|c| c.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn days_in(year: i64, month: i64) -> i64 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Is `address` in the block `cidr` (or equal to a plain address)? None when
/// either is not an address or block.
pub(crate) fn in_block(cidr: &str, address: &str) -> Option<bool> {
    let ip: IpAddr = address.trim().parse().ok()?;
    let (net, len) = match cidr.trim().split_once('/') {
        Some((n, l)) => (n.parse::<IpAddr>().ok()?, Some(l.parse::<u32>().ok()?)),
        None => (cidr.trim().parse::<IpAddr>().ok()?, None),
    };
    Some(match (net, ip) {
        (IpAddr::V4(n), IpAddr::V4(a)) => prefix_eq(
            u128::from(u32::from(n)),
            u128::from(u32::from(a)),
            len.unwrap_or(32),
            32,
        )?,
        (IpAddr::V6(n), IpAddr::V6(a)) => {
            prefix_eq(u128::from(n), u128::from(a), len.unwrap_or(128), 128)?
        }
        _ => false,
    })
}

fn prefix_eq(net: u128, addr: u128, len: u32, bits: u32) -> Option<bool> {
    if len > bits {
        return None;
    }
    let shift = bits - len;
    Some(shift >= 128 || (net >> shift) == (addr >> shift))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_every_documented_form() {
        let day = date("2025-01-01").unwrap();
        assert_eq!(day, 1_735_689_600_000);
        assert_eq!(date("2025-01-01T00:00:00Z"), Some(day));
        assert_eq!(date("2025-01-01T01:00:00+01:00"), Some(day));
        assert_eq!(date("2024-12-31T23:00-01:00"), Some(day));
        assert_eq!(date("1735689600"), Some(day));
        assert_eq!(date("2025-01-01T00:00:00.250Z"), Some(day + 250));
        // All digits is epoch seconds, never a year.
        assert_eq!(date("2025"), Some(2_025_000));
        assert_eq!(date("2025-01"), Some(day));
        assert_eq!(date("2024-02-29"), Some(1_709_164_800_000));
        assert_eq!(date("2023-02-29"), None);
        assert_eq!(date("2025-13-01"), None);
        assert_eq!(date("yesterday"), None);
        assert_eq!(date("1969-12-31T23:59:59Z"), Some(-1000));
    }

    #[test]
    fn numbers() {
        assert_eq!(number("42"), Some(42.0));
        assert_eq!(number("-1.5"), Some(-1.5));
        assert_eq!(number("1e3"), None);
        assert_eq!(number("x"), None);
        assert_eq!(number("."), None);
    }

    #[test]
    fn addresses_and_blocks() {
        assert_eq!(in_block("10.0.0.0/8", "10.1.2.3"), Some(true));
        assert_eq!(in_block("10.0.0.0/8", "11.0.0.1"), Some(false));
        assert_eq!(in_block("0.0.0.0/0", "203.0.113.9"), Some(true));
        assert_eq!(in_block("198.51.100.7", "198.51.100.7"), Some(true));
        assert_eq!(in_block("2001:db8::/32", "2001:db8::1"), Some(true));
        assert_eq!(in_block("2001:db8::/32", "10.1.2.3"), Some(false));
        assert_eq!(in_block("10.0.0.0/33", "10.1.2.3"), None);
        assert_eq!(in_block("10.0.0.0/8", "nope"), None);
    }
}
