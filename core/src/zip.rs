//! A zip archive of generated files, built in memory: the playground's
//! "Download all" (the files `generate --output-dir` writes, in one file).
//!
//! Stored entries only (no compression: the files are a few kilobytes, and
//! every unzip reads stored entries), written by hand because the zip crates
//! write through `std::io::Seek` and stamp the clock. Deterministic: every
//! entry is dated 1980-01-01 00:00 (the format's first date), so the same
//! files give the same bytes. The layout is APPNOTE.TXT's (PKWARE's zip
//! specification, 4.3): local header and data per file, the central
//! directory, the end record; names are UTF-8 (flag bit 11).

/// The most entries and bytes a plain zip (not zip64) holds.
const MAX_ENTRIES: usize = 0xFFFF;
const MAX_BYTES: usize = 0xFFFF_FFFF;

/// Version 2.0 (the first that has folders), "made by" MS-DOS.
const VERSION: u16 = 20;
/// Bit 11: names are UTF-8.
const UTF8: u16 = 1 << 11;
/// 1980-01-01 in MS-DOS date format; 00:00:00 is time 0.
const DOS_DATE: u16 = (1 << 5) | 1;

/// Why an archive was not built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZipError {
    /// More files or bytes than a zip without zip64 holds.
    #[error("the archive would exceed what a zip holds without zip64 ({what})")]
    TooLarge {
        /// Which limit.
        what: &'static str,
    },
    /// A name that is not a relative path inside the archive.
    #[error("`{0}` is not a relative path")]
    BadName(String),
}

/// The archive of `files` (path with `/` separators, contents), in that order.
pub fn stored(files: &[(String, String)]) -> Result<Vec<u8>, ZipError> {
    if files.len() > MAX_ENTRIES {
        return Err(ZipError::TooLarge {
            what: "65,535 files",
        });
    }
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, text) in files {
        if name.is_empty() || name.starts_with('/') || name.split('/').any(|p| p == "..") {
            return Err(ZipError::BadName(name.clone()));
        }
        let offset = u32_of(out.len())?;
        let header = Header {
            crc: crc32(text.as_bytes()),
            size: u32_of(text.len())?,
            name_len: u16::try_from(name.len()).map_err(|_| ZipError::BadName(name.clone()))?,
        };
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        header.write(&mut out);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(text.as_bytes());

        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&VERSION.to_le_bytes());
        header.write(&mut central);
        // Comment length, disk number, internal and external attributes.
        central.extend_from_slice(&[0; 2 + 2 + 2 + 4]);
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let directory_at = u32_of(out.len())?;
    let directory_len = u32_of(central.len())?;
    out.extend_from_slice(&central);
    let count = u16::try_from(files.len()).map_err(|_| ZipError::TooLarge {
        what: "65,535 files",
    })?;
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // this disk, the directory's disk
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&directory_len.to_le_bytes());
    out.extend_from_slice(&directory_at.to_le_bytes());
    out.extend_from_slice(&[0; 2]); // comment length
    u32_of(out.len())?;
    Ok(out)
}

/// The fields the local header and the central directory share, from
/// "version needed" to "extra field length".
struct Header {
    crc: u32,
    size: u32,
    name_len: u16,
}

impl Header {
    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&UTF8.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // method: stored
        out.extend_from_slice(&0u16.to_le_bytes()); // time 00:00:00
        out.extend_from_slice(&DOS_DATE.to_le_bytes());
        out.extend_from_slice(&self.crc.to_le_bytes());
        out.extend_from_slice(&self.size.to_le_bytes()); // compressed
        out.extend_from_slice(&self.size.to_le_bytes()); // uncompressed
        out.extend_from_slice(&self.name_len.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // extra field length
    }
}

fn u32_of(n: usize) -> Result<u32, ZipError> {
    u32::try_from(n)
        .ok()
        .filter(|n| *n as usize <= MAX_BYTES)
        .ok_or(ZipError::TooLarge { what: "4 GiB" })
}

/// CRC-32 as zip (and gzip, PNG) use it: reflected polynomial 0xEDB88320.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_is_the_standard_one() {
        // The check value of CRC-32/ISO-HDLC.
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn the_same_files_give_the_same_bytes_and_the_layout_is_appnotes() {
        let files = vec![
            ("trust-policy.json".to_string(), "{}\n".to_string()),
            (
                "production/ünï/setup.sh".to_string(),
                "#!/bin/sh\n".to_string(),
            ),
        ];
        let zip = stored(&files).unwrap();
        assert_eq!(zip, stored(&files).unwrap());
        assert_eq!(zip.get(..4), Some(&b"PK\x03\x04"[..]));
        // The end record: 2 entries, the directory right after the data.
        let end = zip.len() - 22;
        assert_eq!(zip.get(end..end + 4), Some(&b"PK\x05\x06"[..]));
        assert_eq!(zip.get(end + 8..end + 10), Some(&[2, 0][..]));
        let local = 30 * 2 + "trust-policy.json".len() + 3 + "production/ünï/setup.sh".len() + 10;
        let at = u32::from_le_bytes(zip[end + 16..end + 20].try_into().unwrap()) as usize;
        assert_eq!(at, local);
        assert_eq!(zip.get(at..at + 4), Some(&b"PK\x01\x02"[..]));
        assert_eq!(stored(&[]).unwrap().len(), 22);
    }

    #[test]
    fn names_outside_the_archive_are_refused() {
        for bad in ["", "/etc/passwd", "a/../../b"] {
            let files = vec![(bad.to_string(), String::new())];
            assert_eq!(stored(&files), Err(ZipError::BadName(bad.into())));
        }
    }
}
